//go:build cgo && !nolibfido2

package authenticator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/keys-pub/go-libfido2"
)

func TestLibfido2ErrorMapping(t *testing.T) {
	cases := []struct {
		in   error
		want error
		text string
	}{
		{libfido2.ErrPinInvalid, ErrPINInvalid, "wrong PIN"},
		{libfido2.ErrPinRequired, ErrPINRequired, "the authenticator needs its PIN"},
		{libfido2.ErrPinAuthBlocked, ErrPINAuthBlocked, "too many wrong PINs in a row: remove and reinsert the authenticator, then try again"},
		{libfido2.Error{Code: 0x32}, ErrPINBlocked, "the PIN is blocked after too many wrong attempts: reset the authenticator (this erases its credentials)"},
		{libfido2.ErrPinNotSet, ErrPINNotSet, "the authenticator has no PIN yet"},
		{libfido2.ErrPinPolicyViolation, ErrPINPolicy, ErrPINPolicy.Error()},
		{libfido2.ErrActionTimeout, ErrTimeout, "timed out waiting for the authenticator to be touched"},
		{libfido2.ErrOperationDenied, ErrDenied, ErrDenied.Error()},
		{libfido2.ErrNotAllowed, ErrDenied, ErrDenied.Error()},
		{libfido2.ErrKeepaliveCancel, ErrDenied, ErrDenied.Error()},
		{fmt.Errorf("open: %w", libfido2.ErrTX), ErrDeviceDisappears, "the authenticator was removed during the operation (open: tx error)"},
		{libfido2.ErrRX, ErrDeviceDisappears, "the authenticator was removed during the operation (rx error)"},
	}
	for _, c := range cases {
		got := mapLibfido2Error(c.in)
		if !errors.Is(got, c.want) || got.Error() != c.text {
			t.Errorf("%v: got %q, want %v %q", c.in, got, c.want, c.text)
		}
	}
	if mapLibfido2Error(nil) != nil {
		t.Error("nil must stay nil")
	}
	if got := mapLibfido2Error(libfido2.ErrInvalidCommand); got.Error() != "libfido2: invalid command" {
		t.Errorf("other errors keep libfido2's words: %q", got)
	}
}

// With no authenticator attached, enumeration is empty rather than an error,
// so the provider can say what is (not) attached.
func TestLibfido2NoDevices(t *testing.T) {
	devices, err := Libfido2Backend{}.Devices(t.Context())
	if err != nil {
		t.Fatalf("enumerating with nothing attached: %v", err)
	}
	if len(devices) != 0 {
		t.Skipf("%d authenticators attached to this machine", len(devices))
	}
}

// Where libfido2 cannot be loaded, the driver says so with what to install,
// instead of the program failing to start. It runs in a child process: the
// library is loaded once per process.
func TestLibfido2Missing(t *testing.T) {
	if os.Getenv("ENTRA_LIBFIDO2_CHILD") == "1" {
		err := Libfido2Backend{}.Ready()
		if _, derr := (Libfido2Backend{}).Devices(context.Background()); !errors.Is(derr, ErrLibfido2Missing) {
			t.Fatalf("Devices: %v", derr)
		}
		fmt.Print("CHILD:", err)
		return
	}
	if !libfido2Lazy() {
		t.Skip("this test binary links libfido2 itself (built without make's libfido2shim)")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLibfido2Missing$")
	cmd.Env = append(os.Environ(), "ENTRA_LIBFIDO2_CHILD=1", "ENTRA_LIBFIDO2_PATH=/nonexistent/libfido2.so.1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	for _, want := range []string{"CHILD:" + ErrLibfido2Missing.Error(), "ENTRA_LIBFIDO2_PATH names /nonexistent/libfido2.so.1", "Install it: Debian or Ubuntu: sudo apt-get install libfido2-1"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the child said %q, want it to contain %q", out, want)
		}
	}
	// Found where it is installed, it loads.
	if err := (Libfido2Backend{}).Ready(); err != nil {
		t.Fatalf("libfido2 is installed here: %v", err)
	}
}

func TestLinuxFamily(t *testing.T) {
	for release, want := range map[string]string{
		"ID=debian\nVERSION_ID=\"12\"":                "debian",
		"ID=ubuntu\nID_LIKE=debian":                   "debian",
		"ID=\"rhel\"\nID_LIKE=\"fedora\"":             "fedora",
		"ID=opensuse-leap\nID_LIKE=\"suse opensuse\"": "suse",
		"ID=alpine": "",
	} {
		if got := linuxFamily(release); got != want {
			t.Errorf("%q: %q, want %q", release, got, want)
		}
	}
	if err := libfido2Missing(""); !strings.Contains(err.Error(), "Then check with the entra_attached_authenticators data source.") {
		t.Errorf("hint: %v", err)
	}
}
