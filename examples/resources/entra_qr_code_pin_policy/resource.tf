# Frontline workers on shared tablets sign in with a QR code and a 10-digit
# PIN; a standard code lives 90 days.
resource "entra_qr_code_pin_policy" "this" {
  state                             = "enabled"
  pin_length                        = 10
  standard_qr_code_lifetime_in_days = 90
  include_targets                   = [{ id = "11111111-1111-1111-1111-111111111111" }] # frontline workers
}
