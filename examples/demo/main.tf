# The demo: the seed's whole flow. Enable the Temporary Access Pass and FIDO2
# policies, issue a Temporary Access Pass for a new user, enrol a security key
# for her, and show her methods.
# `make demo` applies it against the bundled Graph emulator; the provider is
# configured from the environment the emulator prints.
terraform {
  required_providers {
    entra = {
      source = "entra-tf/entra"
    }
  }
}

provider "entra" {}

# Both policies exist in every tenant: import blocks bring them under
# management, and the plan shows what changes as Terraform's own diff.
import {
  to = entra_temporary_access_pass_policy.this
  id = "TemporaryAccessPass"
}

import {
  to = entra_fido2_policy.this
  id = "Fido2"
}

resource "entra_temporary_access_pass_policy" "this" {
  state                       = "enabled"
  is_usable_once              = true
  maximum_lifetime_in_minutes = 480
  include_targets             = [{ id = "all_users" }]
}

resource "entra_fido2_policy" "this" {
  state = "enabled"

  passkey_profiles = {
    "00000000-0000-0000-0000-000000000001" = {
      name                    = "Default passkey profile"
      passkey_types           = ["deviceBound"]
      attestation_enforcement = "registrationOnly"
    }
    "6b1e0f6a-3c4d-4e5f-8a9b-0c1d2e3f4a5b" = {
      name                    = "Approved security keys"
      passkey_types           = ["deviceBound"]
      attestation_enforcement = "registrationOnly"
      key_restrictions = {
        enforcement_type = "allow"
        aaguids          = ["CB69481E-8FF7-4039-93EC-0A2729A154A8"]
      }
    }
  }

  include_targets = [
    { id = "all_users", allowed_passkey_profiles = ["00000000-0000-0000-0000-000000000001"] },
    { id = "5c1b9e2a-7f3d-4a8e-9b6c-2d4e6f8a0b1c", allowed_passkey_profiles = ["6b1e0f6a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"] },
  ]
}

# The seed's first step for a new user: a one-time pass, issued once the
# policy allows it. Its value stays in state (sensitive); see the ephemeral
# resource for handing it on without storing it.
resource "entra_temporary_access_pass" "adele" {
  user_id             = "adele.vance@contoso.example"
  lifetime_in_minutes = 120
  depends_on          = [entra_temporary_access_pass_policy.this]
}

# The seed's second step, done by the administrator on the user's behalf:
# the security key attached to this machine (here the emulator's software
# key) makes and attests a credential that is registered for Adele.
resource "entra_security_key" "adele" {
  user_id      = "adele.vance@contoso.example"
  display_name = "Adele's security key"
  depends_on   = [entra_fido2_policy.this]
}

data "entra_user_authentication_methods" "adele" {
  user_id    = entra_temporary_access_pass.adele.user_id
  depends_on = [entra_temporary_access_pass.adele, entra_security_key.adele]
}

output "adele_security_key" {
  value = "${entra_security_key.adele.display_name}: AAGUID ${entra_security_key.adele.aaguid}, ${entra_security_key.adele.attestation_level}"
}

output "adele_methods" {
  value = [for m in data.entra_user_authentication_methods.adele.methods : "${m.type} ${m.id}"]
}

output "adele_pass" {
  value = "usable=${entra_temporary_access_pass.adele.is_usable} (${entra_temporary_access_pass.adele.method_usability_reason}), ${entra_temporary_access_pass.adele.lifetime_in_minutes} minutes from ${entra_temporary_access_pass.adele.start_date_time}"
}

output "temporary_access_pass_policy" {
  value = {
    state            = entra_temporary_access_pass_policy.this.state
    lifetime_minutes = "${entra_temporary_access_pass_policy.this.minimum_lifetime_in_minutes}..${entra_temporary_access_pass_policy.this.maximum_lifetime_in_minutes}"
    one_time_only    = entra_temporary_access_pass_policy.this.is_usable_once
  }
}

output "fido2_passkey_profiles" {
  value = { for p in entra_fido2_policy.this.passkey_profiles : p.name => {
    attestation = p.attestation_enforcement
    types       = p.passkey_types
    aaguids     = p.key_restrictions.is_enforced ? "${p.key_restrictions.enforcement_type}: ${join(", ", p.key_restrictions.aaguids)}" : "any"
  } }
}
