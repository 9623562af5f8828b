package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/enrollment"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Acceptance tests run the real terraform CLI (TF_ACC_TERRAFORM_PATH) against
// this provider, which talks HTTPS and OAuth2 to an emulator per test.

var testProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"entra": providerserver.NewProtocol6WithError(New("test")()),
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

// providerBlock configures the provider for an emulator with a client secret.
func providerBlock(e *emulator.Emulator) string {
	return fmt.Sprintf(`
provider "entra" {
  tenant_id      = %q
  client_id      = %q
  client_secret  = %q
  graph_endpoint = %q
  authority_host = %q
}
`, e.TenantID(), e.ClientID(), e.ClientSecret(), e.URL(), e.URL())
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

// checkTAP and checkFido2 check what the tenant holds, as a check step.
func checkTAP(c *graph.Client, fn func(p *graph.TemporaryAccessPassPolicy) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, err := c.GetTemporaryAccessPassPolicy(context.Background())
		if err != nil {
			return err
		}
		return fn(p)
	}
}

func checkFido2(c *graph.Client, fn func(p *graph.Fido2Policy) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, err := c.GetFido2Policy(context.Background())
		if err != nil {
			return err
		}
		return fn(p)
	}
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
