package provider

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

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
	useEmulator(t, l.e)
	t.Setenv("ENTRA_SOFTWARE_AUTHENTICATOR_DIR", l.dir)
	t.Setenv("ENTRA_SECURITY_KEY_PIN", testPIN)
	t.Setenv("TF_VAR_security_key_pin", testPIN)

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
