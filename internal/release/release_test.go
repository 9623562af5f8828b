package release

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"debug/pe"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

// dist is where the artifacts are; the tests skip without it.
func dist(t *testing.T) string {
	d := os.Getenv("ENTRA_RELEASE_DIST")
	if d == "" {
		t.Skip("set ENTRA_RELEASE_DIST to a dist/ directory of `make release-snapshot` (make release-test does)")
	}
	return d
}

// artifact reads the provider binary and the other files of one zip.
func artifact(t *testing.T, target string) (binary []byte, files []string) {
	t.Helper()
	zips, _ := filepath.Glob(filepath.Join(dist(t), "terraform-provider-entra_*_"+target+".zip"))
	if len(zips) != 1 {
		t.Fatalf("want one zip for %s in %s, found %v", target, dist(t), zips)
	}
	z, err := zip.OpenReader(zips[0])
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		files = append(files, f.Name)
		if strings.HasPrefix(f.Name, "terraform-provider-entra_v") {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			binary, _ = io.ReadAll(r)
			r.Close()
		}
	}
	if binary == nil {
		t.Fatalf("%s holds no provider binary: %v", zips[0], files)
	}
	return binary, files
}

const withoutDriver = "it was built without libfido2 (cgo)"

// Each artifact carries the driver its platform can have: the libfido2 one,
// linked to libfido2shim and not to libfido2 (so it starts without it), or,
// where no C toolchain builds it, the build that says it has none.
func TestArtifactsCarryTheirDriver(t *testing.T) {
	for _, c := range []struct {
		target, loads string
	}{
		{"linux_amd64", "libfido2.so.1"},
		{"linux_arm64", "libfido2.so.1"},
		{"windows_amd64", "fido2.dll"},
		{"windows_arm64", ""},
		{"freebsd_amd64", ""},
	} {
		t.Run(c.target, func(t *testing.T) {
			bin, files := artifact(t, c.target)
			if c.loads == "" {
				if !bytes.Contains(bin, []byte(withoutDriver)) {
					t.Fatal("a build without the driver should say so")
				}
				return
			}
			if bytes.Contains(bin, []byte(withoutDriver)) || !bytes.Contains(bin, []byte(c.loads)) || !bytes.Contains(bin, []byte("fido_dev_make_cred")) {
				t.Fatalf("the binary does not load %s through libfido2shim", c.loads)
			}
			var imported []string
			var err error
			if strings.HasPrefix(c.target, "windows") {
				var f *pe.File
				if f, err = pe.NewFile(bytes.NewReader(bin)); err == nil {
					imported, err = f.ImportedLibraries()
				}
				for _, dll := range []string{"fido2.dll", "cbor.dll", "crypto-45.dll"} {
					if !slices.Contains(files, dll) {
						t.Errorf("the zip lacks %s: %v", dll, files)
					}
				}
			} else {
				var f *elf.File
				if f, err = elf.NewFile(bytes.NewReader(bin)); err == nil {
					imported, err = f.ImportedLibraries()
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(imported, func(l string) bool { return strings.Contains(strings.ToLower(l), "fido2") }) {
				t.Fatalf("the binary needs libfido2 to start: %v", imported)
			}
		})
	}
}

// The linux/amd64 artifact, on a machine where libfido2 cannot be found,
// serves its schema and the other resources, and entra_security_key fails
// at plan with what to install; where libfido2 is, it loads it.
func TestLinuxArtifactWithoutLibfido2(t *testing.T) {
	bin, _ := artifact(t, "linux_amd64")
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		t.Skip("set TF_ACC_TERRAFORM_PATH")
	}
	work := t.TempDir()
	plugins := filepath.Join(work, "plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(plugins, "terraform-provider-entra"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(work, "terraformrc")
	os.WriteFile(rc, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides { \"entra-tf/entra\" = %q }\n  direct {}\n}\n", plugins)), 0o644)
	if err := emulator.TrustCA(work); err != nil {
		t.Fatal(err)
	}
	e, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	run := func(dir string, env []string, args ...string) (string, error) {
		cmd := exec.Command(tf, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append([]string{"TF_CLI_CONFIG_FILE=" + rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
			"ARM_TENANT_ID=" + e.TenantID(), "ARM_CLIENT_ID=" + e.ClientID(), "ARM_CLIENT_SECRET=" + e.ClientSecret(),
			"ENTRA_GRAPH_ENDPOINT=" + e.URL(), "ENTRA_AUTHORITY_HOST=" + e.URL()}, env...)...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	config := func(name, body string) string {
		dir := filepath.Join(work, name)
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "main.tf"), []byte("terraform {\n  required_providers {\n    entra = { source = \"entra-tf/entra\" }\n  }\n}\n"+body), 0o644)
		return dir
	}
	missing := []string{"ENTRA_LIBFIDO2_PATH=/nonexistent/libfido2.so.1"}

	out, err := run(config("schema", ""), missing, "providers", "schema", "-json")
	if err != nil || !strings.Contains(out, `"entra_security_key"`) {
		t.Fatalf("providers schema: %v\n%.2000s", err, out)
	}
	tap := config("tap", `
resource "entra_temporary_access_pass_policy" "this" {
  state = "enabled"
}
resource "entra_temporary_access_pass" "adele" {
  user_id    = "adele.vance@contoso.example"
  depends_on = [entra_temporary_access_pass_policy.this]
}
`)
	if out, err := run(tap, missing, "apply", "-auto-approve", "-no-color"); err != nil || !strings.Contains(out, "Apply complete! Resources: 2 added") {
		t.Fatalf("a pass applied without libfido2: %v\n%s", err, out)
	}
	key := config("key", `
resource "entra_security_key" "adele" {
  user_id      = "adele.vance@contoso.example"
  display_name = "Adele's key"
}
`)
	out, err = run(key, missing, "plan", "-no-color")
	flat := strings.Join(strings.Fields(out), " ")
	if err == nil || !strings.Contains(flat, "libfido2 is not installed on this machine") || !strings.Contains(flat, "sudo apt-get install libfido2-1") {
		t.Fatalf("entra_security_key without libfido2 should fail at plan with the package to install: %v\n%s", err, out)
	}
	found := config("found", `
data "entra_attached_authenticators" "here" {}
output "keys" { value = length(data.entra_attached_authenticators.here.authenticators) }
`)
	if out, err := run(found, nil, "plan", "-no-color"); err != nil || !strings.Contains(out, "keys = 0") {
		t.Fatalf("with libfido2 installed, enumeration should work (no key is attached here): %v\n%s", err, out)
	}
}
