//go:build linux && cgo && !nolibfido2

package authenticator

import (
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/entra-tf/terraform-provider-entra/internal/qemuguest"
)

// TestHIDTier runs the hid_guest_test.go tests through the real libfido2
// path: this machine has no /dev/uhid, so they run in a Debian kernel under
// QEMU (internal/qemuguest), with the test binary, its shared libraries and
// libfido2, which the binary loads at run time through libfido2shim.
//
// ENTRA_HID_TIER=1 runs it (make test sets it), installing qemu-system-x86,
// busybox-static and cpio from Debian when missing; it skips only when QEMU
// cannot be had at all. ENTRA_HID_TIER=require (CI) fails instead.
func TestHIDTier(t *testing.T) {
	start := time.Now()
	kernel := qemuguest.Require(t)
	work := t.TempDir()
	guest := filepath.Join(work, "guest.test")
	build := exec.Command("go", "test", "-c", "-tags", "hidguest", "-o", guest, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the guest test binary: %v\n%s", err, out)
	}
	res, err := qemuguest.Run(work, kernel, qemuguest.Guest{
		Executables: map[string]string{guest: "guest.test"},
		Files:       map[string]string{"testdata/creation-options.json": "src/testdata/creation-options.json"},
		Libraries:   qemuguest.Libfido2(),
		Script:      "cd /src && /guest.test -test.v -test.timeout 180s\n",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("guest output:\n%s", res.Output)
	t.Logf("HID tier: guest booted in %v, whole tier %v", res.Booted.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	if res.TimedOut {
		t.Fatal("the guest did not finish within 4 minutes")
	}
	if res.Exit != 0 {
		t.Fatalf("the guest tests failed (exit %d)", res.Exit)
	}
}
