import {
  to = entra_temporary_access_pass.new_hire
  identity = {
    user_id = "adele.vance@contoso.example"
    id      = "5d7c2f3e-0000-4000-8000-000000000001"
  }
}
