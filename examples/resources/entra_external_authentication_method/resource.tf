# An external MFA provider for the contractors who already carry its tokens;
# Entra reaches it through OpenID Connect, as the app registration says.
resource "entra_external_authentication_method" "duo" {
  display_name    = "Cisco Duo"
  app_id          = "33333333-3333-3333-3333-333333333333" # the provider's app registration
  client_id       = "DIXXXXXXXXXXXXXXXXXX"
  discovery_url   = "https://us.azureauth.duosecurity.com/.well-known/openid-configuration"
  state           = "enabled"
  include_targets = [{ id = "11111111-1111-1111-1111-111111111111" }] # contractors
}
