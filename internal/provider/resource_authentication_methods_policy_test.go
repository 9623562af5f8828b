package provider

import (
	"context"
	"fmt"
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

const methodsRes = "entra_authentication_methods_policy.this"

func campaignConfig(e *emulator.Emulator, snooze int) string {
	return providerBlock(e) + fmt.Sprintf(`
resource "entra_authentication_methods_policy" "this" {
  policy_migration_state = "migrationComplete"
  registration_campaign = {
    state                   = "enabled"
    snooze_duration_in_days = %d
    include_targets         = [{ id = "aaaaaaaa-1111-1111-1111-111111111111", targeted_authentication_method = "fido2" }]
    exclude_targets         = [{ id = "bbbbbbbb-2222-2222-2222-222222222222" }]
  }
}
`, snooze)
}

// Create adopts the tenant's policy, completes the migration and starts a
// passkey campaign for a group; an update changes the snooze; import and
// drift follow; destroy leaves the tenant as it is.
func TestAccAuthenticationMethodsPolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetMethodsPolicy, func(p *graph.MethodsPolicy) error {
			if c := p.RegistrationEnforcement.AuthenticationMethodsRegistrationCampaign; p.PolicyMigrationState != "migrationComplete" || c.State != "enabled" {
				return fmt.Errorf("destroy should leave the policy as it is, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: campaignConfig(e, 0),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(methodsRes, tfjsonpath.New("registration_campaign").AtMapKey("include_targets"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact("aaaaaaaa-1111-1111-1111-111111111111"),
							"target_type": knownvalue.StringExact("group"), "targeted_authentication_method": knownvalue.StringExact("fido2")}),
					})),
					statecheck.ExpectKnownValue(methodsRes, tfjsonpath.New("reconfirmation_in_days"), knownvalue.Int64Exact(0)),
				},
				Check: checkTenant(admin.GetMethodsPolicy, func(p *graph.MethodsPolicy) error {
					c := p.RegistrationEnforcement.AuthenticationMethodsRegistrationCampaign
					if p.PolicyMigrationState != "migrationComplete" || c.State != "enabled" || c.SnoozeDurationInDays != 0 || c.IncludeTargets[0].TargetedAuthenticationMethod != "fido2" {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					return nil
				}),
			},
			{Config: campaignConfig(e, 3), ConfigPlanChecks: expectUpdate(methodsRes)},
			{ResourceName: methodsRes, ImportState: true, ImportStateId: "authenticationMethodsPolicy", ImportStateVerify: true},
			{
				// The campaign switched off outside Terraform: the plan switches it on.
				PreConfig: func() {
					p, err := admin.GetMethodsPolicy(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					p.RegistrationEnforcement.AuthenticationMethodsRegistrationCampaign.State = "disabled"
					if err := admin.UpdateMethodsPolicy(context.Background(), *p, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config:           campaignConfig(e, 3),
				ConfigPlanChecks: expectUpdate(methodsRes),
			},
		},
	})
}

// A tenant whose campaign does not take passkeys yet refuses the apply with
// an error naming the argument, and nothing changes.
func TestAccAuthenticationMethodsPolicy_campaignWithoutFido2(t *testing.T) {
	e := startEmulator(t, emulator.Options{CampaignWithoutFido2: true})
	admin := adminClient(t, e)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      campaignConfig(e, 0),
			ExpectError: errorLike("This tenant does not offer passkeys (fido2) to its registration campaign yet"),
		}},
	})
	if p, err := admin.GetMethodsPolicy(context.Background()); err != nil || p.PolicyMigrationState != "preMigration" {
		t.Errorf("a refused PATCH changed the tenant: %+v, %v", p, err)
	}
}

// Staying on the legacy policies is EIDSCA.AG01's finding.
func TestAuthenticationMethodsPolicyWeakenings(t *testing.T) {
	ctx := context.Background()
	policy := func(state string) *methodsPolicyModel {
		return &methodsPolicyModel{PolicyMigrationState: types.StringValue(state), RegistrationCampaign: types.ObjectNull(campaignAttrs),
			ReportSuspiciousActivity: types.ObjectNull(reportAttrs)}
	}
	reporting := func(state, who string) *methodsPolicyModel {
		m := policy("migrationComplete")
		m.ReportSuspiciousActivity = types.ObjectValueMust(reportAttrs, map[string]attr.Value{"state": types.StringValue(state),
			"include_target_id": types.StringValue(who), "include_target_type": types.StringValue("group"), "voice_reporting_code": types.Int64Value(0)})
		return m
	}
	cases := []struct {
		name        string
		prior, plan *methodsPolicyModel
		want        []string
	}{
		{"adopted unmigrated, unchanged", policy("preMigration"), policy("preMigration"), nil},
		{"set in progress", policy("preMigration"), policy("migrationInProgress"), []string{"EIDSCA.AG01"}},
		{"complete", policy("migrationInProgress"), policy("migrationComplete"), nil},
		{"a new policy left unmigrated", nil, policy("preMigration"), []string{"EIDSCA.AG01"}},
		{"reporting turned off", reporting("enabled", "all_users"), reporting("disabled", "all_users"), []string{"EIDSCA.AG02"}},
		{"adopted reporting left to Microsoft", reporting("default", "all_users"), reporting("default", "all_users"), nil},
		{"reporting for a group only", reporting("enabled", "all_users"), reporting("enabled", "aaaaaaaa-1111-1111-1111-111111111111"), []string{"EIDSCA.AG03"}},
	}
	for _, c := range cases {
		assertWarnings(t, c.name, c.plan.weakenings(ctx, c.prior), c.want)
	}
}
