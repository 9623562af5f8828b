package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

// Every example in examples/, and the demo, planned with the real CLI against
// an emulated tenant that holds what the examples name: each plan succeeds
// (an import of an id the tenant lacks fails as Terraform says it does) and
// none sends a request that changes the tenant.
func TestAccExamples_planWithoutSideEffects(t *testing.T) {
	l := newKeyLab(t, true)
	key := l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	enableTAPPolicy(t, l.admin, nil)
	if _, err := l.admin.CreateTemporaryAccessPass(context.Background(), adele.ID, graph.NewTemporaryAccessPass{}); err != nil {
		t.Fatal(err)
	}
	credential := credentialFor(t, l, megan.UserPrincipalName, key)
	lostLaptop(l.e)
	if _, err := l.admin.CreateOathToken(context.Background(), graph.OathToken{SerialNumber: "TOTP123456", Manufacturer: "Contoso", Model: "Hardware Token 1000",
		SecretKey: tokenSeed, TimeIntervalInSeconds: 30}); err != nil {
		t.Fatal(err)
	}
	useEmulator(t, l.e)
	t.Setenv("ENTRA_SOFTWARE_AUTHENTICATOR_DIR", l.dir)
	t.Setenv("ENTRA_SECURITY_KEY_PIN", testPIN)
	t.Setenv("TF_VAR_security_key_pin", testPIN)
	t.Setenv("TF_VAR_badge_pin", "40172935")
	t.Setenv("TF_VAR_token_seed", tokenSeed)

	root := filepath.Join("..", "..", "examples")
	var examples [][]string // the files planned together
	for _, pattern := range []string{"resources/*/resource.tf", "data-sources/*/data-source.tf", "ephemeral-resources/*/ephemeral-resource.tf", "provider/provider.tf", "demo/main.tf"} {
		files, _ := filepath.Glob(filepath.Join(root, pattern))
		for _, f := range files {
			examples = append(examples, []string{f})
			if imp := filepath.Join(filepath.Dir(f), "import-by-string-id.tf"); fileExists(imp) {
				examples = append(examples, []string{f, imp})
			}
		}
	}
	if len(examples) < 15 {
		t.Fatalf("found %d examples under %s", len(examples), root)
	}
	for _, ex := range examples {
		name := strings.ReplaceAll(strings.Join(ex, " + "), root+string(filepath.Separator), "")
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"megan-credential.json": credential}
			for _, f := range ex {
				body, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				files[filepath.Base(f)] = string(body)
			}
			cli := newTerraformCLI(t, files)
			before := mutatingRequests(l.e.Requests())
			out, err := cli.run("plan", "-no-color", "-input=false", "-detailed-exitcode")
			if n := mutatingRequests(l.e.Requests()) - before; n != 0 {
				t.Errorf("the plan sent %d requests that change the tenant", n)
			}
			importsMissing := len(ex) == 2 && strings.Contains(out, "Cannot import non-existent remote object")
			// -detailed-exitcode: 0 no changes, 2 changes, 1 an error.
			var exit *exec.ExitError
			planned := err == nil || errors.As(err, &exit) && exit.ExitCode() == 2
			if !planned && !importsMissing {
				t.Errorf("terraform plan: %v\n%s", err, out)
			}
		})
	}
	if n := len(l.e.IssuedTemporaryAccessPasses(adele.ID)); n != 1 {
		t.Errorf("%d passes were issued for Adele, want only the one made before planning", n)
	}
}

// The passwordless rollout module, applied to a fresh tenant through the
// CLI: its plan reads as a review (each policy says what it adopts, nothing
// is flagged as a weakening), one apply converges, and the tenant then meets
// the EIDSCA authentication-method controls read back here, those Graph
// beta holds (report suspicious activity) included.
func TestAccExamples_passwordlessRollout(t *testing.T) {
	// Graph's reference leaves open whether the legacy FIDO2 fields mirror
	// the default passkey profile: the rollout applies and plans empty
	// either way.
	t.Run("legacy FIDO2 fields not mirrored", func(t *testing.T) {
		e := startEmulator(t, emulator.Options{LegacyFido2NotMirrored: true})
		useEmulator(t, e)
		cli := newTerraformCLI(t, map[string]string{"main.tf": readExample(t, "passwordless-rollout")})
		if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
			t.Fatalf("terraform apply: %v\n%s", err, out)
		}
		if out, err := cli.run("plan", "-no-color", "-input=false", "-detailed-exitcode"); err != nil {
			t.Fatalf("a second plan is not empty: %v\n%s", err, out)
		}
	})
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	cli := newTerraformCLI(t, map[string]string{"main.tf": readExample(t, "passwordless-rollout")})
	out, err := cli.run("plan", "-no-color", "-input=false")
	if err != nil {
		t.Fatalf("terraform plan: %v\n%s", err, out)
	}
	// The policies are imported, so Terraform's own diff shows them; only
	// the strength is new, and no line is longer than a reviewer reads.
	for _, policy := range []string{"authentication_methods_policy", "fido2_policy", "temporary_access_pass_policy", "microsoft_authenticator_policy", "sms_policy", "voice_policy"} {
		if !strings.Contains(out, "# entra_"+policy+".this will be") || !strings.Contains(out, "entra_"+policy+".this: Preparing import") {
			t.Errorf("the plan does not import entra_%s", policy)
		}
	}
	if !strings.Contains(out, "Plan: 6 to import, 1 to add, 5 to change, 0 to destroy.") || strings.Contains(out, "adopts the tenant's") {
		t.Errorf("the rollout's plan does not import its policies and add only the strength:\n%s", out)
	}
	nonEmpty, longest := 0, 0
	for _, line := range strings.Split(out, "\n") {
		if strings.TrimSpace(line) != "" {
			nonEmpty++
		}
		longest = max(longest, utf8.RuneCountInString(line))
	}
	t.Logf("the rollout's plan: %d non-empty lines, the longest %d characters", nonEmpty, longest)
	if longest > maxLine {
		t.Errorf("a line of the rollout's plan has %d characters:\n%s", longest, out)
	}
	// Each target group is named beside its id.
	for _, named := range []string{`+ "e3b5f1c2-9d8a-4f6b-8c7d-1a2b3c4d5e6f" = "Break-glass accounts"`, `+ "5c1b9e2a-7f3d-4a8e-9b6c-2d4e6f8a0b1c" = "Passkey pilot"`} {
		if !strings.Contains(out, named) {
			t.Errorf("the rollout's plan lacks %s:\n%s", named, out)
		}
	}
	if strings.Contains(out, "Security review:") || strings.Contains(out, "no one can register") {
		t.Errorf("the rollout's plan flags a weakening:\n%s", out)
	}
	if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	if out, err := cli.run("plan", "-no-color", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("a second plan is not empty: %v\n%s", err, out)
	}

	met, unmet := tenantControls(t, adminClient(t, e))
	t.Logf("EIDSCA controls met: %s", strings.Join(met, ", "))
	t.Logf("EIDSCA controls not met: %s", strings.Join(unmet, ", "))
	want := []string{"AF01", "AF02", "AF03", "AF04", "AG01", "AG02", "AG03", "AM01", "AM02", "AM03", "AM04", "AM06", "AM07", "AM09", "AM10", "AS04", "AT01", "AT02", "AV01"}
	if !slices.Equal(met, want) || len(unmet) != 0 {
		t.Errorf("controls met: %v (want %v), not met: %v", met, want, unmet)
	}
	// The policies' eidsca attributes say the same as the tenant.
	if stateMet, stateUnmet := stateControls(t, cli); !slices.Equal(stateMet, met) || !slices.Equal(stateUnmet, unmet) {
		t.Errorf("the state's eidsca: met %v, not met %v; the tenant: met %v, not met %v", stateMet, stateUnmet, met, unmet)
	}
}

// tenantControls reads the tenant as Maester's EIDSCA checks do (through
// Graph beta where they do) and says which authentication-method controls
// with a recommended value it meets.
func tenantControls(t *testing.T, c *graph.Client) (met, unmet []string) {
	t.Helper()
	ctx := context.Background()
	root, err := c.GetMethodsPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rootBeta, err := c.GetMethodsPolicyBeta(ctx)
	if err != nil {
		t.Fatal(err)
	}
	report := rootBeta.ReportSuspiciousActivitySettings
	fido2, err := c.GetFido2Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tap, err := c.GetTemporaryAccessPassPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	auth, err := c.GetMicrosoftAuthenticatorPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	authBeta, err := c.GetAuthenticatorBetaFeatures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	numberMatching := authBeta.NumberMatchingRequiredState
	sms, err := c.GetSmsPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	voice, err := c.GetVoicePolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	profilesAttest, profilesRestrict := len(fido2.PasskeyProfiles) > 0, len(fido2.PasskeyProfiles) > 0
	for _, p := range fido2.PasskeyProfiles {
		profilesAttest = profilesAttest && p.AttestationEnforcement == "registrationOnly"
		profilesRestrict = profilesRestrict && p.KeyRestrictions.IsEnforced
	}
	smsSignIn := false
	for _, target := range sms.IncludeTargets {
		smsSignIn = smsSignIn || target.IsUsableForSignIn
	}
	app, loc := auth.FeatureSettings.DisplayAppInformationRequiredState, auth.FeatureSettings.DisplayLocationInformationRequiredState
	controls := []struct {
		id string
		ok bool
	}{
		{"AF01", fido2.State == "enabled"},
		{"AF02", fido2.IsSelfServiceRegistrationAllowed},
		// The legacy fields mirror the default passkey profile.
		{"AF03", fido2.IsAttestationEnforced != nil && *fido2.IsAttestationEnforced && profilesAttest},
		{"AF04", fido2.KeyRestrictions != nil && fido2.KeyRestrictions.IsEnforced && profilesRestrict},
		{"AG01", root.PolicyMigrationState == "migrationComplete"},
		{"AG02", report.State == "enabled"},
		{"AG03", report.IncludeTarget.ID == "all_users"},
		{"AM01", auth.State == "enabled"},
		{"AM02", !auth.IsSoftwareOathEnabled},
		{"AM03", numberMatching.State == "enabled"},
		{"AM04", numberMatching.IncludeTarget.ID == "all_users"},
		{"AM06", app.State == "enabled"},
		{"AM07", app.IncludeTarget.ID == "all_users"},
		{"AM09", loc.State == "enabled"},
		{"AM10", loc.IncludeTarget.ID == "all_users"},
		{"AS04", !smsSignIn},
		{"AT01", tap.State == "enabled"},
		{"AT02", tap.IsUsableOnce},
		{"AV01", voice.State == "disabled"},
	}
	for _, control := range controls {
		if control.ok {
			met = append(met, control.id)
		} else {
			unmet = append(unmet, control.id)
		}
	}
	return met, unmet
}

// The offboarding module, through the CLI: its plan imports what the lost
// laptop and phone held (and not what Megan registered since, nor her
// Mac), a second plan is empty, the destroy plan warns of each
// revocation, and the destroy revokes exactly those methods.
func TestAccExamples_offboardLostDevice(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	lostLaptop(e)
	e.AddHeldMethod(megan.ID, emulator.HeldMethod{Kind: "microsoftAuthenticator", ID: "6a2b9e1c-0000-4000-8000-00000000b001",
		Properties: map[string]any{"displayName": "Megan's iPhone"}, Created: e.Now()})
	useEmulator(t, e)
	body, err := os.ReadFile(filepath.Join("..", "..", "examples", "offboard-lost-device", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	cli := newTerraformCLI(t, map[string]string{"main.tf": string(body), "terraform.tfvars": fmt.Sprintf(
		"user_id = %q\ndevice_names = [\"Megan's iPhone\", \"megan-laptop\"]\nregistered_before = %q\n",
		megan.UserPrincipalName, e.Now().Add(-time.Hour).Format(time.RFC3339))})
	out, err := cli.run("plan", "-no-color", "-input=false")
	if err != nil || !strings.Contains(out, "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("terraform plan should import the two methods: %v\n%s", err, out)
	}
	if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	if out, err := cli.run("plan", "-no-color", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("a second plan is not empty: %v\n%s", err, out)
	}
	out, err = cli.run("plan", "-destroy", "-no-color", "-input=false")
	for _, want := range []string{"Destroying revokes a Microsoft Authenticator registration", `on "Megan's iPhone" of ` + megan.UserPrincipalName,
		"Destroying revokes a Windows Hello for Business registration", "Plan: 0 to add, 0 to change, 2 to destroy."} {
		if err != nil || !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("the destroy plan does not say %q: %v\n%s", want, err, out)
		}
	}
	if out, err := cli.run("destroy", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform destroy: %v\n%s", err, out)
	}
	methods, err := adminClient(t, e).ListAuthenticationMethods(context.Background(), megan.ID)
	var left []string
	for _, m := range methods {
		left = append(left, m.ID)
	}
	want := []string{"28c10230-6103-485e-b985-444c60001490", "6a2b9e1c-0000-4000-8000-00000000a003", "6a2b9e1c-0000-4000-8000-00000000a004", "6a2b9e1c-0000-4000-8000-00000000b001"}
	slices.Sort(left)
	if err != nil || !slices.Equal(left, want) {
		t.Errorf("after the destroy Megan holds %v (%v), want %v: the password, her Mac, the OATH token and the phone app registered since", left, err, want)
	}
}

// The vendor-file module, through the CLI: one apply adds, assigns and
// activates every token of the file (the unassigned one stays available),
// a second plan is empty, and no seed is in the plan output or the state.
func TestAccExamples_hardwareTokensFromVendorFile(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	enableHardwareOathPolicy(t, admin)
	useEmulator(t, e)
	dir := filepath.Join("..", "..", "examples", "hardware-tokens-from-vendor-file")
	files := map[string]string{}
	for _, name := range []string{"main.tf", "tokens.csv"} {
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(body)
	}
	cli := newTerraformCLI(t, files)
	plan, err := cli.run("plan", "-no-color", "-input=false")
	if err != nil || !strings.Contains(plan, "Plan: 3 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("terraform plan: %v\n%s", err, plan)
	}
	if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}
	if out, err := cli.run("plan", "-no-color", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("a second plan is not empty: %v\n%s", err, out)
	}
	state, err := cli.run("show", "-json")
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range []string{"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"} {
		if strings.Contains(plan, seed) || strings.Contains(state, seed) {
			t.Errorf("a seed is in the plan output or the state")
		}
	}
	tokens, err := admin.ListOathTokens(context.Background())
	got := map[string]string{}
	for _, tk := range tokens {
		holder := ""
		if tk.AssignedTo != nil {
			holder = tk.AssignedTo.ID
		}
		got[tk.SerialNumber] = tk.Status + " " + holder
	}
	want := map[string]string{"TK0000001": "activated " + adele.ID, "TK0000002": "activated " + megan.ID, "TK0000003": "available "}
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("the inventory holds %v (%v), want %v", got, err, want)
	}
}

// The bulk-enrolment example enrols ten fresh software keys for ten users:
// each key gets its own random PIN, which reaches the Vault stand-in and
// nothing else (plan, state, trace logs), and each key then requires a new
// PIN. The first user's earlier key of the same model is replaced; their
// key of another model stays.
func TestAccExamples_bulkEnrolment(t *testing.T) {
	users := make([]emulator.User, 10)
	var upns []string
	for i := range users {
		users[i] = emulator.User{ID: fmt.Sprintf("%08d-1111-4000-8000-%012d", i, i), UserPrincipalName: fmt.Sprintf("new.hire%d@contoso.example", i)}
		upns = append(upns, users[i].UserPrincipalName)
	}
	l := newKeyLabWith(t, true, emulator.Options{Users: users})
	for i := range users {
		l.addKey(t, fmt.Sprintf("key%02d", i), softkey.SoftwareOptions{})
	}
	lost := l.e.SeedFido2Method(users[0].ID, "Lost key", softkey.DefaultSoftwareAAGUID)
	other := l.e.SeedFido2Method(users[0].ID, "Other model", "cb69481e-8ff7-4039-93ec-0a2729a154a8")
	useEmulator(t, l.e)
	t.Setenv("ENTRA_SOFTWARE_AUTHENTICATOR_DIR", l.dir)
	list, _ := json.Marshal(upns)
	t.Setenv("TF_VAR_users", string(list))
	logs := t.TempDir()
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_LOG_PATH", filepath.Join(logs, "terraform.log"))
	t.Setenv("TF_ACC_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", filepath.Join(logs, "provider.log"))

	body, err := os.ReadFile(filepath.Join("..", "..", "examples", "bulk-enrolment", "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	cli := newTerraformCLI(t, map[string]string{"main.tf": string(body)})
	plan, err := cli.run("plan", "-no-color", "-input=false")
	if err != nil || !strings.Contains(plan, "Plan: 20 to add, 0 to change, 0 to destroy.") ||
		!strings.Contains(plan, "Enrolling replaces registrations of the same model") || !strings.Contains(plan, lost) {
		t.Fatalf("terraform plan: %v\n%s", err, plan)
	}
	apply, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve")
	if err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, apply)
	}
	if out, err := cli.run("plan", "-no-color", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("a second plan is not empty: %v\n%s", err, out)
	}
	stateJSON, err := cli.run("show", "-json")
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Type   string         `json:"type"`
					Index  string         `json:"index"`
					Values map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(stateJSON), &state); err != nil {
		t.Fatal(err)
	}
	device := map[string]string{}
	for _, r := range state.Values.RootModule.Resources {
		if r.Type == "entra_security_key" {
			device[r.Index] = fmt.Sprint(r.Values["device"])
		}
	}
	var pins []string
	ctx := context.Background()
	for _, u := range users {
		var handed struct {
			PIN string `json:"pin"`
		}
		got, _ := handoffs.Load("pins/" + u.UserPrincipalName)
		_ = json.Unmarshal([]byte(fmt.Sprint(got)), &handed)
		if len(handed.PIN) != 8 || slices.Contains(pins, handed.PIN) {
			t.Fatalf("Vault received %q for %s: want a PIN of 8 digits of its own", handed.PIN, u.UserPrincipalName)
		}
		pins = append(pins, handed.PIN)
		if n := len(l.methods(u.ID)); u.ID != users[0].ID && n != 1 {
			t.Errorf("%s holds %d registrations, want 1", u.UserPrincipalName, n)
		}
		// The key's PIN is the handed one (a wrong PIN would count down
		// instead), and the key wants a new one before it serves again.
		key, err := softkey.SoftwareBackend{}.Open(ctx, device[u.UserPrincipalName])
		if err != nil {
			t.Fatalf("%s: %v", u.UserPrincipalName, err)
		}
		info, err := key.Info(ctx)
		if err != nil || !info.ForcePINChange {
			t.Errorf("the key of %s does not report forcePINChange (%v)", u.UserPrincipalName, err)
		}
		if _, err := key.MakeCredential(ctx, authenticator.MakeCredentialRequest{ClientDataHash: make([]byte, 32), RPID: "login.microsoft.com",
			UserID: []byte("u"), PIN: handed.PIN}); !errors.Is(err, authenticator.ErrPINPolicy) {
			t.Errorf("the key of %s with the handed PIN: want %v, got %v", u.UserPrincipalName, authenticator.ErrPINPolicy, err)
		}
	}
	var kept, keptIDs []string
	for _, m := range l.methods(users[0].ID) {
		kept, keptIDs = append(kept, m.DisplayName), append(keptIDs, m.ID)
	}
	slices.Sort(kept)
	if !slices.Equal(kept, []string{"Other model", "Security key"}) || slices.Contains(keptIDs, lost) || !slices.Contains(keptIDs, other) {
		t.Errorf("%s holds %v (%v), want the new key and the other model's (%s) only", users[0].UserPrincipalName, kept, keptIDs, other)
	}
	for name, text := range map[string]string{"plan output": plan, "apply output": apply, "state": stateJSON} {
		for _, pin := range pins {
			if strings.Contains(text, pin) {
				t.Errorf("a PIN appears in the %s", name)
			}
		}
	}
	for _, name := range []string{"terraform.log", "provider.log"} {
		log, err := os.ReadFile(filepath.Join(logs, name))
		if err != nil || len(log) == 0 {
			t.Fatalf("no %s: %v", name, err)
		}
		for _, pin := range pins {
			if strings.Contains(string(log), pin) {
				t.Errorf("a PIN appears in %s", name)
			}
		}
	}
}

// readExample is the main.tf of examples/<name>.
func readExample(t *testing.T, name string) string {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("..", "..", "examples", name, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}
