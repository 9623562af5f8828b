package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const strengthRes = "entra_authentication_strength_policy.keys"

func strengthConfig(combinations, aaguids string) string {
	return fmt.Sprintf(`
resource "entra_authentication_strength_policy" "keys" {
  display_name          = "Approved security keys"
  description           = "Phishing-resistant, with the models we issue"
  allowed_combinations  = [%s]
  fido2_allowed_aaguids = [%s]
}
`, combinations, aaguids)
}

// customStrengths lists the tenant's custom strengths, for checks.
func customStrengths(admin *graph.Client) ([]graph.AuthenticationStrength, error) {
	all, err := admin.ListAuthenticationStrengths(context.Background())
	var custom []graph.AuthenticationStrength
	for _, s := range all {
		if s.PolicyType == "custom" {
			custom = append(custom, s)
		}
	}
	return custom, err
}

// A custom strength is created with its FIDO2 models, changed (a
// combination and a model added), imported, recreated after a deletion
// outside Terraform, and deleted.
func TestAccAuthenticationStrengthPolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	yubikey, feitian := `"CB69481E-8FF7-4039-93EC-0A2729A154A8"`, `"ee882879-721c-4913-9775-3dfcce97072a"`
	created := providerBlock(e) + strengthConfig(`"fido2", "windowsHelloForBusiness"`, yubikey)
	// State keeps the configuration's case; an import reads Graph's.
	changed := providerBlock(e) + strengthConfig(`"fido2", "windowsHelloForBusiness", "x509CertificateMultiFactor"`, strings.ToLower(yubikey)+", "+feitian)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: func(*terraform.State) error {
			custom, err := customStrengths(admin)
			if err != nil || len(custom) != 0 {
				return fmt.Errorf("custom strengths left after destroy: %v, %v", custom, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: created,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(strengthRes, tfjsonpath.New("policy_type"), knownvalue.StringExact("custom")),
					// The configured (upper) case is kept although Graph answers in lower case.
					statecheck.ExpectKnownValue(strengthRes, tfjsonpath.New("fido2_allowed_aaguids"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("CB69481E-8FF7-4039-93EC-0A2729A154A8")})),
				},
				Check: func(s *terraform.State) error {
					held, err := admin.GetAuthenticationStrength(context.Background(), s.RootModule().Resources[strengthRes].Primary.ID)
					if err != nil || len(held.CombinationConfigurations) != 1 || held.CombinationConfigurations[0].AllowedAAGUIDs[0] != "cb69481e-8ff7-4039-93ec-0a2729a154a8" {
						return fmt.Errorf("tenant does not hold the strength: %+v, %v", held, err)
					}
					return nil
				},
			},
			{
				Config:           changed,
				ConfigPlanChecks: expectUpdate(strengthRes),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(strengthRes, tfjsonpath.New("allowed_combinations"), knownvalue.SetSizeExact(3)),
					statecheck.ExpectKnownValue(strengthRes, tfjsonpath.New("fido2_allowed_aaguids"), knownvalue.SetSizeExact(2)),
				},
			},
			{ResourceName: strengthRes, ImportState: true, ImportStateVerify: true},
			{
				PreConfig: func() {
					custom, err := customStrengths(admin)
					if err != nil || len(custom) != 1 {
						t.Fatalf("custom strengths %v, %v", custom, err)
					}
					if err := admin.DeleteAuthenticationStrength(context.Background(), custom[0].ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             changed,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// A strength that allows a model the FIDO2 policy lets no one register
// carries a warning in the plan; a built-in strength cannot be imported.
func TestAccAuthenticationStrengthPolicy_reviewAndBuiltIn(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	ctx := context.Background()
	p, err := admin.GetFido2Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.State, p.IsAttestationEnforced, p.KeyRestrictions = "enabled", nil, nil
	p.PasskeyProfiles[0].KeyRestrictions = graph.KeyRestrictions{IsEnforced: true, EnforcementType: "allow", AAGUIDs: []string{"cb69481e-8ff7-4039-93ec-0a2729a154a8"}}
	if _, err := admin.UpdateFido2Policy(ctx, *p, nil, nil); err != nil {
		t.Fatal(err)
	}
	useEmulator(t, e)
	cli := newTerraformCLI(t, map[string]string{"main.tf": strengthConfig(`"fido2"`, `"cb69481e-8ff7-4039-93ec-0a2729a154a8", "ee882879-721c-4913-9775-3dfcce97072a"`)})
	out, err := cli.run("plan", "-no-color", "-input=false")
	if err != nil {
		t.Fatalf("terraform plan: %v\n%s", err, out)
	}
	if !strings.Contains(out, "The strength allows security keys no one can register") || !strings.Contains(out, "ee882879-721c-4913-9775-3dfcce97072a") ||
		strings.Contains(out, "lists cb69481e") {
		t.Errorf("the plan does not warn about the one model the FIDO2 policy refuses:\n%s", out)
	}
	cli.write(t, "main.tf", strengthConfig(`"fido2"`, `"cb69481e-8ff7-4039-93ec-0a2729a154a8"`)+
		"import {\n  to = entra_authentication_strength_policy.keys\n  id = \"00000000-0000-0000-0000-000000000004\"\n}\n")
	if out, err := cli.run("plan", "-no-color", "-input=false"); err == nil || !errorLike("one of Microsoft's built-in strengths").MatchString(out) {
		t.Errorf("importing a built-in strength: %v\n%s", err, out)
	}
}

// The answer to the create is lost after Graph committed it (the connection
// resets): the provider finds the strength by its unique name and records
// it, rather than failing or creating a second one.
func TestAccAuthenticationStrengthPolicy_lostCreateAnswer(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	e.Inject(emulator.Fault{Method: "POST", PathContains: "policies/authenticationStrengthPolicies", Action: "reset-after", Times: 1})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(e) + strengthConfig(`"fido2"`, `"cb69481e-8ff7-4039-93ec-0a2729a154a8"`),
			Check: func(*terraform.State) error {
				custom, err := customStrengths(admin)
				if err != nil || len(custom) != 1 {
					return fmt.Errorf("want exactly one custom strength, got %v, %v", custom, err)
				}
				return nil
			},
		}},
	})
}
