data "entra_authentication_methods_policy" "current" {}

output "policy_migration_state" {
  value = data.entra_authentication_methods_policy.current.policy_migration_state
}
