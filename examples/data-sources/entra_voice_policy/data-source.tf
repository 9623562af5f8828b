data "entra_voice_policy" "current" {}

output "voice_calls" {
  value = data.entra_voice_policy.current.state
}
