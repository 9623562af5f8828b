# The policy is a tenant-wide singleton: its id is always authenticationMethodsPolicy.
terraform import entra_authentication_methods_policy.this authenticationMethodsPolicy
