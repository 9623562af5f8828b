package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

// The plan is the contract: a saved plan applied later sends the tenant only
// what it changes, keeps what someone changed in the tenant since, and
// refuses to overwrite a value the plan did not see.

const breakGlassGroup = emulator.BreakGlassGroupID

func tapPolicyConfig(length int) string {
	return fmt.Sprintf(`
resource "entra_temporary_access_pass_policy" "this" {
  state          = "enabled"
  default_length = %d
}
`, length)
}

// savedLengthPlan applies a TAP policy of length 10, then saves a plan to
// change it to 12 (tfplan), for the tenant to change before it is applied.
func savedLengthPlan(t *testing.T) (*emulator.Emulator, *graph.Client, *terraformCLI) {
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	cli := newTerraformCLI(t, map[string]string{"main.tf": tapPolicyConfig(10)})
	if out, err := cli.run("apply", "-auto-approve", "-no-color", "-input=false"); err != nil {
		t.Fatalf("first apply: %v\n%s", err, out)
	}
	cli.write(t, "main.tf", tapPolicyConfig(12))
	if out, err := cli.run("plan", "-out=tfplan", "-no-color", "-input=false"); err != nil {
		t.Fatalf("plan: %v\n%s", err, out)
	}
	return e, adminClient(t, e), cli
}

func TestAccPlanContract_savedPlanKeepsTenantChanges(t *testing.T) {
	e, admin, cli := savedLengthPlan(t)
	ctx := context.Background()
	// After the plan, someone excludes the break-glass group in the portal.
	p, err := admin.GetTemporaryAccessPassPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.ExcludeTargets = append(p.ExcludeTargets, graph.ExcludeTarget{ID: breakGlassGroup, TargetType: "group"})
	if err := admin.UpdateTemporaryAccessPassPolicy(ctx, *p, nil); err != nil {
		t.Fatal(err)
	}
	if out, err := cli.run("apply", "-no-color", "-input=false", "tfplan"); err != nil {
		t.Fatalf("applying the saved plan: %v\n%s", err, out)
	}
	if got := e.PatchedProperties(graph.TemporaryAccessPassID); !slices.Equal(got, []string{"defaultLength"}) {
		t.Errorf("the apply sent %v; the plan changes defaultLength alone", got)
	}
	after, err := admin.GetTemporaryAccessPassPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.DefaultLength != 12 || len(after.ExcludeTargets) != 1 || !strings.EqualFold(after.ExcludeTargets[0].ID, breakGlassGroup) {
		t.Errorf("the tenant should hold the planned length and the portal's exclusion: %+v", after)
	}
	// The configuration leaves exclusions to the tenant: the next plan keeps
	// the portal's, and changes nothing.
	if out, err := cli.run("plan", "-no-color", "-input=false", "-detailed-exitcode"); err != nil {
		t.Errorf("the next plan should be empty: %v\n%s", err, out)
	}
}

func TestAccPlanContract_savedPlanRefusesToOverwrite(t *testing.T) {
	e, admin, cli := savedLengthPlan(t)
	ctx := context.Background()
	// After the plan, someone sets the very value the plan changes.
	enableTAPPolicy(t, admin, func(p *graph.TemporaryAccessPassPolicy) { p.DefaultLength = 16 })
	e.ResetRequests()
	out, err := cli.run("apply", "-no-color", "-input=false", "tfplan")
	if err == nil {
		t.Fatalf("the saved plan should be refused:\n%s", out)
	}
	for _, want := range []string{"changed since this plan was made", "default_length: planned 12", "held 10", "it now holds 16", "Run terraform plan again"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("the error should say %q:\n%s", want, out)
		}
	}
	if n := mutatingRequests(e.Requests()); n != 0 {
		t.Errorf("a refused apply sent %d writes", n)
	}
	if after, err := admin.GetTemporaryAccessPassPolicy(ctx); err != nil || after.DefaultLength != 16 {
		t.Errorf("the tenant's value should stand: %+v %v", after, err)
	}
}

// A pass the user holds is replaced only on purpose: an apply that changes
// nothing and a refresh-only apply issue none; replace_existing_pass does.
func TestAccPlanContract_passReplacedOnlyOnPurpose(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	enableTAPPolicy(t, adminClient(t, e), nil)
	issued := func() int { return len(e.IssuedTemporaryAccessPasses(megan.ID)) }
	cli := newTerraformCLI(t, map[string]string{"main.tf": ephemeralPassConfig(e, "terraform.applying", "")})
	if out, err := cli.run("apply", "-auto-approve", "-no-color", "-input=false"); err != nil || issued() != 1 {
		t.Fatalf("the first apply should issue one pass (%d): %v\n%s", issued(), err, out)
	}
	for _, args := range [][]string{{"apply"}, {"apply", "-refresh-only"}} {
		out, err := cli.run(append(args, "-auto-approve", "-no-color", "-input=false")...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		if n := issued(); n != 1 {
			t.Errorf("terraform %v issued a pass for Megan, replacing hers (%d issued)", args, n)
		}
		// Terraform opens the ephemeral resource in such an apply too, and it
		// says why it issued nothing; OpenTofu does not open it at all.
		if !strings.Contains(out, "No Temporary Access Pass issued: the user holds one") && !strings.Contains(out, "OpenTofu") {
			t.Errorf("terraform %v should say why no pass was issued:\n%s", args, out)
		}
	}
	cli.write(t, "main.tf", ephemeralPassConfig(e, "terraform.applying", "  replace_existing_pass = true"))
	out, err := cli.run("apply", "-auto-approve", "-no-color", "-input=false")
	switch {
	case err != nil:
		t.Fatalf("apply: %v\n%s", err, out)
	case strings.Contains(out, "OpenTofu") && issued() == 1:
		// OpenTofu opens an ephemeral resource at apply only for a resource
		// that changes: the pass is replaced with the next change to Vault's.
	case issued() != 2:
		t.Errorf("replace_existing_pass should issue a new pass (%d issued)\n%s", issued(), out)
	}
}

// An issue value not known while validating (a variable) is refused before
// anything is read or issued.
func TestAccPlanContract_unknownIssueRefused(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	enableTAPPolicy(t, adminClient(t, e), nil)
	cli := newTerraformCLI(t, map[string]string{"main.tf": "variable \"issue\" {\n  type = bool\n}\n" + ephemeralPassConfig(e, "var.issue", "")})
	e.ResetRequests()
	out, err := cli.run("plan", "-no-color", "-input=false", "-var", "issue=true")
	if err == nil || !strings.Contains(out, "issue must be terraform.applying") || !strings.Contains(out, "not known while Terraform validates") {
		t.Fatalf("issue = var.issue should be refused:\n%s", out)
	}
	if n := len(e.IssuedTemporaryAccessPasses()); n != 0 || mutatingRequests(e.Requests()) != 0 {
		t.Errorf("a refused plan issued %d passes", n)
	}
}

// Graph's refusal is an answer, not a lost one: when Graph refuses the
// badge because the user got one in the meantime (made by someone else,
// with the very same dates), that badge is left alone.
func TestAccPlanContract_badgeRecoveryOnlyWhenTheOutcomeIsUnknown(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	enableQRCodePinPolicy(t, admin)
	start := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	expire := start.AddDate(0, 0, 30)
	var theirs string
	e.Inject(emulator.Fault{Method: "PUT", PathContains: "qrCodePinMethod", Status: 400, Meanwhile: func() {
		q, err := admin.CreateQRCodePinMethod(context.Background(), adele.ID, start, expire, "58204716")
		if err != nil {
			t.Error(err)
			return
		}
		theirs = q.ID
	}})
	t.Setenv("TF_VAR_pin", "40172935")
	dates := fmt.Sprintf("  start_date_time  = %q\n  expire_date_time = %q", start.Format(time.RFC3339), expire.Format(time.RFC3339))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      qrConfig(e, filepath.Join(t.TempDir(), "adele.png"), dates),
			ExpectError: errorLike("creating the QR code PIN method of " + adele.ID + " failed"),
		}},
	})
	held, err := admin.GetQRCodePinMethod(context.Background(), adele.ID)
	if err != nil || theirs == "" || held.ID != theirs {
		t.Errorf("the badge made in the meantime should stand: %+v %v", held, err)
	}
}

// The badge image goes to a file of its own: a symbolic link at the path
// is refused, and nothing is written through it.
func TestAccPlanContract_badgeImageRefusesSymlink(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	enableQRCodePinPolicy(t, adminClient(t, e))
	dir := t.TempDir()
	target := filepath.Join(dir, "elsewhere")
	if err := os.WriteFile(target, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "adele.png")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_VAR_pin", "40172935")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      qrConfig(e, link, ""),
			ExpectError: errorLike("is a symbolic link; name a regular file"),
		}},
	})
	if got, _ := os.ReadFile(target); string(got) != "keep" {
		t.Errorf("the image was written through the link: %q", got)
	}
}

// A provider argument known only after apply is refused at plan, rather
// than read as unset and taken from the environment.
func TestAccPlanContract_unknownProviderArgumentRefused(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	cli := newTerraformCLI(t, map[string]string{"main.tf": `
resource "terraform_data" "tenant" {
  input = "` + e.TenantID() + `"
}

provider "entra" {
  tenant_id = terraform_data.tenant.output
}
` + tapPolicyConfig(10)})
	e.ResetRequests()
	out, err := cli.run("plan", "-no-color", "-input=false")
	if err == nil || !strings.Contains(out, "Provider arguments not known at plan") || !strings.Contains(out, "tenant_id of the entra provider") {
		t.Fatalf("the plan should be refused naming tenant_id:\n%s", out)
	}
	if got := e.Requests(); len(got) != 0 {
		t.Errorf("the refused plan sent requests: %v", got)
	}
}

// A minimum of one PIN attempt left would let a wrong PIN leave a key one
// attempt from blocked: refused.
func TestAccPlanContract_minPINRetriesAtLeastTwo(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      providerBlock(e, raw("security_key_min_pin_retries", "1")) + tapPolicyConfig(10),
			PlanOnly:    true,
			ExpectError: errorLike("security_key_min_pin_retries value must be between 2 and 7, got: 1"),
		}},
	})
}

// Unsetting user_id never takes a token from a user someone else gave it to.
func TestAccPlanContract_tokenNotUnassignedFromAnotherHolder(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	ctx := context.Background()
	enableHardwareOathPolicy(t, admin)
	t.Setenv("TF_VAR_seed", tokenSeed)
	inventory := tokenConfig(e, "")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: inventory, Check: checkToken(admin, "", "available")},
			{
				// Megan is given the token in the portal.
				PreConfig: func() {
					token, err := admin.FindOathToken(ctx, "TOTP123456")
					if err != nil {
						t.Fatal(err)
					}
					if _, err := admin.AssignOathToken(ctx, megan.ID, token.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:      inventory,
				ExpectError: errorLike("unsetting user_id would take it from them"),
			},
			{
				// Naming her keeps it with her.
				Config: tokenConfig(e, fmt.Sprintf("  user_id = %q\n  activate = false", megan.ID)),
				Check:  checkToken(admin, megan.ID, "assigned"),
			},
		},
	})
}

// Graph's reference spells the campaign's passkey target both "fido2" and
// "Fido2": either spelling applies and plans empty, against a Graph that
// answers in either.
func TestAccPlanContract_campaignFido2EitherSpelling(t *testing.T) {
	for _, answers := range []string{"", "Fido2"} {
		for _, written := range []string{"fido2", "Fido2"} {
			t.Run(written+" answered "+answers, func(t *testing.T) {
				e := startEmulator(t, emulator.Options{CampaignFido2Spelling: answers})
				config := strings.Replace(campaignConfig(e, 0), `"fido2"`, fmt.Sprintf("%q", written), 1)
				resource.Test(t, resource.TestCase{
					ProtoV6ProviderFactories: testProviders,
					Steps: []resource.TestStep{{
						Config: config,
						Check:  resource.TestCheckResourceAttr("entra_authentication_methods_policy.this", "registration_campaign.include_targets.0.targeted_authentication_method", written),
					}},
				})
			})
		}
	}
}

// An inclusion naming a group the tenant lacks includes nobody: the plan
// says so, and goes ahead.
func TestAccPlanContract_inclusionOfNoGroupWarned(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	cli := newTerraformCLI(t, map[string]string{"main.tf": `
resource "entra_temporary_access_pass_policy" "this" {
  state           = "enabled"
  include_targets = [{ id = "` + emulator.PilotGroupID + `" }, { id = "c0ffee00-0000-4000-8000-000000000000" }]
}
`})
	out, err := cli.run("plan", "-no-color", "-input=false")
	flat := strings.Join(strings.Fields(out), " ")
	if err != nil || !strings.Contains(flat, "Target names no group") ||
		!strings.Contains(flat, "include_targets includes group c0ffee00-0000-4000-8000-000000000000, which the tenant does not hold") ||
		strings.Contains(flat, emulator.PilotGroupID+", which") {
		t.Fatalf("the plan should warn of the missing group alone: %v\n%s", err, out)
	}
}

// A pass for a user the TAP policy leaves out is refused at plan, for the
// resource and the ephemeral resource alike, naming the groups involved;
// nothing is issued.
func TestAccPlanContract_passOutsideThePolicyRefused(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	pilot := []graph.Target{{ID: emulator.PilotGroupID, TargetType: "group"}}
	enableTAPPolicy(t, admin, func(p *graph.TemporaryAccessPassPolicy) { p.IncludeTargets = pilot })
	megansPass := providerBlock(e) + fmt.Sprintf("resource \"entra_temporary_access_pass\" \"megan\" {\n  user_id = %q\n}\n", megan.UserPrincipalName)
	outside := `includes only ` + emulator.PilotGroupID + ` ("Passkey pilot"), and ` + megan.UserPrincipalName + ` is in none of them`
	steps := []resource.TestStep{
		{Config: megansPass, PlanOnly: true, ExpectError: errorLike(outside)},
		{Config: ephemeralPassConfig(e, "terraform.applying", ""), PlanOnly: true,
			ExpectError: errorLike(`includes only ` + emulator.PilotGroupID + ` ("Passkey pilot"), and ` + megan.ID + ` is in none of them`)},
		// Adele is in the pilot group.
		{Config: passConfig(e, ""), PlanOnly: true, ExpectNonEmptyPlan: true},
		{
			PreConfig: func() {
				enableTAPPolicy(t, admin, func(p *graph.TemporaryAccessPassPolicy) {
					p.IncludeTargets = []graph.Target{{ID: "all_users", TargetType: "group"}}
					p.ExcludeTargets = []graph.ExcludeTarget{{ID: emulator.PilotGroupID, TargetType: "group"}}
				})
			},
			Config: passConfig(e, ""), PlanOnly: true,
			ExpectError: errorLike(`excludes group ` + emulator.PilotGroupID + ` ("Passkey pilot"), which ` + adele.UserPrincipalName + ` belongs to`),
		},
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: withVault,
		Steps:                    steps,
	})
	if n := len(e.IssuedTemporaryAccessPasses()); n != 0 {
		t.Errorf("%d passes issued", n)
	}
}

// Renaming a security key enrols it again, and the plan says which
// registration goes. With the same key attached (it holds one credential
// per user) the old registration goes once the key has accepted its PIN,
// then the key is enrolled again; with a wrong PIN nothing is revoked.
func TestAccPlanContract_securityKeyRenameRevokesOnlyWhenItCanEnrol(t *testing.T) {
	l := newKeyLab(t, true)
	l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	t.Setenv("TF_VAR_pin", testPIN)
	named := func(name, pinExpr string) string {
		return "variable \"pin\" {\n  type      = string\n  sensitive = true\n}\n" +
			strings.Replace(l.config(adele.ID, "  pin_wo = "+pinExpr), `"Adele's key"`, fmt.Sprintf("%q", name), 1)
	}
	var first string
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   onlyTF111,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: named("Adele's key", "var.pin"), Check: func(s *terraform.State) error {
				first = s.RootModule().Resources[keyRes].Primary.ID
				return nil
			}},
			{
				// A wrong PIN: the enrolment cannot go ahead, so nothing goes.
				Config:           named("Adele's YubiKey", `"000000"`),
				ConfigPlanChecks: expectUpdate(keyRes),
				ExpectError:      errorLike("attempts left before the PIN is blocked: the key already had a PIN before this run, and set_pin_if_unset never changes one"),
			},
			{
				PreConfig: func() {
					if m := l.methods(adele.ID); len(m) != 1 || m[0].ID != first {
						t.Errorf("a failed re-enrolment revoked the registration: %+v", m)
					}
				},
				Config:           named("Adele's YubiKey", "var.pin"),
				ConfigPlanChecks: expectUpdate(keyRes),
				Check: func(s *terraform.State) error {
					m := l.methods(adele.ID)
					if len(m) != 1 || m[0].ID == first || m[0].DisplayName != "Adele's YubiKey" || s.RootModule().Resources[keyRes].Primary.ID != m[0].ID {
						return fmt.Errorf("Adele should hold one new registration named Adele's YubiKey: %+v", m)
					}
					return nil
				},
			},
		},
	})
}

// The plan of a rename says, in words, which registration of which user the
// apply revokes, and when.
func TestAccPlanContract_securityKeyRenamePlanSaysWhatGoes(t *testing.T) {
	l := newKeyLab(t, true)
	useEmulator(t, l.e)
	l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	t.Setenv("ENTRA_SECURITY_KEY_PIN", testPIN)
	t.Setenv("ENTRA_SOFTWARE_AUTHENTICATOR_DIR", l.dir)
	cli := newTerraformCLI(t, map[string]string{"main.tf": l.config(adele.ID, "")})
	if out, err := cli.run("apply", "-auto-approve", "-no-color", "-input=false"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	id := l.methods(adele.ID)[0].ID
	cli.write(t, "main.tf", strings.Replace(l.config(adele.ID, ""), `"Adele's key"`, `"Adele's YubiKey"`, 1))
	out, err := cli.run("plan", "-no-color", "-input=false")
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"The security key is enrolled again, and the old registration revoked",
		"display_name changes, and Graph cannot rename a registration",
		fmt.Sprintf(`revokes the FIDO2 registration %s "Adele's key"`, id),
		"The revocation happens only once the new enrolment can go ahead",
		"1 to change, 0 to destroy",
	} {
		if err != nil || !strings.Contains(flat, want) {
			t.Errorf("the plan should say %q: %v\n%s", want, err, out)
		}
	}
}

// Graph cannot rename a registration: renaming an imported one is refused
// at plan with what to do, and nothing is revoked.
func TestAccPlanContract_importedRegistrationRenameRefused(t *testing.T) {
	l := newKeyLab(t, true)
	res := l.enrolOutside(t, l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN}), adele.ID, "Adele's key")
	method := func(name string) string {
		return l.provider() + fmt.Sprintf("resource \"entra_fido2_method\" \"adele\" {\n  user_id      = %q\n  display_name = %q\n}\n", adele.ID, name)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: method("Adele's key"), ResourceName: "entra_fido2_method.adele", ImportState: true, ImportStatePersist: true,
				ImportStateId: adele.ID + "/" + res.Method.ID},
			{Config: method("Adele's YubiKey"), PlanOnly: true, ExpectError: errorLike(
				"Graph offers no way to rename it; replacing it would revoke it with nothing to register instead. To show another name, register the key again")},
			{
				PreConfig: func() {
					if m := l.methods(adele.ID); len(m) != 1 || m[0].ID != res.Method.ID {
						t.Errorf("the registration should stand: %+v", m)
					}
				},
				Config: method("Adele's key"), PlanOnly: true,
			},
		},
	})
}

// Two resources of one configuration managing a user's one-of-a-kind
// method are refused at plan.
func TestAccPlanContract_twoResourcesForOneMethodRefused(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	twice := func(typ, a, b string) string {
		return providerBlock(e) + fmt.Sprintf("resource %q \"a\" {\n  user_id = %q\n%s\n}\nresource %q \"b\" {\n  user_id = %q\n%s\n}\n",
			typ, megan.ID, a, typ, megan.ID, b)
	}
	var steps []resource.TestStep
	for _, c := range []struct{ typ, a, b, kind string }{
		{"entra_email_method", `  email_address = "megan@fabrikam.example"`, `  email_address = "megan@northwind.example"`, "email method"},
		{"entra_phone_method", "  phone_type = \"mobile\"\n  phone_number = \"+1 2065550100\"", "  phone_type = \"mobile\"\n  phone_number = \"+1 2065550111\"", "mobile phone"},
		{"entra_temporary_access_pass", "  lifetime_in_minutes = 60", "  lifetime_in_minutes = 120", "Temporary Access Pass"},
	} {
		steps = append(steps, resource.TestStep{Config: twice(c.typ, c.a, c.b), PlanOnly: true,
			ExpectError: errorLike("Another resource of this configuration already manages the " + c.kind + " of " + megan.ID)})
	}
	enableTAPPolicy(t, adminClient(t, e), nil)
	e.ResetRequests()
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviders, Steps: steps})
	if n := mutatingRequests(e.Requests()); n != 0 {
		t.Errorf("refused plans sent %d writes", n)
	}
}

// -replace makes a user's email method and badge again: the plan's "the
// user already has one" check does not count the resource's own method.
func TestAccPlanContract_replaceEmailAndBadge(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	enableQRCodePinPolicy(t, adminClient(t, e))
	t.Setenv("TF_VAR_pin", "40172935")
	config := qrConfig(e, filepath.Join(t.TempDir(), "adele.png"), "") + fmt.Sprintf(`
resource "entra_email_method" "adele" {
  user_id       = %q
  email_address = "adele@fabrikam.example"
}
`, adele.ID)
	cli := newTerraformCLI(t, map[string]string{"main.tf": config})
	if out, err := cli.run("apply", "-auto-approve", "-no-color", "-input=false"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	for _, addr := range []string{"entra_email_method.adele", "entra_qr_code_pin_method.adele"} {
		out, err := cli.run("apply", "-auto-approve", "-no-color", "-input=false", "-replace="+addr)
		if err != nil || !strings.Contains(out, "1 added, 0 changed, 1 destroyed") {
			t.Errorf("-replace=%s: %v\n%s", addr, err, out)
		}
	}
}

// Where a check needs a value the plan cannot know yet, the plan says so.
func TestAccPlanContract_unknownValuesSaidSo(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	enableTAPPolicy(t, adminClient(t, e), nil)
	cli := newTerraformCLI(t, map[string]string{"main.tf": fmt.Sprintf(`
resource "terraform_data" "ids" {
  input = { user = %q, group = %q }
}

resource "entra_temporary_access_pass" "later" {
  user_id = terraform_data.ids.output.user
}

resource "entra_temporary_access_pass_policy" "this" {
  state           = "enabled"
  exclude_targets = [{ id = terraform_data.ids.output.group }]
}
`, megan.ID, emulator.BreakGlassGroupID)})
	out, err := cli.run("plan", "-no-color", "-input=false")
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Whom the pass is for is known only at apply", "A target of exclude_targets is known only after apply"} {
		if err != nil || !strings.Contains(flat, want) {
			t.Errorf("the plan should say %q: %v\n%s", want, err, out)
		}
	}
}

// A DELETE answered with a redirect removed nothing: the destroy fails
// naming the status and the request, and the method stays in state and in
// the tenant.
func TestAccPlanContract_redirectIsNoSuccess(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	cli := newTerraformCLI(t, map[string]string{"main.tf": fmt.Sprintf(`
resource "entra_email_method" "megan" {
  user_id       = %q
  email_address = "megan@fabrikam.example"
}
`, megan.ID)})
	if out, err := cli.run("apply", "-auto-approve", "-no-color", "-input=false"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	e.Inject(emulator.Fault{Method: "DELETE", PathContains: "emailMethods", Action: "redirect", Times: 10})
	out, err := cli.run("destroy", "-auto-approve", "-no-color", "-input=false")
	flat := strings.Join(strings.Fields(out), " ")
	if err == nil || !strings.Contains(flat, "Graph answered 302 Found to DELETE") || !strings.Contains(flat, "only a 2xx answer is success") {
		t.Fatalf("the destroy should fail on the redirect: %v\n%s", err, out)
	}
	if held, err := adminClient(t, e).ListEmailMethods(context.Background(), megan.ID); err != nil || len(held) != 1 {
		t.Errorf("the tenant should still hold the method: %+v %v", held, err)
	}
	if out, _ := cli.run("state", "list"); !strings.Contains(out, "entra_email_method.megan") {
		t.Errorf("the method should stay in state:\n%s", out)
	}
}
