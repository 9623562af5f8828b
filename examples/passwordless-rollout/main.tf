# A passwordless rollout, as one reviewed plan: the legacy MFA and SSPR
# policies retired, users of the pilot group asked to register a passkey,
# Microsoft Authenticator hardened, text message and voice codes off, FIDO2
# limited to the approved key models with attestation, and an authentication
# strength that Conditional Access can require for those same models. Applied
# to a fresh tenant it meets the EIDSCA authentication-method controls this
# provider manages (see README.md beside it).
terraform {
  required_providers {
    entra = {
      source = "entra-tf/entra"
    }
  }
}

provider "entra" {}

variable "passkey_pilot_group" {
  description = "Object id of the group whose members are asked to register a passkey first."
  type        = string
  default     = "5c1b9e2a-7f3d-4a8e-9b6c-2d4e6f8a0b1c"
}

variable "break_glass_group" {
  description = "Object id of the emergency access accounts' group, excluded from every method policy."
  type        = string
  default     = "e3b5f1c2-9d8a-4f6b-8c7d-1a2b3c4d5e6f"
}

variable "approved_key_models" {
  description = "AAGUIDs of the security key models the organisation issues."
  type        = set(string)
  default = [
    "cb69481e-8ff7-4039-93ec-0a2729a154a8", # YubiKey 5 NFC
    "ee882879-721c-4913-9775-3dfcce97072a", # YubiKey 5 NFC (firmware 5.2, 5.4)
  ]
}

locals {
  break_glass = [{ id = var.break_glass_group }]
}

# Every tenant holds its method policies already: the rollout brings them
# under management with import blocks, so the plan shows each one as
# Terraform's own diff ("will be imported", "~" for each value it changes).
# After the first apply the blocks do nothing, and can stay or go.
import {
  to = entra_authentication_methods_policy.this
  id = "authenticationMethodsPolicy"
}

import {
  to = entra_fido2_policy.this
  id = "Fido2"
}

import {
  to = entra_temporary_access_pass_policy.this
  id = "TemporaryAccessPass"
}

import {
  to = entra_microsoft_authenticator_policy.this
  id = "MicrosoftAuthenticator"
}

import {
  to = entra_sms_policy.this
  id = "Sms"
}

import {
  to = entra_voice_policy.this
  id = "Voice"
}

resource "entra_authentication_methods_policy" "this" {
  policy_migration_state = "migrationComplete"
  registration_campaign = {
    state                   = "enabled"
    snooze_duration_in_days = 1
    include_targets         = [{ id = var.passkey_pilot_group, targeted_authentication_method = "fido2" }]
    exclude_targets         = local.break_glass
  }
  # Graph beta: users report a prompt they did not cause (EIDSCA.AG02, AG03).
  report_suspicious_activity = { state = "enabled", include_target_id = "all_users" }
}

resource "entra_fido2_policy" "this" {
  state                                = "enabled"
  is_self_service_registration_allowed = true
  passkey_profiles = {
    "00000000-0000-0000-0000-000000000001" = {
      name                    = "Default passkey profile"
      passkey_types           = ["deviceBound"]
      attestation_enforcement = "registrationOnly"
      key_restrictions        = { is_enforced = true, enforcement_type = "allow", aaguids = var.approved_key_models }
    }
  }
  default_passkey_profile = "00000000-0000-0000-0000-000000000001"
  include_targets         = [{ id = "all_users", allowed_passkey_profiles = ["00000000-0000-0000-0000-000000000001"] }]
  exclude_targets         = local.break_glass
}

resource "entra_temporary_access_pass_policy" "this" {
  state                       = "enabled"
  is_usable_once              = true
  maximum_lifetime_in_minutes = 480
  include_targets             = [{ id = var.passkey_pilot_group }]
  exclude_targets             = local.break_glass
}

resource "entra_microsoft_authenticator_policy" "this" {
  state                        = "enabled"
  is_software_oath_enabled     = false
  include_targets              = [{ id = "all_users", authentication_mode = "any" }]
  exclude_targets              = local.break_glass
  display_app_information      = { state = "enabled", include_target_id = "all_users" }
  display_location_information = { state = "enabled", include_target_id = "all_users" }
  # Graph beta; Microsoft enforces it anyway (EIDSCA.AM03, AM04).
  number_matching = { state = "enabled", include_target_id = "all_users" }
}

resource "entra_sms_policy" "this" {
  state           = "disabled"
  include_targets = [{ id = "all_users", is_usable_for_sign_in = false }]
}

resource "entra_voice_policy" "this" {
  state = "disabled"
}

resource "entra_authentication_strength_policy" "approved_keys" {
  display_name          = "Approved security keys"
  description           = "Phishing-resistant sign-in with the key models the organisation issues"
  allowed_combinations  = ["fido2"]
  fido2_allowed_aaguids = var.approved_key_models

  # The strength's models are checked against the FIDO2 policy at plan.
  depends_on = [entra_fido2_policy.this]
}

output "approved_keys_strength_id" {
  description = "For Conditional Access policies to require."
  value       = entra_authentication_strength_policy.approved_keys.id
}
