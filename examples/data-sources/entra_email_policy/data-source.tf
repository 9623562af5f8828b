data "entra_email_policy" "current" {}

output "external_users_email_otp" {
  value = data.entra_email_policy.current.allow_external_id_to_use_email_otp
}
