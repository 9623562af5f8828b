data "entra_temporary_access_pass" "adele" {
  user_id = "adele.vance@contoso.example"
}

output "adele_pass_usable" {
  value = "${data.entra_temporary_access_pass.adele.is_usable} (${data.entra_temporary_access_pass.adele.method_usability_reason})"
}
