data "entra_microsoft_authenticator_policy" "current" {}

# What push notifications show.
output "notifications_show_location" {
  value = data.entra_microsoft_authenticator_policy.current.display_location_information.state
}
