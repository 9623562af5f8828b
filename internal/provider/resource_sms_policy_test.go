package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const smsRes = "entra_sms_policy.this"

// Create adopts the tenant's SMS policy (enabled for everyone, sign-in
// included) and narrows it; an update turns it off; import, drift and the
// reset on destroy follow.
func TestAccSmsPolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	pilot := providerBlock(e) + `
resource "entra_sms_policy" "this" {
  state           = "enabled"
  include_targets = [{ id = "AAAAAAAA-1111-1111-1111-111111111111" }]
  exclude_targets = [{ id = "bbbbbbbb-2222-2222-2222-222222222222" }]
}
`
	off := providerBlock(e) + `
resource "entra_sms_policy" "this" {
  state = "disabled"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetSmsPolicy, func(p *graph.SmsPolicy) error {
			if p.State != "enabled" || len(p.IncludeTargets) != 1 || p.IncludeTargets[0].ID != "all_users" || !p.IncludeTargets[0].IsUsableForSignIn {
				return fmt.Errorf("destroy should reset the SMS policy to Microsoft's defaults, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: pilot,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(smsRes, tfjsonpath.New("id"), knownvalue.StringExact("Sms")),
					statecheck.ExpectKnownValue(smsRes, tfjsonpath.New("include_targets"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":                    knownvalue.StringExact("AAAAAAAA-1111-1111-1111-111111111111"),
							"target_type":           knownvalue.StringExact("group"),
							"is_usable_for_sign_in": knownvalue.Bool(false),
						}),
					})),
				},
				Check: checkTenant(admin.GetSmsPolicy, func(p *graph.SmsPolicy) error {
					if p.State != "enabled" || len(p.IncludeTargets) != 1 || p.IncludeTargets[0].IsUsableForSignIn || len(p.ExcludeTargets) != 1 {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					return nil
				}),
			},
			{
				// What the configuration no longer writes keeps its value.
				Config:           off,
				ConfigPlanChecks: expectUpdate(smsRes, expectPlanned(smsRes, "state", "disabled")),
				Check: checkTenant(admin.GetSmsPolicy, func(p *graph.SmsPolicy) error {
					if p.State != "disabled" || len(p.IncludeTargets) != 1 || !strings.EqualFold(p.IncludeTargets[0].ID, "aaaaaaaa-1111-1111-1111-111111111111") {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					return nil
				}),
			},
			{ResourceName: smsRes, ImportState: true, ImportStateId: "sms", ImportStateVerify: true},
			{
				// Turned on outside Terraform: the plan turns it off again.
				PreConfig: func() {
					p, err := admin.GetSmsPolicy(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					p.State = "enabled"
					if err := admin.UpdateSmsPolicy(context.Background(), *p, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config:           off,
				ConfigPlanChecks: expectUpdate(smsRes, expectPlanned(smsRes, "state", "disabled")),
			},
		},
	})
}

// Letting text message codes sign users in is EIDSCA.AS04's finding; turning
// SMS off or keeping sign-in off is none.
func TestSmsPolicyWeakenings(t *testing.T) {
	ctx := context.Background()
	policy := func(state string, signIn bool) *smsPolicyModel {
		target := types.ObjectValueMust(smsTargetAttrs, map[string]attr.Value{
			"id": types.StringValue("all_users"), "target_type": types.StringValue("group"), "is_usable_for_sign_in": types.BoolValue(signIn),
		})
		return &smsPolicyModel{State: types.StringValue(state), IncludeTargets: types.SetValueMust(types.ObjectType{AttrTypes: smsTargetAttrs}, []attr.Value{target})}
	}
	cases := []struct {
		name        string
		prior, plan *smsPolicyModel
		want        []string
	}{
		{"sign-in turned on", policy("enabled", false), policy("enabled", true), []string{"EIDSCA.AS04"}},
		{"adopting a tenant with sign-in on, configured the same", policy("enabled", true), policy("enabled", true), nil},
		{"a new policy with sign-in", nil, policy("enabled", true), []string{"EIDSCA.AS04"}},
		{"SMS turned off", policy("enabled", true), policy("disabled", true), nil},
		{"sign-in turned off", policy("enabled", true), policy("enabled", false), nil},
	}
	for _, c := range cases {
		assertWarnings(t, c.name, c.plan.weakenings(ctx, c.prior), c.want)
	}
}
