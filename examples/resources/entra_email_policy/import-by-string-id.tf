import {
  to = entra_email_policy.this
  id = "Email"
}
