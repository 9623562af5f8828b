data "entra_x509_certificate_policy" "current" {}

output "certificate_default_mode" {
  value = data.entra_x509_certificate_policy.current.default_authentication_mode
}
