# One-time passes of at most 8 hours for the onboarding group only.
resource "entra_temporary_access_pass_policy" "this" {
  state                       = "enabled"
  default_length              = 12
  minimum_lifetime_in_minutes = 60
  maximum_lifetime_in_minutes = 480
  default_lifetime_in_minutes = 60
  is_usable_once              = true

  include_targets = [
    { id = "5c1b9e2a-7f3d-4a8e-9b6c-2d4e6f8a0b1c" }, # group "Passwordless onboarding"
  ]
  exclude_targets = [
    { id = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b" }, # group "Break-glass accounts"
  ]
}
