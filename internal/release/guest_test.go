//go:build linux

package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entra-tf/terraform-provider-entra/internal/qemuguest"
)

// guestScript applies the demo inside the guest with the provider as
// released: the Graph emulator and a software key attached through uhid run
// there too, and the provider drives the key through libfido2 (it is not told
// of software keys): terraform -> release binary -> libfido2shim -> libfido2
// -> hidraw -> uhid -> CTAPHID -> the CTAP2 core. Then a second plan must be
// empty. Last, libfido2 is removed: the provider must still serve its schema,
// and refuse a security key at plan with the package to install.
const guestScript = `set -e
mkdir -p /work/keys
cd /work
/bin/entra-emulator -addr 127.0.0.1:8443 -ca-file /work/ca.pem -software-key-dir /work/keys >/work/env 2>/work/emulator.log &
for i in $(seq 150); do grep -q ENTRA_SOFTWARE_AUTHENTICATOR_DIR /work/env 2>/dev/null && break; sleep 0.2; done
. /work/env
unset ENTRA_SOFTWARE_AUTHENTICATOR_DIR
/bin/attach-key -state /work/keys/software-key.json &
for i in $(seq 100); do ls /dev/hidraw* >/dev/null 2>&1 && break; sleep 0.2; done
export HOME=/tmp TF_CLI_CONFIG_FILE=/work/terraformrc TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 ENTRA_SECURITY_KEY_PIN=1234
cd /work/config
terraform apply -auto-approve -no-color
echo RELEASE-APPLIED
terraform plan -detailed-exitcode -no-color >/tmp/plan.txt || { cat /tmp/plan.txt; exit 1; }
echo RELEASE-SECOND-PLAN-EMPTY
# Then libfido2 goes: the provider still serves, and says what to install.
rm -f /lib/*/libfido2.so.1 /usr/lib/*/libfido2.so.1
mkdir -p /work/nokey && cd /work/nokey
printf 'terraform {\n  required_providers {\n    entra = { source = "entra-tf/entra" }\n  }\n}\nresource "entra_security_key" "megan" {\n  user_id      = "megan.bowen@contoso.example"\n  display_name = "Megan key"\n}\n' >main.tf
terraform providers schema -json | grep -q entra_temporary_access_pass_policy && echo RELEASE-SCHEMA-WITHOUT-LIBFIDO2
if terraform plan -no-color >/tmp/nokey.txt 2>&1; then cat /tmp/nokey.txt; exit 1; fi
tr -s ' \n' ' ' </tmp/nokey.txt | grep -o 'libfido2 is not installed on this machine.*apt-get install libfido2-1' && echo RELEASE-HINT-WITHOUT-LIBFIDO2
`

// The libfido2 tier for the linux/amd64 artifact: the demo, end to end, in
// a QEMU guest (this machine has no /dev/uhid), with ENTRA_HID_TIER as for the
// HID tier.
func TestLinuxArtifactDrivesKeyInGuest(t *testing.T) {
	bin, _ := artifact(t, "linux_amd64")
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		t.Skip("set TF_ACC_TERRAFORM_PATH (make release-test does)")
	}
	kernel := qemuguest.Require(t)
	work := t.TempDir()
	provider := filepath.Join(work, "terraform-provider-entra")
	if err := os.WriteFile(provider, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	// The emulator and the key's stand-in are built static: the guest has
	// only the libraries the provider and libfido2 need.
	tools := map[string]string{"entra-emulator": "../emulator/cmd/entra-emulator", "attach-key": "../qemuguest/attach-key"}
	executables := map[string]string{provider: "work/plugins/terraform-provider-entra", tf: "bin/terraform"}
	for name, pkg := range tools {
		out := filepath.Join(work, name)
		build := exec.Command("go", "build", "-tags", "nolibfido2", "-o", out, pkg)
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building %s: %v\n%s", name, err, msg)
		}
		executables[out] = "bin/" + name
	}
	rc := filepath.Join(work, "terraformrc")
	os.WriteFile(rc, []byte("provider_installation {\n  dev_overrides { \"entra-tf/entra\" = \"/work/plugins\" }\n  direct {}\n}\n"), 0o644)
	start := time.Now()
	res, err := qemuguest.Run(work, kernel, qemuguest.Guest{
		Executables: executables,
		Files:       map[string]string{rc: "work/terraformrc", "../../examples/demo/main.tf": "work/config/main.tf"},
		Libraries:   qemuguest.Libfido2(),
		Script:      guestScript,
		MemoryMB:    2048,
		Timeout:     8 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("guest output:\n%s", res.Output)
	t.Logf("release tier: guest booted in %v, whole tier %v", res.Booted.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	switch {
	case res.TimedOut:
		t.Fatal("the guest did not finish within 8 minutes")
	case res.Exit != 0 || !strings.Contains(res.Output, "RELEASE-SECOND-PLAN-EMPTY"):
		t.Fatalf("the demo did not apply and converge in the guest (exit %d)", res.Exit)
	case !strings.Contains(res.Output, "entra_security_key.adele: Creation complete"):
		t.Fatal("the key was not enrolled")
	case !strings.Contains(res.Output, "RELEASE-SCHEMA-WITHOUT-LIBFIDO2") || !strings.Contains(res.Output, "RELEASE-HINT-WITHOUT-LIBFIDO2"):
		t.Fatal("without libfido2 the provider did not serve its schema, or did not say what to install")
	}
}
