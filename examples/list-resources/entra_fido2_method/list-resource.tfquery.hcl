# Every FIDO2 registration in the tenant. The registration report says who
# holds one, so users without a key cost no request.
list "entra_fido2_method" "all" {
  provider = entra
  limit    = 5000
}
