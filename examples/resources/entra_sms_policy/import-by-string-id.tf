import {
  to = entra_sms_policy.this
  id = "Sms"
}
