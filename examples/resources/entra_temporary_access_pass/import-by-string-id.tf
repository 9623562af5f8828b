import {
  to = entra_temporary_access_pass.new_hire
  id = "adele.vance@contoso.example/5d7c2f3e-0000-4000-8000-000000000001"
}
