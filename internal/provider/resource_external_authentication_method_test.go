package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const externalRes = "entra_external_authentication_method.duo"

func externalConfig(e *emulator.Emulator, state string) string {
	return providerBlock(e) + fmt.Sprintf(`
resource "entra_external_authentication_method" "duo" {
  display_name  = "Cisco Duo"
  app_id        = "AAAAAAAA-1111-1111-1111-111111111111"
  client_id     = "duo-client"
  discovery_url = "https://duo.example/.well-known/openid-configuration"
  state         = %q
}
`, state)
}

// externalHeld is the external method of the state, as the tenant holds it.
func externalHeld(admin *graph.Client, s *terraform.State) (*graph.ExternalMethod, error) {
	return admin.GetExternalMethod(context.Background(), s.RootModule().Resources[externalRes].Primary.ID)
}

// An external method is created for everyone, turned on, imported,
// recreated after a deletion outside Terraform, and deleted on destroy.
func TestAccExternalAuthenticationMethod_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: func(s *terraform.State) error {
			if found, err := admin.FindExternalMethod(context.Background(), "aaaaaaaa-1111-1111-1111-111111111111"); err != nil || found != nil {
				return fmt.Errorf("destroy left the external method: %+v, %v", found, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: externalConfig(e, "disabled"),
				ConfigStateChecks: []statecheck.StateCheck{
					// The configured (upper) case is kept.
					statecheck.ExpectKnownValue(externalRes, tfjsonpath.New("app_id"), knownvalue.StringExact("AAAAAAAA-1111-1111-1111-111111111111")),
					statecheck.ExpectKnownValue(externalRes, tfjsonpath.New("include_targets"), knownvalue.SetSizeExact(1)),
				},
				Check: func(s *terraform.State) error {
					held, err := externalHeld(admin, s)
					if err != nil || held.IncludeTargets[0].ID != "all_users" || held.OpenIDConnectSetting.ClientID != "duo-client" {
						return fmt.Errorf("tenant does not hold the method: %+v, %v", held, err)
					}
					return nil
				},
			},
			{
				Config:           externalConfig(e, "enabled"),
				ConfigPlanChecks: expectUpdate(externalRes, expectPlanned(externalRes, "state", "enabled")),
			},
			// An import reads the app id in Graph's case; the configuration wrote it in upper case.
			{ResourceName: externalRes, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"app_id"}},
			{
				PreConfig: func() {
					found, err := admin.FindExternalMethod(context.Background(), "aaaaaaaa-1111-1111-1111-111111111111")
					if err != nil || found == nil {
						t.Fatalf("external method: %+v, %v", found, err)
					}
					if err := admin.DeleteExternalMethod(context.Background(), found.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             externalConfig(e, "enabled"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// The create's answer is lost after Graph committed it: the provider finds
// the method by its app registration and records it, rather than failing on
// the duplicate a second create would be.
func TestAccExternalAuthenticationMethod_lostCreateAnswer(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	e.Inject(emulator.Fault{Method: "POST", PathContains: "authenticationMethodConfigurations", Action: "reset-after", Times: 1})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps:                    []resource.TestStep{{Config: externalConfig(e, "enabled"), Check: resource.TestCheckResourceAttrSet(externalRes, "id")}},
	})
}
