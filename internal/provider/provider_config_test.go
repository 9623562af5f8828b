package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

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
