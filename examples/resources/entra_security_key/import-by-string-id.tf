import {
  to = entra_security_key.adele
  id = "adele.vance@contoso.example/pYx8Q2ZkN0dFbGd3X2xWc1BpNnFlQkE1"
}
