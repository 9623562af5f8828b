# Pre-seed Megan's phones for multifactor sign-in and self-service password
# reset. The alternate phone needs the mobile one: refer to it.
resource "entra_phone_method" "megan_mobile" {
  user_id      = "megan.bowen@contoso.example"
  phone_type   = "mobile"
  phone_number = "+1 2065550100"

  # Sign-in by text message needs the SMS policy to allow it for Megan.
  sms_sign_in_enabled = false
}

resource "entra_phone_method" "megan_office" {
  user_id      = entra_phone_method.megan_mobile.user_id
  phone_type   = "office"
  phone_number = "+1 4255550100x2101"
}
