package provider

// The acceptance tests' harness: the emulator a test starts, the provider
// block that points at it, an administrator's client to set the tenant up
// and check it, and the checks of plans, states and errors the tests share.
// cli_test.go runs the terraform (or tofu) CLI directly.

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/enrollment"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Acceptance tests run the real terraform CLI (TF_ACC_TERRAFORM_PATH) against
// this provider, which talks HTTPS and OAuth2 to an emulator per test.

var testProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"entra": NewServer("test"),
}

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "entra-test-ca")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if err := emulator.TrustCA(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	// A lost registration is looked for this long: longer than the lag
	// the tests give the emulator, shorter than a real tenant needs.
	enrollment.LookupWait = 3 * time.Second
	defer func() {
		if azDir != "" {
			os.RemoveAll(azDir)
		}
	}()
	return m.Run()
}

// startEmulator starts an emulator for one test and stops it at the end.
func startEmulator(t *testing.T, opts emulator.Options) *emulator.Emulator {
	t.Helper()
	e, err := emulator.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

// setting is one argument of a provider block, as HCL; an empty value
// leaves the argument out.
type setting struct{ name, value string }

// set writes name = value (a string) into a provider block; raw writes an
// HCL expression.
func set(name, value string) setting { return setting{name, fmt.Sprintf("%q", value)} }
func raw(name, expr string) setting  { return setting{name, expr} }
func unset(name string) setting      { return setting{name, ""} }

// providerBlock configures the provider for an emulator: its tenant, a
// client secret and its endpoints, changed by settings.
func providerBlock(e *emulator.Emulator, settings ...setting) string {
	args := map[string]string{}
	for _, s := range append([]setting{
		set("tenant_id", e.TenantID()), set("client_id", e.ClientID()), set("client_secret", e.ClientSecret()),
		set("graph_endpoint", e.URL()), set("authority_host", e.URL()),
	}, settings...) {
		args[s.name] = s.value
	}
	var b strings.Builder
	b.WriteString("\nprovider \"entra\" {\n")
	for _, name := range slices.Sorted(maps.Keys(args)) {
		if args[name] != "" {
			fmt.Fprintf(&b, "  %s = %s\n", name, args[name])
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// adminClient talks to the emulator's tenant outside Terraform, the way an
// administrator's portal edit would, to check what the tenant holds and to
// cause drift.
func adminClient(t *testing.T, e *emulator.Emulator) *graph.Client {
	t.Helper()
	cred, err := e.Credential()
	if err != nil {
		t.Fatal(err)
	}
	c, err := graph.New(graph.Config{Endpoint: e.URL(), Credential: cred})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkTenant checks, as a check step, what the tenant holds: get reads it
// (an administrator's client method), fn judges it.
func checkTenant[T any](get func(context.Context) (*T, error), fn func(p *T) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, err := get(context.Background())
		if err != nil {
			return err
		}
		return fn(p)
	}
}

// testFreshTenantDataSource reads data source typeName ("current") of a
// fresh emulated tenant through the CLI, and checks its state.
func testFreshTenantDataSource(t *testing.T, typeName string, checks ...statecheck.StateCheck) {
	e := startEmulator(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps:                    []resource.TestStep{{Config: providerBlock(e) + fmt.Sprintf("data %q \"current\" {}\n", typeName), ConfigStateChecks: checks}},
	})
}

// expectUpdate asserts that the step's plan updates res in place.
func expectUpdate(res string, more ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: append([]plancheck.PlanCheck{
		plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate),
	}, more...)}
}

// expectPlanned asserts the plan sets res's string attribute to value.
func expectPlanned(res, attr, value string) plancheck.PlanCheck {
	return plancheck.ExpectKnownValue(res, tfjsonpath.New(attr), knownvalue.StringExact(value))
}

// errorLike matches an error message however terraform wraps its lines.
func errorLike(msg string) *regexp.Regexp {
	return regexp.MustCompile(strings.Join(strings.Fields(regexp.QuoteMeta(msg)), `\s+`))
}

// errorPattern matches an error message, with regular expressions where the
// message has ".*", however terraform wraps its lines.
func errorPattern(msg string) *regexp.Regexp {
	parts := strings.Split(msg, ".*")
	for i, p := range parts {
		if strings.Contains(p, "\\(") || strings.Contains(p, "[0-9]") {
			parts[i] = strings.Join(strings.Fields(p), `\s+`)
			continue
		}
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(p)), `\s+`)
	}
	return regexp.MustCompile("(?s)" + strings.Join(parts, ".*"))
}

// writeFile writes a file into a test directory and returns its path.
func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// enableTAPPolicy enables the TAP policy for everyone, as an administrator
// would have before issuing passes; edit adjusts it.
func enableTAPPolicy(t *testing.T, admin *graph.Client, edit func(p *graph.TemporaryAccessPassPolicy)) {
	t.Helper()
	ctx := context.Background()
	p, err := admin.GetTemporaryAccessPassPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.State = "enabled"
	if edit != nil {
		edit(p)
	}
	if err := admin.UpdateTemporaryAccessPassPolicy(ctx, *p, nil); err != nil {
		t.Fatal(err)
	}
}

// mutatingRequests counts the PATCH, POST (other than token requests) and
// DELETE requests the emulator received.
func mutatingRequests(counts map[string]int) int {
	n := 0
	for k, v := range counts {
		if k != "POST token" && (strings.HasPrefix(k, "PATCH ") || strings.HasPrefix(k, "POST ") || strings.HasPrefix(k, "DELETE ")) {
			n += v
		}
	}
	return n
}

// fileExists says whether path names a file.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// assertWarnings checks each finding against "control|text": the EIDSCA id
// exactly (empty for none) and a part of the detail.
func assertWarnings(t *testing.T, name string, got []finding, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got findings %+v, want %d like %q", name, got, len(want), want)
		return
	}
	for i := range want {
		control, text, _ := strings.Cut(want[i], "|")
		if got[i].control != control || !strings.Contains(got[i].detail, text) || got[i].recommended == "" {
			t.Errorf("%s: finding %d = %+v, want control %q, a recommended value, and a detail containing %q", name, i, got[i], control, text)
		}
	}
}
