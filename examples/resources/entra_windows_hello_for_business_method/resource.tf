# Graph cannot create one: bring Megan's under management by importing it
# (data.entra_user_authentication_methods lists her methods and their ids).
# Destroying the resource revokes it.
import {
  to = entra_windows_hello_for_business_method.megan
  id = "megan.bowen@contoso.example/6a2b9e1c-0000-4000-8000-00000000a002"
}

resource "entra_windows_hello_for_business_method" "megan" {
  user_id = "megan.bowen@contoso.example"
}
