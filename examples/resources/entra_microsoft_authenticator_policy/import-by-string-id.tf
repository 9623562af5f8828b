import {
  to = entra_microsoft_authenticator_policy.this
  id = "MicrosoftAuthenticator"
}
