# The legacy MFA and SSPR policies retired (EIDSCA.AG01), and users of the
# pilot group asked to register a passkey at sign-in, with a day to snooze.
resource "entra_authentication_methods_policy" "this" {
  policy_migration_state = "migrationComplete"
  registration_campaign = {
    state                   = "enabled"
    snooze_duration_in_days = 1
    include_targets = [{
      id                             = "11111111-1111-1111-1111-111111111111" # passkey pilot
      targeted_authentication_method = "fido2"
    }]
    exclude_targets = [{ id = "22222222-2222-2222-2222-222222222222" }] # break-glass accounts
  }
}
