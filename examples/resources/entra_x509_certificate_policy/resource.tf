# Smart cards: certificates bound by their subject key identifier (high
# affinity), and multi-factor only when the smart card CA issued them.
resource "entra_x509_certificate_policy" "this" {
  state = "enabled"
  certificate_user_bindings = [
    { certificate_field = "SubjectKeyIdentifier", user_property = "certificateUserIds", priority = 1 },
  ]
  default_authentication_mode = "x509CertificateSingleFactor"
  authentication_mode_rules = [
    { type = "issuerSubject", identifier = "CN=Contoso Smart Card CA, O=Contoso", authentication_mode = "x509CertificateMultiFactor", affinity_level = "high" },
  ]
  include_targets = [{ id = "11111111-1111-1111-1111-111111111111" }] # smart card holders
}
