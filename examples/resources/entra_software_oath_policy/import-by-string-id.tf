import {
  to = entra_software_oath_policy.this
  id = "SoftwareOath"
}
