# The policy is a tenant-wide singleton: its id is always QRCodePin.
terraform import entra_qr_code_pin_policy.this QRCodePin
