# Voice calls off (EIDSCA.AV01): a phone call is a weak second factor.
resource "entra_voice_policy" "this" {
  state = "disabled"
}
