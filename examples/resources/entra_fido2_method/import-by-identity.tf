import {
  to = entra_fido2_method.megan
  identity = {
    user_id = "megan.bowen@contoso.example"
    id      = "pYx8Q2ZkN0dFbGd3X2xWc1BpNnFlQkE1"
  }
}
