# <user_id>/<method_id>: every user's email method has this id.
terraform import entra_email_method.megan megan.bowen@contoso.example/3ddfcfc8-9383-446f-83cc-3ab9be4be18f
