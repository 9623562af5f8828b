# The policy is a tenant-wide singleton: its id is always Sms.
terraform import entra_sms_policy.this Sms
