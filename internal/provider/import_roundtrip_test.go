package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// What a tenant holds imports and round-trips, through the real CLI: for
// every importable type, terraform plan -generate-config-out writes
// configuration that validates and plans nothing but the imports, and after
// the apply a plan is empty. The tenant holds what a GET can return but this
// provider would not write: a FIDO2 include target naming no passkey profile,
// a break-glass exclusion, a pass and keys made outside Terraform.
func TestAccImport_generatedConfigRoundTrips(t *testing.T) {
	e := startEmulator(t, emulator.Options{TargetsWithoutProfiles: true})
	admin := adminClient(t, e)
	ctx := context.Background()
	enableTAPPolicy(t, admin, func(p *graph.TemporaryAccessPassPolicy) {
		p.ExcludeTargets = []graph.ExcludeTarget{{ID: breakGlass, TargetType: "group"}}
	})
	fido2, err := admin.GetFido2Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fido2.State, fido2.IsAttestationEnforced, fido2.KeyRestrictions = "enabled", nil, nil
	fido2.IncludeTargets = []graph.Target{{ID: "all_users", TargetType: "group"}}
	if _, err := admin.UpdateFido2Policy(ctx, *fido2, nil, nil); err != nil {
		t.Fatal(err)
	}
	pass, err := admin.CreateTemporaryAccessPass(ctx, megan.ID, graph.NewTemporaryAccessPass{})
	if err != nil {
		t.Fatal(err)
	}
	key := e.SeedFido2Method(adele.ID, "Adele's key", "cb69481e-8ff7-4039-93ec-0a2729a154a8")
	byo := e.SeedFido2Method(alex.ID, "Alex's key", "cb69481e-8ff7-4039-93ec-0a2729a154a8")
	useEmulator(t, e)

	targets := [][2]string{
		{"entra_temporary_access_pass_policy.this", graph.TemporaryAccessPassID},
		{"entra_fido2_policy.this", graph.Fido2ID},
		{"entra_temporary_access_pass.megan", megan.ID + "/" + pass.ID},
		{"entra_security_key.adele", adele.ID + "/" + key},
		{"entra_fido2_method.alex", alex.ID + "/" + byo},
	}
	// OpenTofu 1.12 writes the keys of a map of objects unquoted, so a
	// passkey profile's GUID key reads as arithmetic (0 - 0 - … - 1) and its
	// plan of the generated configuration fails: the FIDO2 policy is left out
	// there (its documentation says to quote the keys).
	if filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")) == "tofu" {
		targets = slices.DeleteFunc(targets, func(t [2]string) bool { return t[0] == "entra_fido2_policy.this" })
	}
	imports := ""
	for _, imp := range targets {
		imports += fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", imp[0], imp[1])
	}
	cli := newTerraformCLI(t, map[string]string{"imports.tf": imports})
	out, err := cli.run("plan", "-no-color", "-input=false", "-generate-config-out=generated.tf")
	if err != nil || !strings.Contains(out, fmt.Sprintf("%d to import, 0 to add, 0 to change, 0 to destroy", len(targets))) {
		generated, _ := os.ReadFile(filepath.Join(cli.dir, "generated.tf"))
		t.Fatalf("plan with generated configuration: %v\n%s\n--- generated.tf\n%s", err, out, generated)
	}
	if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	out, err = cli.run("plan", "-no-color", "-input=false", "-detailed-exitcode")
	if err != nil {
		t.Fatalf("the plan after the imports is not empty: %v\n%s", err, out)
	}
}

// An import block with an identity (Terraform 1.12 and later) brings a
// user's pass under management: the plan imports it and changes nothing.
func TestAccImport_byIdentity(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	enableTAPPolicy(t, admin, nil)
	held, err := admin.CreateTemporaryAccessPass(context.Background(), adele.ID, graph.NewTemporaryAccessPass{})
	if err != nil {
		t.Fatal(err)
	}
	config := providerBlock(e) + fmt.Sprintf(`
import {
  to       = entra_temporary_access_pass.adele
  identity = { user_id = %q, id = %q }
}

resource "entra_temporary_access_pass" "adele" {
  user_id = %q
}
`, adele.ID, held.ID, adele.ID)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("entra_temporary_access_pass.adele", plancheck.ResourceActionNoop),
			}},
			Check: resource.TestCheckResourceAttr("entra_temporary_access_pass.adele", "id", held.ID),
		}},
	})
}
