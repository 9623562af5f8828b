# <user_id>/<method_id>: bring an existing registration under management.
terraform import entra_fido2_method.megan megan.bowen@contoso.example/pYx8Q2ZkN0dFbGd3X2xWc1BpNnFlQkE1
