# <user_id>/<phone type>, or <user_id>/<method id>.
import {
  to = entra_phone_method.megan_mobile
  id = "megan.bowen@contoso.example/mobile"
}
