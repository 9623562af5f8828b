# Every Windows Hello for Business registration in the pilot group, for an audit or an offboarding.
list "entra_windows_hello_for_business_method" "pilot" {
  provider = entra
  limit    = 1000

  config {
    group_id = "5c1b9e2a-7f3d-4a8e-9b6c-2d4e6f8a0b1c"
  }
}
