# Microsoft Authenticator hardened as EIDSCA recommends: on for everyone,
# notifications show the app and the location, and the app's one-time
# passcodes do not count as a method.
resource "entra_microsoft_authenticator_policy" "this" {
  state                        = "enabled"
  is_software_oath_enabled     = false
  include_targets              = [{ id = "all_users", authentication_mode = "any" }]
  exclude_targets              = [{ id = "22222222-2222-2222-2222-222222222222" }] # break-glass accounts
  display_app_information      = { state = "enabled" }
  display_location_information = { state = "enabled" }
  number_matching              = { state = "enabled" }  # Graph beta
  companion_app                = { state = "disabled" } # Graph beta: no approvals from Outlook
}
