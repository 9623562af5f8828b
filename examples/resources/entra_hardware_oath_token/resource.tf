# A token from the vendor's delivery, assigned to Megan and activated in
# the same apply: the provider computes the current code from the seed.
variable "token_seed" {
  type      = string
  ephemeral = true
}

resource "entra_hardware_oath_token" "megan" {
  serial_number = "TOTP123456"
  manufacturer  = "Contoso"
  model         = "Hardware Token 1000"
  secret_key_wo = var.token_seed
  display_name  = "Megan's token"
  user_id       = "megan.bowen@contoso.example"
}
