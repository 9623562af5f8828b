# <user_id>/<method_id>
terraform import entra_software_oath_method.megan megan.bowen@contoso.example/6a2b9e1c-0000-4000-8000-00000000a004
