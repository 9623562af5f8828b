# A one-time pass for a new hire's first morning. The value is a sensitive
# attribute in state: hand it over once, then let it expire.
resource "entra_temporary_access_pass" "new_hire" {
  user_id             = "adele.vance@contoso.example"
  start_date_time     = "2030-01-06T08:00:00Z"
  lifetime_in_minutes = 240
  is_usable_once      = true
}

output "new_hire_pass" {
  value     = entra_temporary_access_pass.new_hire.temporary_access_pass
  sensitive = true
}
