package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const tapRes = "entra_temporary_access_pass_policy.this"

func tapConfig(e *emulator.Emulator, body string) string {
	return providerBlock(e) + `
resource "entra_temporary_access_pass_policy" "this" {
` + body + `
}
`
}

func TestAccTemporaryAccessPassPolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	created := tapConfig(e, `
  state                       = "enabled"
  default_length              = 12
  minimum_lifetime_in_minutes = 60
  maximum_lifetime_in_minutes = 240
  default_lifetime_in_minutes = 120
  is_usable_once              = true
  include_targets = [{ id = "AAAAAAAA-1111-1111-1111-111111111111", is_registration_required = true }]
`)
	updated := tapConfig(e, `
  state                       = "enabled"
  maximum_lifetime_in_minutes = 600
  include_targets = [{ id = "aaaaaaaa-1111-1111-1111-111111111111" }]
  exclude_targets = [{ id = "bbbbbbbb-2222-2222-2222-222222222222" }]
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetTemporaryAccessPassPolicy, func(p *graph.TemporaryAccessPassPolicy) error {
			if p.State != "disabled" || p.DefaultLength != 8 || p.MaximumLifetimeInMinutes != 480 ||
				len(p.IncludeTargets) != 1 || p.IncludeTargets[0].ID != "all_users" {
				return fmt.Errorf("destroy should revert the policy to the tenant defaults, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(tapRes, tfjsonpath.New("id"), knownvalue.StringExact("TemporaryAccessPass")),
					statecheck.ExpectKnownValue(tapRes, tfjsonpath.New("default_length"), knownvalue.Int64Exact(12)),
					statecheck.ExpectKnownValue(tapRes, tfjsonpath.New("is_usable_once"), knownvalue.Bool(true)),
					// The configured (upper) case is kept although Graph answers in lower case.
					statecheck.ExpectKnownValue(tapRes, tfjsonpath.New("include_targets"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":                       knownvalue.StringExact("AAAAAAAA-1111-1111-1111-111111111111"),
							"target_type":              knownvalue.StringExact("group"),
							"is_registration_required": knownvalue.Bool(true),
						}),
					})),
					statecheck.ExpectKnownValue(tapRes, tfjsonpath.New("exclude_targets"), knownvalue.SetSizeExact(0)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkTenant(admin.GetTemporaryAccessPassPolicy, func(p *graph.TemporaryAccessPassPolicy) error {
						if p.State != "enabled" || p.DefaultLength != 12 || p.DefaultLifetimeInMinutes != 120 || !p.IsUsableOnce ||
							!p.IncludeTargets[0].IsRegistrationRequired {
							return fmt.Errorf("tenant does not hold the configuration: %+v", p)
						}
						return nil
					}),
				),
			},
			{
				// What the configuration no longer writes keeps its value.
				Config:           updated,
				ConfigPlanChecks: expectUpdate(tapRes),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(tapRes, "maximum_lifetime_in_minutes", "600"),
					resource.TestCheckResourceAttr(tapRes, "default_length", "12"),
					resource.TestCheckResourceAttr(tapRes, "is_usable_once", "true"),
					resource.TestCheckResourceAttr(tapRes, "exclude_targets.0.id", "bbbbbbbb-2222-2222-2222-222222222222"),
				),
			},
			{
				ResourceName:      tapRes,
				ImportState:       true,
				ImportStateId:     "temporaryAccessPass",
				ImportStateVerify: true,
			},
			{
				// Changed outside Terraform: the plan corrects it.
				PreConfig: func() {
					p, err := admin.GetTemporaryAccessPassPolicy(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					p.State, p.MaximumLifetimeInMinutes = "disabled", 1440
					if err := admin.UpdateTemporaryAccessPassPolicy(context.Background(), *p, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config:           updated,
				ConfigPlanChecks: expectUpdate(tapRes, expectPlanned(tapRes, "state", "enabled")),
				Check: checkTenant(admin.GetTemporaryAccessPassPolicy, func(p *graph.TemporaryAccessPassPolicy) error {
					if p.State != "enabled" || p.MaximumLifetimeInMinutes != 600 {
						return fmt.Errorf("drift not corrected: %+v", p)
					}
					return nil
				}),
			},
			{
				// Reverted to defaults outside Terraform (Graph's DELETE): detected too.
				PreConfig: func() {
					if err := admin.ResetPolicy(context.Background(), graph.TemporaryAccessPassID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             updated,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestAccTemporaryAccessPassPolicy_throttled(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	e.Inject(emulator.Fault{Method: "PATCH", PathContains: "TemporaryAccessPass", Status: 429, RetryAfter: 1, Times: 2})
	e.Inject(emulator.Fault{Method: "GET", PathContains: "TemporaryAccessPass", Status: 503, Times: 1})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: tapConfig(e, `state = "enabled"`),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(tapRes, "state", "enabled"),
				func(*terraform.State) error {
					if n := e.Requests()["PATCH authenticationMethodConfigurations"]; n != 3 {
						return fmt.Errorf("want 2 throttled PATCHes and 1 that succeeded, emulator saw %d", n)
					}
					return nil
				},
			),
		}},
	})
}

// Throttling that outlasts the retry budget fails with what to do, and the
// policy is left as it was.
func TestAccTemporaryAccessPassPolicy_throttledBeyondBudget(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	e.Inject(emulator.Fault{Method: "PATCH", PathContains: "TemporaryAccessPass", Status: 429, RetryAfter: 3600})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      tapConfig(e, `state = "enabled"`),
			ExpectError: errorLike("Graph kept throttling the tenant beyond the provider's retry budget (5 minutes per request). Apply again later, or with a lower -parallelism."),
		}},
	})
	p, err := adminClient(t, e).GetTemporaryAccessPassPolicy(context.Background())
	if err != nil || p.State != "disabled" {
		t.Errorf("the policy should be unchanged: %+v %v", p, err)
	}
}

func tapPolicyFixture(state string, max int64, once bool) *tapPolicyModel {
	return &tapPolicyModel{State: types.StringValue(state), MaximumLifetimeInMinutes: types.Int64Value(max), IsUsableOnce: types.BoolValue(once)}
}

func TestTAPPolicyWeakenings(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name        string
		prior, plan *tapPolicyModel
		want        []string
	}{
		{"new strict policy", nil, tapPolicyFixture("enabled", 480, true), nil},
		{"new permissive policy", nil, tapPolicyFixture("enabled", 1440, false), []string{"|longer than 8 hours", "EIDSCA.AT02|multi-use"}},
		{"disabled policy", nil, tapPolicyFixture("disabled", 1440, false), nil},
		{"lifetime raised past 8h", tapPolicyFixture("enabled", 480, false), tapPolicyFixture("enabled", 600, false), []string{"|longer than 8 hours"}},
		{"already long, unchanged", tapPolicyFixture("enabled", 600, false), tapPolicyFixture("enabled", 600, false), nil},
		{"one-time turned off", tapPolicyFixture("enabled", 60, true), tapPolicyFixture("enabled", 60, false), []string{"EIDSCA.AT02|multi-use"}},
		{"enabling a permissive policy", tapPolicyFixture("disabled", 600, false), tapPolicyFixture("enabled", 600, false), []string{"|longer than 8 hours", "EIDSCA.AT02|multi-use"}},
		{"policy turned off", tapPolicyFixture("enabled", 60, true), tapPolicyFixture("disabled", 60, true), []string{"EIDSCA.AT01|turns Temporary Access Passes off"}},
	}
	for _, c := range cases {
		assertWarnings(t, c.name, c.plan.weakenings(ctx, c.prior), c.want)
	}
}
