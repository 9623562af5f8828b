# Authenticator apps' one-time passcodes stay available to the legacy-device
# group while its members move to passkeys; break-glass accounts excluded.
resource "entra_software_oath_policy" "this" {
  state           = "enabled"
  include_targets = [{ id = "11111111-1111-1111-1111-111111111111" }] # legacy devices
  exclude_targets = [{ id = "22222222-2222-2222-2222-222222222222" }] # break-glass accounts
}
