# The policy is a tenant-wide singleton: its id is always Email.
terraform import entra_email_policy.this Email
