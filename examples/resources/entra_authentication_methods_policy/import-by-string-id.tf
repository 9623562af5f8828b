import {
  to = entra_authentication_methods_policy.this
  id = "authenticationMethodsPolicy"
}
