# An external authentication method is imported by the id Graph gave it.
terraform import entra_external_authentication_method.duo 9f8e7d6c-5b4a-4392-8170-6a5b4c3d2e1f
