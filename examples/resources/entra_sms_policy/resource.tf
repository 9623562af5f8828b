# Text message codes stay a second factor for the helpdesk pilot only, never a
# way to sign in without a password (EIDSCA.AS04); everyone else goes
# passwordless.
resource "entra_sms_policy" "this" {
  state = "enabled"
  include_targets = [{
    id                    = "11111111-1111-1111-1111-111111111111" # SSPR pilot group
    is_usable_for_sign_in = false
  }]
  exclude_targets = [{ id = "22222222-2222-2222-2222-222222222222" }] # break-glass accounts
}
