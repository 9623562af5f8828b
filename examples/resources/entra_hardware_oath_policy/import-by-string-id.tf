import {
  to = entra_hardware_oath_policy.this
  id = "HardwareOath"
}
