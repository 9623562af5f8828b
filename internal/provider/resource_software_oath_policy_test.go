package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Create adopts the tenant's software OATH policy (on for everyone) and
// narrows it to a group with an exclusion; an update turns it off; import,
// a reset outside Terraform and destroy follow.
func TestAccSoftwareOathPolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	res := "entra_software_oath_policy.this"
	config := func(state string) string {
		return providerBlock(e) + fmt.Sprintf(`
resource "entra_software_oath_policy" "this" {
  state           = %q
  include_targets = [{ id = "aaaaaaaa-1111-1111-1111-111111111111" }]
  exclude_targets = [{ id = "bbbbbbbb-2222-2222-2222-222222222222" }]
}
`, state)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetSoftwareOathPolicy, func(p *graph.TargetsPolicy) error {
			if p.State != "enabled" || p.IncludeTargets[0].ID != "all_users" || len(p.ExcludeTargets) != 0 {
				return fmt.Errorf("destroy should reset the software OATH policy to Microsoft's defaults, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config("enabled"),
				Check: checkTenant(admin.GetSoftwareOathPolicy, func(p *graph.TargetsPolicy) error {
					if p.IncludeTargets[0].ID != "aaaaaaaa-1111-1111-1111-111111111111" || len(p.ExcludeTargets) != 1 {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					return nil
				}),
			},
			{Config: config("disabled"), ConfigPlanChecks: expectUpdate(res, expectPlanned(res, "state", "disabled"))},
			{ResourceName: res, ImportState: true, ImportStateId: "SoftwareOath", ImportStateVerify: true},
			{
				PreConfig: func() {
					if err := admin.ResetPolicy(context.Background(), graph.SoftwareOathID); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config("disabled"),
				ConfigPlanChecks: expectUpdate(res, expectPlanned(res, "state", "disabled")),
			},
		},
	})
}
