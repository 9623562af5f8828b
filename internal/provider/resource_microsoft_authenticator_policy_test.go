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

// Create adopts the tenant's Authenticator policy (off) and hardens it: on,
// no one-time passcodes, app and location shown to everyone but an excluded
// group; an update narrows the mode; import, drift and the reset on destroy
// follow.
func TestAccMicrosoftAuthenticatorPolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	res := "entra_microsoft_authenticator_policy.this"
	config := func(mode string) string {
		return providerBlock(e) + fmt.Sprintf(`
resource "entra_microsoft_authenticator_policy" "this" {
  state                        = "enabled"
  is_software_oath_enabled     = false
  include_targets              = [{ id = "all_users", authentication_mode = %q }]
  display_app_information      = { state = "enabled", exclude_target_id = "BBBBBBBB-2222-2222-2222-222222222222" }
  display_location_information = { state = "enabled" }
  number_matching              = { state = "enabled" }
  companion_app                = { state = "disabled" }
}
`, mode)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetMicrosoftAuthenticatorPolicy, func(p *graph.MicrosoftAuthenticatorPolicy) error {
			if p.State != "disabled" || p.FeatureSettings.DisplayAppInformationRequiredState.State != "default" {
				return fmt.Errorf("destroy should reset the policy to Microsoft's defaults, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config("any"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("display_app_information"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"state": knownvalue.StringExact("enabled"), "include_target_id": knownvalue.StringExact("all_users"),
						"include_target_type": knownvalue.StringExact("group"),
						// The configured (upper) case is kept.
						"exclude_target_id": knownvalue.StringExact("BBBBBBBB-2222-2222-2222-222222222222"), "exclude_target_type": knownvalue.StringExact("group"),
					})),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("display_location_information").AtMapKey("exclude_target_id"), knownvalue.Null()),
				},
				Check: checkTenant(admin.GetMicrosoftAuthenticatorPolicy, func(p *graph.MicrosoftAuthenticatorPolicy) error {
					loc := p.FeatureSettings.DisplayLocationInformationRequiredState
					if p.State != "enabled" || loc.State != "enabled" || loc.ExcludeTarget.ID != graph.NoFeatureTarget {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					beta, err := admin.GetAuthenticatorBetaFeatures(context.Background())
					if err != nil || beta.NumberMatchingRequiredState.State != "enabled" || beta.CompanionAppAllowedState.State != "disabled" {
						return fmt.Errorf("Graph beta does not hold the features: %+v, %v", beta, err)
					}
					return nil
				}),
			},
			{
				Config:           config("deviceBasedPush"),
				ConfigPlanChecks: expectUpdate(res),
				Check: checkTenant(admin.GetMicrosoftAuthenticatorPolicy, func(p *graph.MicrosoftAuthenticatorPolicy) error {
					if p.IncludeTargets[0].AuthenticationMode != "deviceBasedPush" {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					return nil
				}),
			},
			{ResourceName: res, ImportState: true, ImportStateId: "MicrosoftAuthenticator", ImportStateVerify: true},
			{
				// Location hidden outside Terraform: the plan shows it again.
				PreConfig: func() {
					p, err := admin.GetMicrosoftAuthenticatorPolicy(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					p.FeatureSettings.DisplayLocationInformationRequiredState.State = "disabled"
					if err := admin.UpdateMicrosoftAuthenticatorPolicy(context.Background(), *p, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config("deviceBasedPush"),
				ConfigPlanChecks: expectUpdate(res),
			},
		},
	})
}

// Each weakening of the app names its EIDSCA control.
func TestMicrosoftAuthenticatorPolicyWeakenings(t *testing.T) {
	ctx := context.Background()
	feature := func(state, include string) types.Object {
		return types.ObjectValueMust(featureAttrs, map[string]attr.Value{"state": types.StringValue(state), "include_target_id": types.StringValue(include),
			"include_target_type": types.StringValue("group"), "exclude_target_id": types.StringNull(), "exclude_target_type": types.StringNull()})
	}
	hardened := func() *authenticatorPolicyModel {
		return &authenticatorPolicyModel{State: types.StringValue("enabled"), IsSoftwareOathEnabled: types.BoolValue(false),
			DisplayAppInformation: feature("enabled", "all_users"), DisplayLocationInformation: feature("enabled", "all_users"), NumberMatching: feature("enabled", "all_users")}
	}
	with := func(edit func(m *authenticatorPolicyModel)) *authenticatorPolicyModel {
		m := hardened()
		edit(m)
		return m
	}
	cases := []struct {
		name        string
		prior, plan *authenticatorPolicyModel
		want        []string
	}{
		{"kept hardened", hardened(), hardened(), nil},
		{"turned off", hardened(), with(func(m *authenticatorPolicyModel) { m.State = types.StringValue("disabled") }), []string{"EIDSCA.AM01"}},
		{"one-time passcodes", hardened(), with(func(m *authenticatorPolicyModel) { m.IsSoftwareOathEnabled = types.BoolValue(true) }), []string{"EIDSCA.AM02"}},
		{"number matching off", hardened(), with(func(m *authenticatorPolicyModel) { m.NumberMatching = feature("disabled", "all_users") }), []string{"EIDSCA.AM03"}},
		{"app hidden", hardened(), with(func(m *authenticatorPolicyModel) { m.DisplayAppInformation = feature("default", "all_users") }), []string{"EIDSCA.AM06"}},
		{"app shown to a group only", hardened(), with(func(m *authenticatorPolicyModel) {
			m.DisplayAppInformation = feature("enabled", "aaaaaaaa-1111-1111-1111-111111111111")
		}), []string{"EIDSCA.AM07"}},
		{"location hidden", hardened(), with(func(m *authenticatorPolicyModel) { m.DisplayLocationInformation = feature("disabled", "all_users") }), []string{"EIDSCA.AM09"}},
		{"location shown to a group only, new policy", nil, with(func(m *authenticatorPolicyModel) {
			m.DisplayLocationInformation = feature("enabled", "aaaaaaaa-1111-1111-1111-111111111111")
		}), []string{"EIDSCA.AM10"}},
	}
	for _, c := range cases {
		assertWarnings(t, c.name, c.plan.weakenings(ctx, c.prior), c.want)
	}
}
