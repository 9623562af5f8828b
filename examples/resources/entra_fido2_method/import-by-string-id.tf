import {
  to = entra_fido2_method.megan
  id = "megan.bowen@contoso.example/pYx8Q2ZkN0dFbGd3X2xWc1BpNnFlQkE1"
}
