package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const breakGlass = "bbbbbbbb-2222-2222-2222-222222222222"

// What a reviewer sees, through the real CLI: creating the policy resources
// over a tenant's existing policies changes only what the configuration
// writes, and the plan names each tenant value it replaces; the destroy plan
// names what the reset changes; a removed block stops managing the policies
// without touching the tenant. No plan sends a request that changes the
// tenant.
func TestAccPlanReview_adoptResetAndRemove(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	ctx := context.Background()
	enableTAPPolicy(t, admin, func(p *graph.TemporaryAccessPassPolicy) {
		p.State, p.DefaultLength = "disabled", 10
		p.ExcludeTargets = []graph.ExcludeTarget{{ID: breakGlass, TargetType: "group"}}
	})
	fido2, err := admin.GetFido2Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fido2.ExcludeTargets = []graph.ExcludeTarget{{ID: breakGlass, TargetType: "group"}}
	fido2.IsAttestationEnforced, fido2.KeyRestrictions = nil, nil // mirrors of the default profile
	if _, err := admin.UpdateFido2Policy(ctx, *fido2, nil, nil); err != nil {
		t.Fatal(err)
	}
	useEmulator(t, e)
	policies := `
resource "entra_temporary_access_pass_policy" "this" {
  state          = "enabled"
  is_usable_once = false
}

resource "entra_fido2_policy" "this" {
  state           = "enabled"
  include_targets = [{ id = "all_users", allowed_passkey_profiles = ["` + defaultProfile + `"] }]
}

resource "entra_voice_policy" "this" {
  state = "disabled"
}
`
	cli := newTerraformCLI(t, map[string]string{"main.tf": policies})
	mutations := func() int { return mutatingRequests(e.Requests()) }
	plan := func(args ...string) string {
		t.Helper()
		before := mutations()
		out, err := cli.run(append([]string{"plan", "-no-color", "-input=false"}, args...)...)
		if err != nil {
			t.Fatalf("terraform plan %v: %v\n%s", args, err, out)
		}
		if n := mutations() - before; n != 0 {
			t.Fatalf("terraform plan %v sent %d requests that change the tenant", args, n)
		}
		return out
	}
	contains := func(out string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(strings.Join(strings.Fields(out), " "), w) {
				t.Errorf("the plan lacks %q:\n%s", w, out)
			}
		}
	}

	out := plan()
	contains(out,
		"entra_temporary_access_pass_policy adopts the tenant's TemporaryAccessPass policy",
		`state: "disabled" → "enabled"`,
		"entra_fido2_policy adopts the tenant's Fido2 policy",
		"What the configuration leaves unset keeps the tenant's value.",
		// The reviewer reads the warning with its EIDSCA id and recommendation.
		"Security review: entra_temporary_access_pass_policy weakens EIDSCA.AT02 (recommended: is_usable_once = true)",
	)
	// What matches the tenant gets no warning: the voice policy is already off.
	for _, notChanged := range []string{"exclude_targets:", "default_length:", "entra_voice_policy adopts", "changes nothing"} {
		if strings.Contains(out, notChanged) {
			t.Errorf("the plan says the apply changes %s, which the configuration leaves unset:\n%s", notChanged, out)
		}
	}
	if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	tap, err := admin.GetTemporaryAccessPassPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fido2, err = admin.GetFido2Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tap.State != "enabled" || tap.DefaultLength != 10 || len(tap.ExcludeTargets) != 1 || len(fido2.ExcludeTargets) != 1 || fido2.State != "enabled" {
		t.Fatalf("adoption changed what the configuration leaves unset: TAP %+v, FIDO2 %+v", tap, fido2)
	}
	contains(plan(), "No changes.")

	destroy := plan("-destroy")
	contains(destroy,
		"Destroying entra_temporary_access_pass_policy resets the tenant's TemporaryAccessPass policy",
		`default_length: 10 → 8`,
		fmt.Sprintf(`exclude_targets: - {id = %q, target_type = "group"}`, breakGlass),
		`state: "enabled" → "disabled"`,
		"Destroying entra_fido2_policy resets the tenant's Fido2 policy",
		"a removed block whose lifecycle sets destroy = false",
	)

	// Removed from configuration without a reset: the tenant keeps its policies.
	cli.write(t, "main.tf", `
removed {
  from = entra_temporary_access_pass_policy.this
  lifecycle { destroy = false }
}
removed {
  from = entra_fido2_policy.this
  lifecycle { destroy = false }
}
removed {
  from = entra_voice_policy.this
  lifecycle { destroy = false }
}
`)
	before := mutations()
	if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform apply of the removed blocks: %v\n%s", err, out)
	}
	if n := mutations() - before; n != 0 {
		t.Fatalf("removing the resources sent %d requests that change the tenant", n)
	}
	if state, _ := cli.run("state", "list"); strings.TrimSpace(state) != "" {
		t.Fatalf("state still lists %q", state)
	}
	if after, _ := admin.GetTemporaryAccessPassPolicy(ctx); after.State != "enabled" || len(after.ExcludeTargets) != 1 {
		t.Fatalf("the TAP policy changed: %+v", after)
	}
}

// Under replication lag (reads stale for 2 s after each write, new objects
// missing from reads), both policies are created and changed in one apply
// each, with no "inconsistent result" and an empty plan after.
func TestAccPolicies_replicationLag(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	e.SetLag(2 * time.Second)
	config := func(maxLifetime int, registrationRequired bool) string {
		return providerBlock(e) + fmt.Sprintf(`
resource "entra_temporary_access_pass_policy" "this" {
  state                       = "enabled"
  maximum_lifetime_in_minutes = %d
}

resource "entra_fido2_policy" "this" {
  state           = "enabled"
  include_targets = [{ id = "all_users", is_registration_required = %t, allowed_passkey_profiles = [%q] }]
}
`, maxLifetime, registrationRequired, defaultProfile)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: config(240, false)},
			{Config: config(300, true), ConfigPlanChecks: expectUpdate(tapRes)},
		},
	})
}

// An adoption's warning lists one line per value that changes, down to the
// part that differs: a nested attribute by its path, a set element by its
// id, and what a collection gains or loses; values known only at apply are
// left out.
func TestChangesAreOneLineEach(t *testing.T) {
	target := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String, "is_usable_for_sign_in": tftypes.Bool}}
	feature := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"state": tftypes.String, "include_target_id": tftypes.String}}
	policy := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"state": tftypes.String, "number_matching": feature, "include_targets": tftypes.Set{ElementType: target},
		"legacy": tftypes.Bool,
	}}
	t1 := func(id string, signIn bool) tftypes.Value {
		return tftypes.NewValue(target, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, id), "is_usable_for_sign_in": tftypes.NewValue(tftypes.Bool, signIn)})
	}
	value := func(state, feat string, legacy tftypes.Value, targets ...tftypes.Value) tftypes.Value {
		return tftypes.NewValue(policy, map[string]tftypes.Value{
			"state": tftypes.NewValue(tftypes.String, state),
			"number_matching": tftypes.NewValue(feature, map[string]tftypes.Value{
				"state": tftypes.NewValue(tftypes.String, feat), "include_target_id": tftypes.NewValue(tftypes.String, "all_users"),
			}),
			"include_targets": tftypes.NewValue(tftypes.Set{ElementType: target}, targets),
			"legacy":          legacy,
		})
	}
	from := value("enabled", "default", tftypes.NewValue(tftypes.Bool, true), t1("all_users", true), t1("pilot", false))
	to := value("disabled", "enabled", tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue), t1("all_users", false), t1("staff", false))
	got := changes(from, to)
	want := []string{
		`  include_targets["all_users"].is_usable_for_sign_in: true → false`,
		`  include_targets: + {id = "staff", is_usable_for_sign_in = false}`,
		`  include_targets: - {id = "pilot", is_usable_for_sign_in = false}`,
		`  number_matching.state: "default" → "enabled"`,
		`  state: "enabled" → "disabled"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := changes(from, from); len(got) != 0 {
		t.Errorf("no change listed as %q", got)
	}
}

// A change to one value of one passkey profile shows, through the real CLI,
// as that value changing in that profile (profiles are keyed by id), with
// the control it weakens, in the diff and in the warning.
func TestAccPlanReview_profileChange(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	config := func(attestation string) string {
		return fmt.Sprintf(`
resource "entra_fido2_policy" "this" {
  state = "enabled"
  passkey_profiles = {
    %[1]q = { name = "Default passkey profile", passkey_types = ["deviceBound"], attestation_enforcement = %[2]q }
  }
  include_targets = [{ id = "all_users", allowed_passkey_profiles = [%[1]q] }]
}
`, defaultProfile, attestation)
	}
	cli := newTerraformCLI(t, map[string]string{"main.tf": config("registrationOnly")})
	if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	cli.write(t, "main.tf", config("disabled"))
	out, err := cli.run("plan", "-no-color", "-input=false")
	if err != nil {
		t.Fatalf("terraform plan: %v\n%s", err, out)
	}
	for _, want := range []string{
		fmt.Sprintf(`~ %q = {`, defaultProfile),
		`~ attestation_enforcement = "registrationOnly" -> "disabled"`,
		`~ "EIDSCA.AF03" = "met" -> "not met"`,
		"Warning: Security review: entra_fido2_policy weakens EIDSCA.AF03",
		"Plan: 0 to add, 1 to change, 0 to destroy.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "- attestation_enforcement") || strings.Contains(out, `name                    = "Default passkey profile" -> null`) {
		t.Errorf("the plan shows the profile removed and added again:\n%s", out)
	}
}
