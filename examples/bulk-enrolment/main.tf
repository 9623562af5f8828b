# Enrol a batch of fresh security keys, one per user, in one apply. Attach
# as many keys as there are users (a USB hub); each key gets a random PIN,
# set on the key and handed to Vault through write-only arguments, never
# kept in plan or state, and each key then requires its user to choose a
# new PIN at first use. See the guide "Enrol keys in bulk".
terraform {
  required_version = ">= 1.11" # write-only arguments, ephemeral resources
  required_providers {
    entra = { source = "entra-tf/entra" }
    vault = { source = "hashicorp/vault" }
  }
}

variable "users" {
  description = "The users to enrol a key for (UPNs or object ids), in the order of the attached keys."
  type        = list(string)
}

variable "vault_mount" {
  description = "The Vault KV v2 mount the PINs go to, one secret per user."
  type        = string
  default     = "security-keys"
}

variable "display_name" {
  description = "The name each registration shows the user."
  type        = string
  default     = "Security key"
}

# Read at plan: which keys are attached. The n-th user gets the n-th key.
data "entra_attached_authenticators" "batch" {}

locals {
  attached = data.entra_attached_authenticators.batch.authenticators
}

ephemeral "entra_security_key_pin" "pin" {
  for_each = toset(var.users)
}

# The PINs are stored first: no PIN is set on a key that is not in the store.
resource "vault_kv_secret_v2" "pin" {
  for_each             = toset(var.users)
  mount                = var.vault_mount
  name                 = "pins/${each.key}"
  data_json_wo         = jsonencode({ pin = ephemeral.entra_security_key_pin.pin[each.key].pin })
  data_json_wo_version = 1
}

resource "entra_security_key" "key" {
  for_each           = toset(var.users)
  depends_on         = [vault_kv_secret_v2.pin]
  user_id            = each.key
  display_name       = var.display_name
  device_path        = try(local.attached[index(var.users, each.key)].path, null)
  pin_wo             = ephemeral.entra_security_key_pin.pin[each.key].pin
  set_pin_if_unset   = true # fresh keys: the provider sets the random PIN
  force_pin_change   = true # the user replaces it at first use
  replace_same_model = true # a re-issued key replaces the user's old one of its model

  lifecycle {
    # The keys leave with their users: which key sat in which port matters
    # only at enrolment.
    ignore_changes = [device_path]
  }
}

output "enrolled" {
  description = "Each user's new registration: id and key model."
  value       = { for u, k in entra_security_key.key : u => { id = k.id, model = k.model } }
}
