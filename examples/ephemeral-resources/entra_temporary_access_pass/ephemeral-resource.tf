# Issue a pass during apply and hand it straight to another system through a
# write-only argument: the value is never written to plan or state files.
ephemeral "entra_temporary_access_pass" "new_hire" {
  user_id             = "adele.vance@contoso.example"
  lifetime_in_minutes = 60
  is_usable_once      = true
  issue               = terraform.applying # plans issue nothing; each apply one pass
}

# For example, store it in a secret manager for the onboarding desk
# (any resource with a write-only argument works).
resource "vault_kv_secret_v2" "new_hire_pass" {
  mount                = "onboarding"
  name                 = "adele.vance"
  data_json_wo         = jsonencode({ temporary_access_pass = ephemeral.entra_temporary_access_pass.new_hire.temporary_access_pass })
  data_json_wo_version = 1
}
