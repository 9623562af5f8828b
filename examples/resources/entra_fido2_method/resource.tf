# Manage a registration made by other tooling (bring your own attestation):
# a WebAuthn credential created against Graph's creation options for the user.
resource "entra_fido2_method" "megan" {
  user_id               = "megan.bowen@contoso.example"
  display_name          = "Megan's key"
  public_key_credential = file("${path.module}/megan-credential.json")
}
