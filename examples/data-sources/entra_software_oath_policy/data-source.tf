data "entra_software_oath_policy" "current" {}

output "software_oath" {
  value = data.entra_software_oath_policy.current.state
}
