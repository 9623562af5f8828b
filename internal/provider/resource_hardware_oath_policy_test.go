package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// The policy lives in Graph beta: created (adopted), updated, imported and
// reset there; Graph v1.0 does not know it.
func TestAccHardwareOathPolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	res := "entra_hardware_oath_policy.this"
	config := func(state string) string {
		return providerBlock(e) + fmt.Sprintf("resource \"entra_hardware_oath_policy\" \"this\" {\n  state = %q\n  include_targets = [{ id = \"aaaaaaaa-1111-1111-1111-111111111111\" }]\n}\n", state)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetHardwareOathPolicy, func(p *graph.TargetsPolicy) error {
			if p.State != "disabled" || p.IncludeTargets[0].ID != "all_users" {
				return fmt.Errorf("destroy should reset the policy to Microsoft's defaults, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config("enabled"),
				Check: checkTenant(admin.GetHardwareOathPolicy, func(p *graph.TargetsPolicy) error {
					if p.State != "enabled" {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					if n := e.Requests()["PATCH authenticationMethodConfigurations"]; n != 1 {
						return fmt.Errorf("%d PATCHes, want the one through beta", n)
					}
					return nil
				}),
			},
			{Config: config("disabled"), ConfigPlanChecks: expectUpdate(res, expectPlanned(res, "state", "disabled"))},
			{ResourceName: res, ImportState: true, ImportStateId: "hardwareOath", ImportStateVerify: true},
		},
	})
	if err := admin.ResetPolicy(context.Background(), graph.HardwareOathID); !graph.IsNotFound(err) {
		t.Errorf("Graph v1.0 answers the beta configuration: %v", err)
	}
}
