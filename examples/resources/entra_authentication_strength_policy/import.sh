# A custom strength is imported by its id; Microsoft's built-in ones cannot be.
terraform import entra_authentication_strength_policy.approved_keys 7f1a3c52-5e4d-4c8b-9a61-2d3e4f5a6b7c
