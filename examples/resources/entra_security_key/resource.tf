variable "security_key_pin" {
  type      = string
  sensitive = true
}

# Enrol the one security key attached to this workstation for Adele. During
# apply, touch the key when the terminal asks.
resource "entra_security_key" "adele" {
  user_id          = "adele.vance@contoso.example"
  display_name     = "YubiKey - asset 4711"
  pin_wo           = var.security_key_pin # write-only: never in plan or state
  set_pin_if_unset = true                 # a fresh key gets this PIN first
  touch_timeout    = "90s"
}
