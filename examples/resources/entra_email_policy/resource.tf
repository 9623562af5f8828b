# Email one-time passcodes for self-service password reset of the tenant's
# frontline staff only; external users sign in with their own identity.
resource "entra_email_policy" "this" {
  state                              = "enabled"
  allow_external_id_to_use_email_otp = "disabled"
  include_targets                    = [{ id = "11111111-1111-1111-1111-111111111111" }] # frontline staff
}
