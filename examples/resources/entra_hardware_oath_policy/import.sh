# The policy is a tenant-wide singleton: its id is always HardwareOath.
terraform import entra_hardware_oath_policy.this HardwareOath
