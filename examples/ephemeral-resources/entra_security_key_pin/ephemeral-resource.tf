# A random PIN for a key handed out to Adele: stored for the help desk, then
# set on the key, in the same run and through write-only arguments only.
ephemeral "entra_security_key_pin" "adele" {
  length = 8
}

resource "vault_kv_secret_v2" "adele_key_pin" {
  mount                = "security-keys"
  name                 = "adele.vance"
  data_json_wo         = jsonencode({ pin = ephemeral.entra_security_key_pin.adele.pin })
  data_json_wo_version = 1
}

resource "entra_security_key" "adele" {
  user_id          = "adele.vance@contoso.example"
  display_name     = "Adele's key"
  pin_wo           = ephemeral.entra_security_key_pin.adele.pin
  set_pin_if_unset = true                               # a fresh key
  force_pin_change = true                               # Adele chooses her own PIN at first use
  depends_on       = [vault_kv_secret_v2.adele_key_pin] # stored before it is set
}
