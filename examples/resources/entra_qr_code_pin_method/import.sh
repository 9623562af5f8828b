# The user's object id or user principal name: a user has one method.
terraform import entra_qr_code_pin_method.adele adele.vance@contoso.example
