# Issue hardware OATH tokens from the vendor's file: one token per row,
# added to the inventory, assigned to the row's user (if any) and activated
# in the same apply. See the guide "Issue hardware tokens from a vendor
# file". The seeds are read from the file and sent write-only: they are in
# neither the plan nor the state. Keep the file itself out of version
# control (a secret store, or a pipeline's secure file).
terraform {
  required_version = ">= 1.11" # write-only arguments
  required_providers {
    entra = { source = "entra-tf/entra" }
  }
}

variable "vendor_file" {
  description = "The vendor's CSV: serial_number, manufacturer, model, secret_key (base32), time_interval_in_seconds, hash_function, user."
  type        = string
  default     = "tokens.csv"
}

locals {
  rows = csvdecode(file(var.vendor_file))
  # for_each takes what may show in a plan; the seeds stay apart, sensitive.
  tokens = { for r in local.rows : r.serial_number => { for k, v in r : k => v if k != "secret_key" } }
  seeds  = sensitive({ for r in local.rows : r.serial_number => r.secret_key })
}

resource "entra_hardware_oath_token" "this" {
  for_each                 = local.tokens
  serial_number            = each.key
  manufacturer             = each.value.manufacturer
  model                    = each.value.model
  time_interval_in_seconds = tonumber(each.value.time_interval_in_seconds)
  hash_function            = each.value.hash_function
  secret_key_wo            = local.seeds[each.key]
  user_id                  = each.value.user != "" ? each.value.user : null
}

output "issued" {
  description = "Each token's status and holder, by serial number."
  value       = { for s, t in entra_hardware_oath_token.this : s => { status = t.status, user = t.user_id } }
}
