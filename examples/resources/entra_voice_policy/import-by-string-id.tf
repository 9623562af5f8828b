import {
  to = entra_voice_policy.this
  id = "Voice"
}
