# Revoke what a lost device held: find the user's methods registered on it
# by the device's name, bring them under management by import, review, and
# then destroy them, which revokes each one. See the guide "Offboard a lost
# device".
terraform {
  required_version = ">= 1.7" # import blocks with for_each
  required_providers {
    entra = { source = "entra-tf/entra" }
  }
}

variable "user_id" {
  description = "The user who lost the device: object id or user principal name."
  type        = string
}

variable "device_names" {
  description = "The lost devices' names, as the methods registered on them show them (any case)."
  type        = set(string)
}

variable "registered_before" {
  description = "Only methods registered before this time (RFC 3339), such as when the device was lost: what the user registered since stays."
  type        = string
}

data "entra_user_authentication_methods" "on_device" {
  for_each       = var.device_names
  user_id        = var.user_id
  display_name   = each.value
  types          = ["microsoftAuthenticator", "windowsHelloForBusiness", "platformCredential"]
  created_before = var.registered_before
}

locals {
  held = merge([for d in data.entra_user_authentication_methods.on_device : { for m in d.methods : m.id => m.type }]...)
  of_type = {
    for t in ["microsoftAuthenticator", "windowsHelloForBusiness", "platformCredential"] :
    t => toset([for id, type in local.held : id if type == t])
  }
}

import {
  for_each = local.of_type["microsoftAuthenticator"]
  to       = entra_microsoft_authenticator_method.lost[each.value]
  id       = "${var.user_id}/${each.value}"
}

resource "entra_microsoft_authenticator_method" "lost" {
  for_each = local.of_type["microsoftAuthenticator"]
  user_id  = var.user_id
}

import {
  for_each = local.of_type["windowsHelloForBusiness"]
  to       = entra_windows_hello_for_business_method.lost[each.value]
  id       = "${var.user_id}/${each.value}"
}

resource "entra_windows_hello_for_business_method" "lost" {
  for_each = local.of_type["windowsHelloForBusiness"]
  user_id  = var.user_id
}

import {
  for_each = local.of_type["platformCredential"]
  to       = entra_platform_credential_method.lost[each.value]
  id       = "${var.user_id}/${each.value}"
}

resource "entra_platform_credential_method" "lost" {
  for_each = local.of_type["platformCredential"]
  user_id  = var.user_id
}

output "to_revoke" {
  description = "What terraform destroy will revoke, by method id."
  value       = local.held
}
