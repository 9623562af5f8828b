import {
  to = entra_phone_method.megan_mobile
  identity = {
    user_id = "megan.bowen@contoso.example"
    id      = "3179e48a-750b-4051-897c-87b9720928f7"
  }
}
