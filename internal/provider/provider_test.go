package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

// Acceptance tests run the real terraform CLI (TF_ACC_TERRAFORM_PATH) against
// this provider, which talks HTTPS and OAuth2 to an emulator per test.

var testProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"entra": providerserver.NewProtocol6WithError(New("test")()),
}

// caFile is the emulators' shared CA, trusted through SSL_CERT_FILE.
var caFile string

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
	// Start one emulator before any TLS use so that the process trusts the
	// shared CA: Go reads SSL_CERT_FILE once.
	e, err := emulator.Start(emulator.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	caFile = filepath.Join(dir, "ca.pem")
	if err := e.WriteCAFile(caFile); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	e.Close()
	os.Setenv("SSL_CERT_FILE", caFile)
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
