data "entra_temporary_access_pass_policy" "current" {}

output "tap_maximum_lifetime" {
  value = data.entra_temporary_access_pass_policy.current.maximum_lifetime_in_minutes
}
