# The token's serial number (or its id in the inventory).
import {
  to = entra_hardware_oath_token.megan
  id = "TOTP123456"
}
