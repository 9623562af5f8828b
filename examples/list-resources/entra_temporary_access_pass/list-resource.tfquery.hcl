# The passes of the users in the onboarding group.
list "entra_temporary_access_pass" "onboarding" {
  provider = entra
  limit    = 1000

  config {
    group_id = "5c1b9e2a-7f3d-4a8e-9b6c-2d4e6f8a0b1c"
  }
}
