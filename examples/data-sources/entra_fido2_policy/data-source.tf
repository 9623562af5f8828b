data "entra_fido2_policy" "current" {}

# The AAGUIDs each passkey profile allows or blocks.
output "fido2_key_restrictions" {
  value = { for p in data.entra_fido2_policy.current.passkey_profiles : p.name => p.key_restrictions }
}
