# The policy is a tenant-wide singleton: its id is always Fido2 (any case).
terraform import entra_fido2_policy.this Fido2
