import {
  to = entra_windows_hello_for_business_method.this
  identity = {
    user_id = "megan.bowen@contoso.example"
    id      = "b1f3c0e2-6a7d-4e8f-9a0b-1c2d3e4f5a6b"
  }
}
