# Adele's badge: the QR code image goes to a file for printing, the
# temporary PIN comes from an ephemeral variable (a secret store or a random
# source in practice) and is never stored.
variable "badge_pin" {
  type      = string
  ephemeral = true
}

resource "entra_qr_code_pin_method" "adele" {
  user_id            = "adele.vance@contoso.example"
  pin_wo             = var.badge_pin
  pin_wo_version     = 1 # raise to reset the PIN to the current badge_pin
  expire_date_time   = "2027-06-30T17:00:00Z"
  qr_code_image_path = "${path.root}/badges/adele.png"
}
