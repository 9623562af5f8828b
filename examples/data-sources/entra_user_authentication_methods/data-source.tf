data "entra_user_authentication_methods" "adele" {
  user_id = "adele.vance@contoso.example"
}

# Does Adele have a security key yet?
output "adele_has_fido2" {
  value = anytrue([for m in data.entra_user_authentication_methods.adele.methods : m.type == "fido2"])
}
