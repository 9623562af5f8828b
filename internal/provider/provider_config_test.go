package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

func TestAccProvider_credentials(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	block := func(settings string) string {
		return `
provider "entra" {
  graph_endpoint = "` + e.URL() + `"
  authority_host = "` + e.URL() + `"
` + settings + `
}
data "entra_fido2_policy" "current" {}
`
	}
	ids := `
  tenant_id = "` + e.TenantID() + `"
  client_id = "` + e.ClientID() + `"
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config:      block(ids),
				ExpectError: errorLike("no credentials are configured: set one of client_secret, client_certificate_path, use_oidc, use_msi or use_cli"),
			},
			{
				Config:      block(ids + `client_secret = "x"` + "\n" + `use_msi = true`),
				ExpectError: errorLike("conflicting credentials: client_secret (ARM_CLIENT_SECRET), use_msi (ARM_USE_MSI) are all configured; choose exactly one"),
			},
			{
				Config:      block(`client_secret = "x"`),
				ExpectError: errorLike("client_secret (ARM_CLIENT_SECRET) needs tenant_id (ARM_TENANT_ID) and client_id (ARM_CLIENT_ID)"),
			},
			{
				Config:      block(ids + `use_oidc = true`),
				ExpectError: errorLike("use_oidc needs oidc_token (ARM_OIDC_TOKEN) or oidc_token_file_path (ARM_OIDC_TOKEN_FILE_PATH)"),
			},
			{
				// A wrong secret reaches the token endpoint and says so.
				Config:      block(ids + `client_secret = "wrong"`),
				ExpectError: errorLike("AADSTS7000215: Invalid client secret provided."),
			},
			{
				Config:      strings.Replace(block(ids+`client_secret = "`+e.ClientSecret()+`"`), e.URL()+`"`+"\n  authority_host", `http://127.0.0.1:1"`+"\n  authority_host", 1),
				ExpectError: errorLike(`graph endpoint "http://127.0.0.1:1" must be an https URL`),
			},
			{
				Config: block(ids + `client_secret = "` + e.ClientSecret() + `"`),
			},
		},
	})
}

// Settings come from the ARM_* and ENTRA_* environment variables when the
// provider block leaves them out.
func TestAccProvider_environment(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	t.Setenv("ARM_TENANT_ID", e.TenantID())
	t.Setenv("ARM_CLIENT_ID", e.ClientID())
	t.Setenv("ARM_CLIENT_SECRET", e.ClientSecret())
	t.Setenv("ENTRA_GRAPH_ENDPOINT", e.URL())
	t.Setenv("ENTRA_AUTHORITY_HOST", e.URL())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: `data "entra_temporary_access_pass_policy" "current" {}`,
			Check:  resource.TestCheckResourceAttr("data.entra_temporary_access_pass_policy.current", "id", "TemporaryAccessPass"),
		}},
	})
	if n := e.Requests()["POST token"]; n == 0 {
		t.Error("the provider never asked the emulator's token endpoint for a token")
	}
}
