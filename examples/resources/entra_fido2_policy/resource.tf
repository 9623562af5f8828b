# Everyone may register device-bound passkeys with attestation (the default
# profile); a pilot group is restricted to two approved security-key models.
resource "entra_fido2_policy" "this" {
  state                                = "enabled"
  is_self_service_registration_allowed = true

  passkey_profiles = {
    "00000000-0000-0000-0000-000000000001" = {
      name                    = "Default passkey profile"
      passkey_types           = ["deviceBound"]
      attestation_enforcement = "registrationOnly"
    }
    "6b1e0f6a-3c4d-4e5f-8a9b-0c1d2e3f4a5b" = {
      name                    = "Approved security keys"
      passkey_types           = ["deviceBound"]
      attestation_enforcement = "registrationOnly"
      key_restrictions = {
        enforcement_type = "allow"
        aaguids = [
          "cb69481e-8ff7-4039-93ec-0a2729a154a8", # a YubiKey 5 series model
          "ee882879-721c-4913-9775-3dfcce97072a", # another YubiKey 5 series model
        ]
      }
    }
  }
  default_passkey_profile = "00000000-0000-0000-0000-000000000001"

  include_targets = [
    {
      id                       = "all_users"
      allowed_passkey_profiles = ["00000000-0000-0000-0000-000000000001"]
    },
    {
      id                       = "5c1b9e2a-7f3d-4a8e-9b6c-2d4e6f8a0b1c" # group "Security key pilot"
      allowed_passkey_profiles = ["6b1e0f6a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"]
    },
  ]
}
