# The policy is a tenant-wide singleton: its id is always TemporaryAccessPass.
terraform import entra_temporary_access_pass_policy.this TemporaryAccessPass
