# <user_id>/<method_id>. The device and credential id are unknown after import.
terraform import entra_security_key.adele adele.vance@contoso.example/pYx8Q2ZkN0dFbGd3X2xWc1BpNnFlQkE1
