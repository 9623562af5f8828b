package provider

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

// terraformCLI runs the real terraform or tofu (TF_ACC_TERRAFORM_PATH) in a working
// directory against this provider served in-process through Terraform's
// debug reattach, for tests that read what a person reads: the plan's text
// and its warnings. The provider reads its settings from this process's
// environment, which useEmulator points at an emulator.
type terraformCLI struct {
	bin, dir string
	env      []string
}

func newTerraformCLI(t *testing.T, files map[string]string) *terraformCLI {
	t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || bin == "" {
		t.Skip("acceptance test: set TF_ACC and TF_ACC_TERRAFORM_PATH")
	}
	return newCLI(t, bin, files)
}

// newCLI runs bin, a terraform or tofu, in a new working directory holding
// files, initialised.
func newCLI(t *testing.T, bin string, files map[string]string) *terraformCLI {
	t.Helper()
	// This provider under the addresses configurations use for it, and the
	// Vault stand-in the examples hand passes to, in Terraform's registry
	// and in OpenTofu's.
	reattach := map[string]any{}
	for _, p := range []struct {
		names  []string
		server func() tfprotov6.ProviderServer
	}{
		{[]string{"entra-tf/entra", "hashicorp/entra"}, func() tfprotov6.ProviderServer {
			s, err := NewServer("test")()
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
		{[]string{"hashicorp/vault"}, providerserver.NewProtocol6(vaultProvider{})},
	} {
		attach := serveForReattach(t, "registry.terraform.io/"+p.names[0], p.server)
		for _, name := range p.names {
			for _, registry := range []string{"registry.terraform.io/", "registry.opentofu.org/"} {
				reattach[registry+name] = attach
			}
		}
	}
	env, _ := json.Marshal(reattach)
	dir := t.TempDir()
	c := &terraformCLI{bin: bin, dir: dir, env: append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(env), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")}
	for name, body := range files {
		c.write(t, name, body)
	}
	if out, err := c.run("init", "-no-color", "-input=false"); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, out)
	}
	return c
}

// serveForReattach serves a provider in this process until the test ends and
// says how terraform attaches to it.
func serveForReattach(t *testing.T, addr string, server func() tfprotov6.ProviderServer) map[string]any {
	ctx, cancel := context.WithCancel(context.Background())
	configs := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	go func() {
		_ = tf6server.Serve(addr, server, tf6server.WithDebug(ctx, configs, closed),
			tf6server.WithLoggingSink(t), tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}()
	rc := <-configs
	t.Cleanup(func() { cancel(); <-closed })
	return map[string]any{"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
		"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()}}
}

// write puts a file into the working directory.
func (c *terraformCLI) write(t *testing.T, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// run runs the CLI with args and returns its combined output.
func (c *terraformCLI) run(args ...string) (string, error) {
	cmd := exec.Command(c.bin, args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// useEmulator configures the provider from the environment, as the examples
// expect: credentials and endpoints of e.
func useEmulator(t *testing.T, e *emulator.Emulator) {
	t.Setenv("ARM_TENANT_ID", e.TenantID())
	t.Setenv("ARM_CLIENT_ID", e.ClientID())
	t.Setenv("ARM_CLIENT_SECRET", e.ClientSecret())
	t.Setenv("ENTRA_GRAPH_ENDPOINT", e.URL())
	t.Setenv("ENTRA_AUTHORITY_HOST", e.URL())
}
