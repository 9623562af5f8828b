package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Create adopts the tenant's email policy (no include targets) and closes it
// to external users; an update opens it to a group; import and drift follow;
// destroy resets it.
func TestAccEmailPolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	res := "entra_email_policy.this"
	config := func(body string) string {
		return providerBlock(e) + "resource \"entra_email_policy\" \"this\" {\n  state = \"enabled\"\n" + body + "}\n"
	}
	closed := config("  allow_external_id_to_use_email_otp = \"disabled\"\n")
	members := config("  allow_external_id_to_use_email_otp = \"disabled\"\n  include_targets = [{ id = \"aaaaaaaa-1111-1111-1111-111111111111\" }]\n")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetEmailPolicy, func(p *graph.EmailPolicy) error {
			if p.AllowExternalIDToUseEmailOtp != "default" || len(p.IncludeTargets) != 0 {
				return fmt.Errorf("destroy should reset the email policy to Microsoft's defaults, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: closed,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("include_targets"), knownvalue.SetSizeExact(0)),
				},
				Check: checkTenant(admin.GetEmailPolicy, func(p *graph.EmailPolicy) error {
					if p.State != "enabled" || p.AllowExternalIDToUseEmailOtp != "disabled" {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					return nil
				}),
			},
			{
				Config:           members,
				ConfigPlanChecks: expectUpdate(res),
				Check: checkTenant(admin.GetEmailPolicy, func(p *graph.EmailPolicy) error {
					if len(p.IncludeTargets) != 1 || p.IncludeTargets[0].TargetType != "group" {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					return nil
				}),
			},
			{ResourceName: res, ImportState: true, ImportStateId: "email", ImportStateVerify: true},
			{
				// Opened to external users outside Terraform: the plan closes it.
				PreConfig: func() {
					p, err := admin.GetEmailPolicy(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					p.AllowExternalIDToUseEmailOtp = "enabled"
					if err := admin.UpdateEmailPolicy(context.Background(), *p, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config:           members,
				ConfigPlanChecks: expectUpdate(res, expectPlanned(res, "allow_external_id_to_use_email_otp", "disabled")),
			},
		},
	})
}
