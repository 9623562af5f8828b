//go:build cgo && !nolibfido2

package authenticator

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// ErrLibfido2Missing is a build with the libfido2 driver on a machine
// without libfido2: everything but security keys works.
var ErrLibfido2Missing = errors.New("libfido2 is not installed on this machine, and security keys are driven through it")

// installHints say how to install libfido2, by what runs here.
var installHints = map[string]string{
	"debian":  "Debian or Ubuntu: sudo apt-get install libfido2-1",
	"fedora":  "Fedora, RHEL or CentOS Stream (EPEL): sudo dnf install libfido2",
	"arch":    "Arch Linux: sudo pacman -S libfido2",
	"suse":    "openSUSE or SLES: sudo zypper install libfido2-1",
	"darwin":  "macOS: brew install libfido2 (Homebrew)",
	"windows": "Windows: fido2.dll ships in the provider's release archive; keep it beside terraform-provider-entra.exe, or install Yubico's libfido2 and put its bin directory on PATH",
	"freebsd": "FreeBSD: pkg install libfido2",
}

// libfido2Missing says what to install, for this machine first; path is
// ENTRA_LIBFIDO2_PATH's value, if one was given.
func libfido2Missing(path string) error {
	osName := runtime.GOOS
	if osName == "linux" {
		osName = linuxFamily(readOSRelease())
	}
	var hints []string
	if h, ok := installHints[osName]; ok {
		hints = []string{h}
	} else {
		for _, family := range []string{"debian", "fedora", "arch", "suse"} {
			hints = append(hints, installHints[family])
		}
	}
	where := ""
	if path != "" {
		where = fmt.Sprintf(" (ENTRA_LIBFIDO2_PATH names %s)", path)
	}
	return fmt.Errorf("%w%s. Install it: %s. Then check with the entra_attached_authenticators data source.", ErrLibfido2Missing, where, strings.Join(hints, "; "))
}

func readOSRelease() string {
	b, _ := os.ReadFile("/etc/os-release")
	return string(b)
}

// linuxFamily names a distribution's family from os-release's ID and
// ID_LIKE; empty when it is none of those the hints know.
func linuxFamily(osRelease string) string {
	var ids []string
	for _, line := range strings.Split(osRelease, "\n") {
		key, value, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && (key == "ID" || key == "ID_LIKE") {
			ids = append(ids, strings.Fields(strings.Trim(value, `"'`))...)
		}
	}
	for _, id := range ids {
		switch id {
		case "debian", "ubuntu":
			return "debian"
		case "fedora", "rhel", "centos":
			return "fedora"
		case "arch":
			return "arch"
		case "suse", "opensuse", "sles":
			return "suse"
		}
	}
	return ""
}
