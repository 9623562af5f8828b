data "entra_user_authentication_methods" "adele" {
  user_id = "adele.vance@contoso.example"
}

# Does Adele have a security key yet?
output "adele_has_fido2" {
  value = anytrue([for m in data.entra_user_authentication_methods.adele.methods : m.type == "fido2"])
}

# What Megan's lost laptop held: methods registered on it before it went
# missing (the guide "Offboard a lost device" revokes them).
data "entra_user_authentication_methods" "megans_laptop" {
  user_id        = "megan.bowen@contoso.example"
  display_name   = "MEGAN-LAPTOP"
  types          = ["windowsHelloForBusiness", "platformCredential"]
  created_before = "2026-11-20T09:00:00Z"
}
