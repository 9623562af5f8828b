# Phishing-resistant sign-in with the security key models the organisation
# issues (YubiKey 5 NFC here), or Windows Hello for Business: for Conditional
# Access policies of administrators to require.
resource "entra_authentication_strength_policy" "approved_keys" {
  display_name          = "Approved security keys"
  description           = "Phishing-resistant methods, limited to the key models we issue"
  allowed_combinations  = ["fido2", "windowsHelloForBusiness"]
  fido2_allowed_aaguids = ["cb69481e-8ff7-4039-93ec-0a2729a154a8"]
}
