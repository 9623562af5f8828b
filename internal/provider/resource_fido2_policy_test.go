package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const (
	fido2Res       = "entra_fido2_policy.this"
	defaultProfile = "00000000-0000-0000-0000-000000000001"
	keysProfile    = "6b1e0f6a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
	pilotGroup     = "22222222-2222-2222-2222-222222222222"
	yubikeyAAGUID  = "cb69481e-8ff7-4039-93ec-0a2729a154a8"
	feitianAAGUID  = "ee882879-721c-4913-9775-3dfcce97072a"
)

func fido2Config(e *emulator.Emulator, body string) string {
	return providerBlock(e) + `
resource "entra_fido2_policy" "this" {
` + body + `
}
`
}

// twoProfiles is a policy with the default profile for everyone and a
// security-key allow-list for a pilot group; order and AAGUID case vary.
func twoProfiles(reversed bool, aaguid string) string {
	profiles := []string{
		fmt.Sprintf(`%q = { name = "Default passkey profile", passkey_types = ["deviceBound"], attestation_enforcement = "registrationOnly" }`, defaultProfile),
		fmt.Sprintf(`%q = { name = "Security keys", passkey_types = ["deviceBound"], attestation_enforcement = "registrationOnly",
      key_restrictions = { enforcement_type = "allow", aaguids = [%q] } }`, keysProfile, aaguid),
	}
	if reversed {
		profiles[0], profiles[1] = profiles[1], profiles[0]
	}
	return fmt.Sprintf(`
  state = "enabled"
  passkey_profiles = {
    %s
    %s
  }
  default_passkey_profile = %q
  include_targets = [
    { id = "all_users", allowed_passkey_profiles = [%q] },
    { id = %q, allowed_passkey_profiles = [%q, %q] },
  ]
`, profiles[0], profiles[1], defaultProfile, defaultProfile, pilotGroup, keysProfile, defaultProfile)
}

func profileOf(p *graph.Fido2Policy, id string) *graph.PasskeyProfile {
	for i := range p.PasskeyProfiles {
		if strings.EqualFold(p.PasskeyProfiles[i].ID, id) {
			return &p.PasskeyProfiles[i]
		}
	}
	return nil
}

func TestAccFido2Policy_profiles(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	weakened := strings.Replace(twoProfiles(false, yubikeyAAGUID),
		`name = "Security keys", passkey_types = ["deviceBound"], attestation_enforcement = "registrationOnly"`,
		`name = "Security keys", passkey_types = ["deviceBound", "synced"], attestation_enforcement = "disabled"`, 1)
	weakened = strings.Replace(weakened, fmt.Sprintf("[%q]", yubikeyAAGUID), fmt.Sprintf("[%q, %q]", yubikeyAAGUID, feitianAAGUID), 1)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetFido2Policy, func(p *graph.Fido2Policy) error {
			if p.State != "disabled" || len(p.PasskeyProfiles) != 1 || p.PasskeyProfiles[0].AttestationEnforcement != "registrationOnly" {
				return fmt.Errorf("destroy should revert the policy to the tenant defaults, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: fido2Config(e, twoProfiles(false, yubikeyAAGUID)),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(fido2Res, "id", "Fido2"),
					resource.TestCheckResourceAttr(fido2Res, "passkey_profiles.%", "2"),
					resource.TestCheckResourceAttr(fido2Res, "include_targets.#", "2"),
					// The deprecated fields mirror the default profile.
					resource.TestCheckResourceAttr(fido2Res, "is_attestation_enforced", "true"),
					resource.TestCheckResourceAttr(fido2Res, "key_restrictions.is_enforced", "false"),
					resource.TestCheckResourceAttr(fido2Res, "passkey_profiles."+keysProfile+".key_restrictions.enforcement_type", "allow"),
					resource.TestCheckResourceAttr(fido2Res, "passkey_profiles."+keysProfile+".key_restrictions.is_enforced", "true"),
					resource.TestCheckResourceAttr(fido2Res, "passkey_profiles."+keysProfile+".key_restrictions.aaguids.#", "1"),
					checkTenant(admin.GetFido2Policy, func(p *graph.Fido2Policy) error {
						k := profileOf(p, keysProfile)
						if p.State != "enabled" || k == nil || !k.KeyRestrictions.IsEnforced || k.KeyRestrictions.AAGUIDs[0] != yubikeyAAGUID {
							return fmt.Errorf("tenant does not hold the profiles: %+v", p)
						}
						return nil
					}),
				),
			},
			{
				// Reordered profiles and an upper-case AAGUID are the same policy.
				Config:   fido2Config(e, twoProfiles(true, strings.ToUpper(yubikeyAAGUID))),
				PlanOnly: true,
			},
			{
				Config:           fido2Config(e, weakened),
				ConfigPlanChecks: expectUpdate(fido2Res),
				Check: checkTenant(admin.GetFido2Policy, func(p *graph.Fido2Policy) error {
					k := profileOf(p, keysProfile)
					if k.PasskeyTypes != "deviceBound,synced" || k.AttestationEnforcement != "disabled" || len(k.KeyRestrictions.AAGUIDs) != 2 {
						return fmt.Errorf("profile update not applied: %+v", k)
					}
					return nil
				}),
			},
			{
				ResourceName:      fido2Res,
				ImportState:       true,
				ImportStateId:     "FIDO2",
				ImportStateVerify: true,
			},
			{
				// Changed outside Terraform: a profile's rules and the state.
				PreConfig: func() {
					ctx := context.Background()
					p, err := admin.GetFido2Policy(ctx)
					if err != nil {
						t.Fatal(err)
					}
					p.State = "disabled"
					profileOf(p, keysProfile).KeyRestrictions.IsEnforced = false
					p.IsAttestationEnforced, p.KeyRestrictions = nil, nil
					if _, err := admin.UpdateFido2Policy(ctx, *p, nil, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config:           fido2Config(e, weakened),
				ConfigPlanChecks: expectUpdate(fido2Res),
				Check: checkTenant(admin.GetFido2Policy, func(p *graph.Fido2Policy) error {
					if p.State != "enabled" || !profileOf(p, keysProfile).KeyRestrictions.IsEnforced {
						return fmt.Errorf("drift not corrected: %+v", p)
					}
					return nil
				}),
			},
		},
	})
}

// A tenant never migrated to passkey profiles is managed with the legacy
// fields (with deprecation warnings) and converges.
func TestAccFido2Policy_legacyTenant(t *testing.T) {
	e := startEmulator(t, emulator.Options{LegacyFido2: true})
	admin := adminClient(t, e)
	cfg := fido2Config(e, fmt.Sprintf(`
  state                   = "enabled"
  is_attestation_enforced = false
  key_restrictions        = { enforcement_type = "block", aaguids = [%q] }
  include_targets         = [{ id = "all_users" }]
`, strings.ToUpper(feitianAAGUID)))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckNoResourceAttr(fido2Res, "default_passkey_profile"),
					resource.TestCheckResourceAttr(fido2Res, "passkey_profiles.%", "0"),
					resource.TestCheckResourceAttr(fido2Res, "key_restrictions.is_enforced", "true"),
					checkTenant(admin.GetFido2Policy, func(p *graph.Fido2Policy) error {
						if p.DefaultPasskeyProfile != nil || *p.IsAttestationEnforced || p.KeyRestrictions.AAGUIDs[0] != feitianAAGUID {
							return fmt.Errorf("legacy settings not applied: %+v", p)
						}
						return nil
					}),
				),
			},
			{Config: cfg, PlanOnly: true},
			{ResourceName: fido2Res, ImportState: true, ImportStateId: "Fido2", ImportStateVerify: true,
				// Graph returns AAGUIDs in lower case; the state keeps the configured spelling.
				ImportStateVerifyIgnore: []string{"key_restrictions.aaguids"}},
		},
	})
}

// On a migrated tenant the legacy fields still work: they edit the default
// profile, and the plan converges.
func TestAccFido2Policy_legacyFieldsOnMigratedTenant(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	cfg := fido2Config(e, fmt.Sprintf(`
  state                   = "enabled"
  is_attestation_enforced = false
  include_targets         = [{ id = "all_users", allowed_passkey_profiles = [%q] }]
`, defaultProfile))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(fido2Res, "passkey_profiles."+defaultProfile+".attestation_enforcement", "disabled"),
					checkTenant(admin.GetFido2Policy, func(p *graph.Fido2Policy) error {
						if profileOf(p, defaultProfile).AttestationEnforcement != "disabled" {
							return fmt.Errorf("the default profile should mirror is_attestation_enforced = false: %+v", p)
						}
						return nil
					}),
				),
			},
			{Config: cfg, PlanOnly: true},
		},
	})
}

// Graph's reference leaves two things open: whether passkey profiles come
// inline or only with $expand, and whether a new profile keeps the id the
// client gave it. In each of the four tenants, the policy is created with a
// new profile and changed, each in one apply, with no diff after; where
// Graph chose its own id, state keeps the configured one.
func TestAccFido2Policy_profileBehaviours(t *testing.T) {
	third := "7c0ffee0-0000-4000-8000-000000000003"
	withThird := func() string {
		body := twoProfiles(false, feitianAAGUID)
		body = strings.Replace(body, "  }\n  default_passkey_profile", fmt.Sprintf(`    %q = { name = "Second pilot", passkey_types = ["deviceBound"], attestation_enforcement = "registrationOnly" }
  }
  default_passkey_profile`, third), 1)
		return strings.Replace(body, fmt.Sprintf("{ id = %q, allowed_passkey_profiles = [%q, %q] }", pilotGroup, keysProfile, defaultProfile),
			fmt.Sprintf("{ id = %q, allowed_passkey_profiles = [%q, %q] }", pilotGroup, keysProfile, third), 1)
	}()
	for _, c := range []struct {
		name string
		opts emulator.Options
		lag  time.Duration
	}{
		{"inline profiles, client ids kept", emulator.Options{}, 0},
		{"profiles only when expanded", emulator.Options{ProfilesOnlyWhenExpanded: true}, 0},
		{"server-assigned ids", emulator.Options{ServerAssignedProfileIDs: true}, 0},
		{"expanded and server-assigned", emulator.Options{ProfilesOnlyWhenExpanded: true, ServerAssignedProfileIDs: true}, 0},
		// The ids Graph gave are read back while reads are still stale.
		{"server-assigned ids, reads lagging", emulator.Options{ServerAssignedProfileIDs: true}, 2 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := startEmulator(t, c.opts)
			e.SetLag(c.lag)
			admin := adminClient(t, e)
			held := func(name string) string {
				p, err := admin.GetFido2Policy(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				for _, pp := range p.PasskeyProfiles {
					if pp.Name == name {
						return pp.ID
					}
				}
				return ""
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testProviders,
				Steps: []resource.TestStep{
					{
						Config: fido2Config(e, twoProfiles(false, yubikeyAAGUID)),
						Check: resource.ComposeAggregateTestCheckFunc(
							resource.TestCheckResourceAttr(fido2Res, "passkey_profiles.%", "2"),
							resource.TestCheckResourceAttr(fido2Res, "passkey_profiles."+keysProfile+".name", "Security keys"),
							func(*terraform.State) error {
								if id := held("Security keys"); id == "" || (c.opts.ServerAssignedProfileIDs == strings.EqualFold(id, keysProfile)) {
									return fmt.Errorf("the tenant holds the new profile as %q", id)
								}
								return nil
							},
						),
					},
					{
						Config:           fido2Config(e, withThird),
						ConfigPlanChecks: expectUpdate(fido2Res),
						Check: resource.ComposeAggregateTestCheckFunc(
							resource.TestCheckResourceAttr(fido2Res, "passkey_profiles.%", "3"),
							resource.TestCheckTypeSetElemNestedAttrs(fido2Res, "include_targets.*", map[string]string{"id": pilotGroup, "allowed_passkey_profiles.#": "2"}),
							resource.TestCheckTypeSetElemAttr(fido2Res, "include_targets.*.allowed_passkey_profiles.*", third),
						),
					},
				},
			})
		})
	}
}

func profileSet(t *testing.T, attestation string, kinds []string, enforced bool) types.Map {
	t.Helper()
	kr := types.ObjectValueMust(keyRestrictionsAttrs, map[string]attr.Value{
		"is_enforced": types.BoolValue(enforced), "enforcement_type": types.StringValue("allow"),
		"aaguids": stringSet([]string{"cb69481e-8ff7-4039-93ec-0a2729a154a8"}),
	})
	return types.MapValueMust(types.ObjectType{AttrTypes: passkeyProfileAttrs}, map[string]attr.Value{
		keysProfile: types.ObjectValueMust(passkeyProfileAttrs, map[string]attr.Value{
			"name":          types.StringValue("Keys"),
			"passkey_types": stringSet(kinds), "attestation_enforcement": types.StringValue(attestation),
			"key_restrictions": kr,
		}),
	})
}

func TestFido2PolicyWeakenings(t *testing.T) {
	ctx := context.Background()
	model := func(state string, profiles types.Map) *fido2PolicyModel {
		return &fido2PolicyModel{State: types.StringValue(state), PasskeyProfiles: profiles, IsAttestationEnforced: types.BoolUnknown()}
	}
	strict := profileSet(t, "registrationOnly", []string{"deviceBound"}, true)
	cases := []struct {
		name        string
		prior, plan *fido2PolicyModel
		want        []string
	}{
		{"unchanged strict profile", model("enabled", strict), model("enabled", strict), nil},
		{"attestation off", model("enabled", strict), model("enabled", profileSet(t, "disabled", []string{"deviceBound"}, true)), []string{`EIDSCA.AF03|"Keys" (` + keysProfile + `) turns attestation enforcement off`}},
		{"restrictions off", model("enabled", strict), model("enabled", profileSet(t, "registrationOnly", []string{"deviceBound"}, false)), []string{"EIDSCA.AF04|stops enforcing its key restrictions"}},
		{"synced allowed", model("enabled", strict), model("enabled", profileSet(t, "registrationOnly", []string{"deviceBound", "synced"}, true)), []string{"|allows synced passkeys"}},
		// A new profile is compared with Graph's defaults: restrictions off is the default.
		{"new profile without restrictions", nil, model("enabled", profileSet(t, "registrationOnly", []string{"deviceBound"}, false)), nil},
		{"new weak profile", nil, model("enabled", profileSet(t, "disabled", []string{"synced"}, false)), []string{"EIDSCA.AF03|attestation enforcement off", "|synced"}},
		{"disabled policy", nil, model("disabled", profileSet(t, "disabled", []string{"synced"}, false)), nil},
		{"policy turned off", model("enabled", strict), model("disabled", strict), []string{"EIDSCA.AF01|turns passkeys (FIDO2) off"}},
		{"self-service off", func() *fido2PolicyModel {
			m := model("enabled", strict)
			m.IsSelfServiceRegistrationAllowed = types.BoolValue(true)
			return m
		}(),
			func() *fido2PolicyModel {
				m := model("enabled", strict)
				m.IsSelfServiceRegistrationAllowed = types.BoolValue(false)
				return m
			}(),
			[]string{"EIDSCA.AF02|stops users registering passkeys themselves"}},
	}
	for _, c := range cases {
		assertWarnings(t, c.name, c.plan.weakenings(ctx, c.prior), c.want)
	}
}

// State written before passkey profiles were keyed by id (schema version 0,
// a set of profiles each with its id) moves to the map without a diff, with
// or without a refresh.
func TestAccFido2Policy_stateUpgradeFromProfileSet(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	cli := newTerraformCLI(t, map[string]string{"main.tf": "resource \"entra_fido2_policy\" \"this\" {\n" + twoProfiles(false, yubikeyAAGUID) + "}\n"})
	if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	statePath := filepath.Join(cli.dir, "terraform.tfstate")
	raw, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]any
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	instance := state["resources"].([]any)[0].(map[string]any)["instances"].([]any)[0].(map[string]any)
	attrs := instance["attributes"].(map[string]any)
	var set []any
	for id, p := range attrs["passkey_profiles"].(map[string]any) {
		p.(map[string]any)["id"] = id
		set = append(set, p)
	}
	if len(set) != 2 {
		t.Fatalf("the state holds %d profiles", len(set))
	}
	attrs["passkey_profiles"], instance["schema_version"] = set, 0
	if raw, err = json.Marshal(state); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(statePath, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"-refresh=false"}, nil} {
		if out, err := cli.run(append([]string{"plan", "-no-color", "-input=false", "-detailed-exitcode"}, args...)...); err != nil {
			t.Errorf("terraform plan %v after the upgrade is not empty: %v\n%s", args, err, out)
		}
	}
}
