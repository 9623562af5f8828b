import {
  to = entra_email_method.megan
  identity = {
    user_id = "megan.bowen@contoso.example"
    id      = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"
  }
}
