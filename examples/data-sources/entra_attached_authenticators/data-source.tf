# The security keys plugged into this machine: their AAGUIDs feed a passkey
# profile's allow-list.
data "entra_attached_authenticators" "here" {}

output "attached_aaguids" {
  value = distinct([for a in data.entra_attached_authenticators.here.authenticators : a.aaguid])
}
