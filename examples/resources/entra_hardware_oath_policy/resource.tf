# Hardware OATH tokens for the staff who cannot carry a phone (Graph beta).
resource "entra_hardware_oath_policy" "this" {
  state           = "enabled"
  include_targets = [{ id = "11111111-1111-1111-1111-111111111111" }] # token holders
}
