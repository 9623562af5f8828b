# Credentials usually come from the environment (ARM_TENANT_ID, ARM_CLIENT_ID,
# ARM_CLIENT_SECRET, ...); exactly one credential method may be configured.
provider "entra" {
  tenant_id = "00000000-0000-0000-0000-000000000000"
  client_id = "11111111-1111-1111-1111-111111111111"
  # client_secret from ARM_CLIENT_SECRET

  # For a national cloud, or the bundled Graph emulator:
  # graph_endpoint = "https://graph.microsoft.us"
  # authority_host = "https://login.microsoftonline.us/"
}
