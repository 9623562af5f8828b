# The provider block of an azuread configuration works unchanged: the
# arguments, their ARM_* environment variables and the order in which
# credentials are tried are the azuread provider's. In a GitHub Actions job
# with `permissions: id-token: write`, this authenticates with the job's OIDC
# token; elsewhere with ARM_CLIENT_SECRET, a certificate, a managed identity,
# or the Azure CLI's signed-in account.
provider "entra" {
  tenant_id = "00000000-0000-0000-0000-000000000000"
  client_id = "11111111-1111-1111-1111-111111111111"
  use_oidc  = true

  # For a national cloud:
  # environment = "usgovernment"
}
