# <user_id>/<phone type> (mobile, alternateMobile or office), or <user_id>/<method id>.
terraform import entra_phone_method.megan_mobile megan.bowen@contoso.example/mobile
