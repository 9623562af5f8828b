//go:build linux && cgo && !nolibfido2

package authenticator

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestHIDTier runs the hid_guest_test.go tests through the real libfido2
// path: this machine has no /dev/uhid, so they run in a Debian kernel under
// QEMU (software emulation), in an initramfs holding the test binary, its
// shared libraries and busybox. See ../shared/fido-hid-testing.md.
//
// ENTRA_HID_TIER=1 runs it (make test sets it), installing qemu-system-x86,
// busybox-static and cpio from Debian when missing; it skips only when QEMU
// cannot be had at all. ENTRA_HID_TIER=require (CI) fails instead.
func TestHIDTier(t *testing.T) {
	mode := os.Getenv("ENTRA_HID_TIER")
	if mode == "" {
		t.Skip("set ENTRA_HID_TIER=1 to run the libfido2 tier in a QEMU guest (make test does)")
	}
	unavailable := func(format string, args ...any) {
		t.Helper()
		if mode == "require" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format, args...)
	}
	start := time.Now()
	if err := ensureTools(); err != nil {
		unavailable("QEMU cannot run here: %v", err)
	}
	kernel, err := guestKernel()
	if err != nil {
		unavailable("no guest kernel: %v", err)
	}
	work := t.TempDir()
	guest := filepath.Join(work, "guest.test")
	build := exec.Command("go", "test", "-c", "-tags", "hidguest", "-o", guest, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the guest test binary: %v\n%s", err, out)
	}
	initrd, err := initramfs(work, guest, kernel)
	if err != nil {
		t.Fatal(err)
	}
	prepared := time.Since(start)

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	qemu := exec.CommandContext(ctx, "qemu-system-x86_64",
		// Never KVM: this machine's paravirtual KVM hangs Debian guests.
		"-accel", "tcg,thread=multi", "-cpu", "max", "-smp", "2", "-m", "1024", "-M", "q35",
		"-nodefaults", "-display", "none", "-no-reboot", "-serial", "stdio",
		"-kernel", filepath.Join(kernel, "vmlinuz"), "-initrd", initrd,
		"-append", "console=ttyS0 quiet panic=-1")
	stdout, err := qemu.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	qemu.Stderr = qemu.Stdout
	bootStart := time.Now()
	if err := qemu.Start(); err != nil {
		unavailable("starting QEMU: %v", err)
	}
	var out bytes.Buffer
	var booted time.Duration
	exit := -1
	scan := bufio.NewScanner(stdout)
	exitRE := regexp.MustCompile(`GUEST-EXIT (\d+)`)
	for scan.Scan() {
		line := strings.TrimRight(scan.Text(), "\r")
		out.WriteString(line + "\n")
		if strings.Contains(line, "GUEST-BOOTED") && booted == 0 {
			booted = time.Since(bootStart)
		}
		if m := exitRE.FindStringSubmatch(line); m != nil {
			fmt.Sscan(m[1], &exit)
		}
	}
	qemu.Wait()
	total := time.Since(start)
	t.Logf("guest output:\n%s", out.String())
	t.Logf("HID tier: prepared in %v, guest booted in %v, whole tier %v", prepared.Round(time.Millisecond), booted.Round(time.Millisecond), total.Round(time.Millisecond))
	if ctx.Err() != nil {
		t.Fatal("the guest did not finish within 4 minutes")
	}
	if exit != 0 {
		t.Fatalf("the guest tests failed (exit %d)", exit)
	}
}

// ensureTools installs QEMU, busybox and cpio from Debian when missing.
func ensureTools() error {
	missing := false
	for _, f := range []string{"qemu-system-x86_64", "cpio"} {
		if _, err := exec.LookPath(f); err != nil {
			missing = true
		}
	}
	if _, err := os.Stat("/bin/busybox"); err != nil {
		missing = true
	}
	if !missing {
		return nil
	}
	for _, args := range [][]string{{"update", "-qq"}, {"install", "-y", "-qq", "--no-install-recommends", "qemu-system-x86", "busybox-static", "cpio"}} {
		cmd := exec.Command("apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("apt-get %s: %v\n%s", args[0], err, out)
		}
	}
	return nil
}

// guestKernel returns a directory with vmlinuz and the three HID modules
// (hid, uhid, hid-generic: without hid-generic no hidraw node appears),
// taken from the kernel package apt offers, and cached.
func guestKernel() (string, error) {
	depends := regexp.MustCompile(`Depends: (linux-image-(\S+))`)
	deps, _ := exec.Command("apt-cache", "depends", "linux-image-amd64").Output()
	if !depends.Match(deps) {
		// A fresh machine may have no package lists yet.
		if out, err := exec.Command("apt-get", "update", "-qq").CombinedOutput(); err != nil {
			return "", fmt.Errorf("apt-get update: %v\n%s", err, out)
		}
		deps, _ = exec.Command("apt-cache", "depends", "linux-image-amd64").Output()
	}
	m := depends.FindStringSubmatch(string(deps))
	if m == nil {
		return "", fmt.Errorf("no kernel package in %q", deps)
	}
	pkg, version := m[1], m[2]
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "entra-hid-tier", version)
	if _, err := os.Stat(filepath.Join(dir, "hid-generic.ko")); err == nil {
		return dir, nil
	}
	tmp, err := os.MkdirTemp("", "kernel")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	dl := exec.Command("apt-get", "download", pkg)
	dl.Dir = tmp
	if out, err := dl.CombinedOutput(); err != nil {
		return "", fmt.Errorf("apt-get download %s: %v\n%s", pkg, err, out)
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, "*.deb"))
	if len(debs) != 1 {
		return "", fmt.Errorf("apt-get download left %v", debs)
	}
	mods := "./lib/modules/" + version + "/kernel/drivers/hid/"
	script := fmt.Sprintf("dpkg-deb --fsys-tarfile %q | tar -x -C %q ./boot/vmlinuz-%s %shid.ko %suhid.ko %shid-generic.ko",
		debs[0], tmp, version, mods, mods, mods)
	if out, err := exec.Command("sh", "-c", script).CombinedOutput(); err != nil {
		return "", fmt.Errorf("unpacking the kernel: %v\n%s", err, out)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	moves := map[string]string{"boot/vmlinuz-" + version: "vmlinuz"}
	for _, ko := range []string{"hid.ko", "uhid.ko", "hid-generic.ko"} {
		moves[strings.TrimPrefix(mods, "./")+ko] = ko
	}
	for from, to := range moves {
		b, err := os.ReadFile(filepath.Join(tmp, from))
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(dir, to), b, 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}

const guestInit = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
insmod /modules/hid.ko && insmod /modules/uhid.ko && insmod /modules/hid-generic.ko
echo GUEST-BOOTED
cd /src && /guest.test -test.v -test.timeout 180s
echo "GUEST-EXIT $?"
poweroff -f
`

// initramfs packs init, busybox, the test binary with its shared libraries
// (found with ldd), the modules and the test data into a gzip'd cpio.
func initramfs(work, guest, kernel string) (string, error) {
	root := filepath.Join(work, "root")
	copyFile := func(from, to string, mode os.FileMode) error {
		b, err := os.ReadFile(from)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(root, to)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(root, to), b, mode)
	}
	for _, d := range []string{"proc", "sys", "dev", "tmp", "bin", "modules", "src/testdata"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(root, "init"), []byte(guestInit), 0o755); err != nil {
		return "", err
	}
	files := map[string]string{"/bin/busybox": "bin/busybox", guest: "guest.test", "testdata/creation-options.json": "src/testdata/creation-options.json"}
	for _, ko := range []string{"hid.ko", "uhid.ko", "hid-generic.ko"} {
		files[filepath.Join(kernel, ko)] = "modules/" + ko
	}
	// The test binary's libraries, and libfido2 with its own: the shim the
	// binary links loads libfido2 at run time, so ldd does not name it.
	fido2, _ := filepath.Glob("/usr/lib/*/libfido2.so.1")
	for _, bin := range append([]string{guest}, fido2...) {
		libs, err := exec.Command("ldd", bin).Output()
		if err != nil {
			return "", fmt.Errorf("ldd %s: %v", bin, err)
		}
		for _, m := range regexp.MustCompile(`(/\S+\.so[.\d]*)`).FindAllString(string(libs), -1) {
			files[m] = strings.TrimPrefix(m, "/")
		}
	}
	for _, lib := range fido2 {
		files[lib] = strings.TrimPrefix(lib, "/")
	}
	for from, to := range files {
		if err := copyFile(from, to, 0o755); err != nil {
			return "", err
		}
	}
	initrd := filepath.Join(work, "initrd.gz")
	pack := exec.Command("sh", "-c", fmt.Sprintf("cd %q && find . | cpio -o -H newc --quiet | gzip -1 > %q", root, initrd))
	if out, err := pack.CombinedOutput(); err != nil {
		return "", fmt.Errorf("packing the initramfs: %v\n%s", err, out)
	}
	return initrd, nil
}
