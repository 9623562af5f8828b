data "entra_qr_code_pin_policy" "current" {}

output "qr_code_pin_length" {
  value = data.entra_qr_code_pin_policy.current.pin_length
}
