# The policy is a tenant-wide singleton: its id is always X509Certificate.
terraform import entra_x509_certificate_policy.this X509Certificate
