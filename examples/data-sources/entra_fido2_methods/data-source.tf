data "entra_fido2_methods" "adele" {
  user_id = "adele.vance@contoso.example"
}

output "adele_keys" {
  value = [for m in data.entra_fido2_methods.adele.methods : "${m.display_name} (${m.model}, ${m.attestation_level})"]
}
