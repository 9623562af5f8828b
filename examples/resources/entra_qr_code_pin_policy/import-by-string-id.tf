import {
  to = entra_qr_code_pin_policy.this
  id = "QRCodePin"
}
