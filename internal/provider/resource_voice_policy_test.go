package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const voiceRes = "entra_voice_policy.this"

// Create adopts the tenant's voice policy (off) and turns it on for a group,
// with a warning; an update turns it off again; import, drift and the reset
// on destroy follow.
func TestAccVoicePolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	on := providerBlock(e) + `
resource "entra_voice_policy" "this" {
  state                   = "enabled"
  is_office_phone_allowed = true
  include_targets         = [{ id = "aaaaaaaa-1111-1111-1111-111111111111" }]
}
`
	off := providerBlock(e) + `
resource "entra_voice_policy" "this" {
  state                   = "disabled"
  is_office_phone_allowed = true
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetVoicePolicy, func(p *graph.VoicePolicy) error {
			if p.State != "disabled" || p.IsOfficePhoneAllowed || p.IncludeTargets[0].ID != "all_users" {
				return fmt.Errorf("destroy should reset the voice policy to Microsoft's defaults, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: on,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(voiceRes, tfjsonpath.New("is_office_phone_allowed"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(voiceRes, tfjsonpath.New("exclude_targets"), knownvalue.SetSizeExact(0)),
				},
				Check: checkTenant(admin.GetVoicePolicy, func(p *graph.VoicePolicy) error {
					if p.State != "enabled" || !p.IsOfficePhoneAllowed || p.IncludeTargets[0].ID != "aaaaaaaa-1111-1111-1111-111111111111" {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					return nil
				}),
			},
			{
				Config:           off,
				ConfigPlanChecks: expectUpdate(voiceRes, expectPlanned(voiceRes, "state", "disabled")),
				Check: checkTenant(admin.GetVoicePolicy, func(p *graph.VoicePolicy) error {
					if p.State != "disabled" || !p.IsOfficePhoneAllowed {
						return fmt.Errorf("tenant does not hold the configuration (office phones kept): %+v", p)
					}
					return nil
				}),
			},
			{ResourceName: voiceRes, ImportState: true, ImportStateId: "VOICE", ImportStateVerify: true},
			{
				// Reset outside Terraform (Graph's DELETE): the plan sees it.
				PreConfig: func() {
					if err := admin.ResetPolicy(context.Background(), graph.VoiceID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             off,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// Turning voice calls on is EIDSCA.AV01's finding, once.
func TestVoicePolicyWeakenings(t *testing.T) {
	ctx := context.Background()
	policy := func(state string) *voicePolicyModel { return &voicePolicyModel{State: types.StringValue(state)} }
	cases := []struct {
		name        string
		prior, plan *voicePolicyModel
		want        []string
	}{
		{"turned on", policy("disabled"), policy("enabled"), []string{"EIDSCA.AV01"}},
		{"a new policy, on", nil, policy("enabled"), []string{"EIDSCA.AV01"}},
		{"kept on", policy("enabled"), policy("enabled"), nil},
		{"turned off", policy("enabled"), policy("disabled"), nil},
	}
	for _, c := range cases {
		assertWarnings(t, c.name, c.plan.weakenings(ctx, c.prior), c.want)
	}
}
