package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

func TestAccTemporaryAccessPassDataSources(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	enableTAPPolicy(t, adminClient(t, e), nil)
	methods := "data.entra_user_authentication_methods.adele"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: passConfig(e, "lifetime_in_minutes = 90") + fmt.Sprintf(`
data "entra_temporary_access_pass" "adele" {
  user_id    = %[1]q
  depends_on = [entra_temporary_access_pass.adele]
}

data "entra_user_authentication_methods" "adele" {
  user_id    = %[1]q
  depends_on = [entra_temporary_access_pass.adele]
}
`, adele.ID),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttrPair("data.entra_temporary_access_pass.adele", "id", passRes, "id"),
				resource.TestCheckResourceAttr("data.entra_temporary_access_pass.adele", "lifetime_in_minutes", "90"),
				resource.TestCheckNoResourceAttr("data.entra_temporary_access_pass.adele", "temporary_access_pass"),
				resource.TestCheckResourceAttr(methods, "methods.#", "2"),
				resource.TestCheckResourceAttr(methods, "methods.0.type", "password"),
				resource.TestCheckResourceAttr(methods, "methods.1.type", "temporaryAccessPass"),
				resource.TestCheckResourceAttr(methods, "methods.1.odata_type", "#microsoft.graph.temporaryAccessPassAuthenticationMethod"),
				resource.TestCheckResourceAttrPair(methods, "methods.1.id", passRes, "id"),
				resource.TestCheckResourceAttr(methods, "methods.1.properties.lifetimeInMinutes", "90"),
				resource.TestCheckResourceAttr(methods, "methods.1.properties.methodUsabilityReason", "EnabledByPolicy"),
				resource.TestCheckNoResourceAttr(methods, "methods.1.properties.temporaryAccessPass"),
			),
		}},
	})
}
