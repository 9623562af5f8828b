import {
  to = entra_x509_certificate_policy.this
  id = "X509Certificate"
}
