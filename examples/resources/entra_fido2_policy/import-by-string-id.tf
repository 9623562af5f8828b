import {
  to = entra_fido2_policy.this
  id = "Fido2"
}
