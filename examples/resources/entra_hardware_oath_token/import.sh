# The token's serial number, or its id in the inventory.
terraform import entra_hardware_oath_token.megan TOTP123456
