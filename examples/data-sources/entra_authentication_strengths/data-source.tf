data "entra_authentication_strengths" "builtin" {
  policy_type = "builtIn"
}

# The id Conditional Access policies name for phishing-resistant MFA.
output "phishing_resistant_mfa" {
  value = one([for s in data.entra_authentication_strengths.builtin.strengths : s.id if s.display_name == "Phishing-resistant MFA"])
}
