data "entra_hardware_oath_policy" "current" {}

output "hardware_oath" {
  value = data.entra_hardware_oath_policy.current.state
}
