# The policy is a tenant-wide singleton: its id is always SoftwareOath.
terraform import entra_software_oath_policy.this SoftwareOath
