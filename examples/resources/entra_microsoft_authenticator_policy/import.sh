# The policy is a tenant-wide singleton: its id is always MicrosoftAuthenticator.
terraform import entra_microsoft_authenticator_policy.this MicrosoftAuthenticator
