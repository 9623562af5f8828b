data "entra_sms_policy" "current" {}

# Who may sign in with a text message code alone.
output "sms_sign_in_targets" {
  value = [for t in data.entra_sms_policy.current.include_targets : t.id if t.is_usable_for_sign_in]
}
