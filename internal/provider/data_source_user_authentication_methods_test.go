package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// The filters pick what a lost device held out of everything Megan has:
// by type, by the device's name (whatever its case) and by age.
func TestAccUserAuthenticationMethodsDataSource_filters(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	lostLaptop(e)
	e.AddHeldMethod(megan.ID, emulator.HeldMethod{Kind: "microsoftAuthenticator", ID: "6a2b9e1c-0000-4000-8000-00000000b001",
		Properties: map[string]any{"displayName": "Megan's new iPhone"}, Created: e.Now().Add(time.Hour)})
	if _, err := adminClient(t, e).CreatePhoneMethod(context.Background(), megan.ID, graph.PhoneMethod{PhoneNumber: "+1 2065550100", PhoneType: "mobile"}); err != nil {
		t.Fatal(err)
	}
	recent := e.Now().Add(30 * time.Minute).Format(time.RFC3339)
	res := func(name string) string { return "data.entra_user_authentication_methods." + name }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(e) + fmt.Sprintf(`
data "entra_user_authentication_methods" "all" {
  user_id = %[1]q
}

data "entra_user_authentication_methods" "authenticators" {
  user_id = %[1]q
  types   = ["microsoftAuthenticator"]
}

data "entra_user_authentication_methods" "laptop" {
  user_id      = %[1]q
  display_name = "megan-laptop"
}

data "entra_user_authentication_methods" "before_the_loss" {
  user_id        = %[1]q
  types          = ["microsoftAuthenticator", "windowsHelloForBusiness", "platformCredential"]
  created_before = %[2]q
}
`, megan.UserPrincipalName, recent),
			Check: resource.ComposeAggregateTestCheckFunc(
				// password, phone, four lost methods, the new phone app.
				resource.TestCheckResourceAttr(res("all"), "methods.#", "7"),
				resource.TestCheckResourceAttr(res("authenticators"), "methods.#", "2"),
				resource.TestCheckResourceAttr(res("laptop"), "methods.#", "1"),
				resource.TestCheckResourceAttr(res("laptop"), "methods.0.type", "windowsHelloForBusiness"),
				resource.TestCheckResourceAttr(res("laptop"), "methods.0.display_name", "MEGAN-LAPTOP"),
				resource.TestCheckResourceAttrSet(res("laptop"), "methods.0.created_date_time"),
				resource.TestCheckResourceAttr(res("before_the_loss"), "methods.#", "3"),
				resource.TestCheckResourceAttr(res("before_the_loss"), "methods.0.id", "6a2b9e1c-0000-4000-8000-00000000a001"),
			),
		}},
	})
}
