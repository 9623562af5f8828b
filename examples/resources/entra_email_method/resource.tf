# The address Megan's password-reset codes go to: one outside the tenant.
resource "entra_email_method" "megan" {
  user_id       = "megan.bowen@contoso.example"
  email_address = "megan.bowen@fabrikam.example"
}
