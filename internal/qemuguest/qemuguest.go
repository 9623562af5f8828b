//go:build linux

// Package qemuguest runs programs in a Debian kernel under QEMU (software
// emulation), in an initramfs built for them: the tests that need what this
// machine lacks, /dev/uhid above all, to attach software authenticators as
// kernel HID devices for libfido2. See the HID tier (internal/authenticator)
// and the release tier (internal/release).
package qemuguest

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

// Require readies QEMU and a guest kernel for a test, and returns the
// kernel's directory, or ends the test: without ENTRA_HID_TIER it skips;
// where QEMU cannot run, ENTRA_HID_TIER=require fails it (CI) and any other
// value skips it.
func Require(t testing.TB) string {
	t.Helper()
	mode := os.Getenv("ENTRA_HID_TIER")
	if mode == "" {
		t.Skip("set ENTRA_HID_TIER=1 to run the tests that need a QEMU guest (make test does)")
	}
	unavailable := t.Skipf
	if mode == "require" {
		unavailable = t.Fatalf
	}
	if err := EnsureTools(); err != nil {
		unavailable("QEMU cannot run here: %v", err)
	}
	kernel, err := Kernel()
	if err != nil {
		unavailable("no guest kernel: %v", err)
	}
	return kernel
}

// EnsureTools installs QEMU, busybox and cpio from Debian when missing.
func EnsureTools() error {
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

// Kernel returns a directory with vmlinuz and the three HID modules (hid,
// uhid, hid-generic: without hid-generic no hidraw node appears), taken from
// the kernel package apt offers, and cached.
func Kernel() (string, error) {
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

// initScript boots the guest: busybox, the usual file systems, the HID
// modules, loopback; then the guest's script, whose exit status it reports.
const initScript = `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
insmod /modules/hid.ko && insmod /modules/uhid.ko && insmod /modules/hid-generic.ko
ip link set lo up
echo GUEST-BOOTED
sh /script
echo "GUEST-EXIT $?"
poweroff -f
`

// Guest is what runs in one boot.
type Guest struct {
	// Files are copied in: host path to guest path (relative to /).
	Files map[string]string
	// Executables are copied in like Files, and their shared libraries too
	// (found with ldd), as are Libraries and theirs: a library loaded at
	// run time, which ldd cannot see.
	Executables map[string]string
	Libraries   []string
	// Script is the shell script the guest runs; its exit status is the
	// guest's.
	Script string
	// MemoryMB is the guest's memory; Timeout bounds the whole run.
	MemoryMB int
	Timeout  time.Duration
}

// Result is how a run went.
type Result struct {
	Output   string
	Exit     int // -1: the guest said nothing of its end
	Booted   time.Duration
	TimedOut bool
}

// Run boots kernel (a Kernel directory) with an initramfs of g, in work.
func Run(work, kernel string, g Guest) (*Result, error) {
	initrd, err := g.initramfs(work, kernel)
	if err != nil {
		return nil, err
	}
	timeout := g.Timeout
	if timeout == 0 {
		timeout = 4 * time.Minute
	}
	memory := g.MemoryMB
	if memory == 0 {
		memory = 1024
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	qemu := exec.CommandContext(ctx, "qemu-system-x86_64",
		// Never KVM: this machine's paravirtual KVM hangs Debian guests.
		"-accel", "tcg,thread=multi", "-cpu", "max", "-smp", "2", "-m", fmt.Sprint(memory), "-M", "q35",
		"-nodefaults", "-display", "none", "-no-reboot", "-serial", "stdio",
		"-kernel", filepath.Join(kernel, "vmlinuz"), "-initrd", initrd,
		"-append", "console=ttyS0 quiet panic=-1")
	stdout, err := qemu.StdoutPipe()
	if err != nil {
		return nil, err
	}
	qemu.Stderr = qemu.Stdout
	start := time.Now()
	if err := qemu.Start(); err != nil {
		return nil, fmt.Errorf("starting QEMU: %w", err)
	}
	var out bytes.Buffer
	res := &Result{Exit: -1}
	scan := bufio.NewScanner(stdout)
	scan.Buffer(make([]byte, 64*1024), 1024*1024)
	exitRE := regexp.MustCompile(`GUEST-EXIT (\d+)`)
	for scan.Scan() {
		line := strings.TrimRight(scan.Text(), "\r")
		out.WriteString(line + "\n")
		if strings.Contains(line, "GUEST-BOOTED") && res.Booted == 0 {
			res.Booted = time.Since(start)
		}
		if m := exitRE.FindStringSubmatch(line); m != nil {
			_, _ = fmt.Sscan(m[1], &res.Exit)
		}
	}
	_ = qemu.Wait() // its exit is the guest's, read above
	res.Output, res.TimedOut = out.String(), ctx.Err() != nil
	return res, nil
}

// initramfs packs init, busybox, the modules, the guest's files, and the
// shared libraries its executables need into a gzip'd cpio.
func (g Guest) initramfs(work, kernel string) (string, error) {
	root := filepath.Join(work, "root")
	for _, d := range []string{"proc", "sys", "dev", "tmp", "bin", "modules"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(root, "init"), []byte(initScript), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(root, "script"), []byte(g.Script), 0o755); err != nil {
		return "", err
	}
	files := map[string]string{"/bin/busybox": "bin/busybox"}
	for _, ko := range []string{"hid.ko", "uhid.ko", "hid-generic.ko"} {
		files[filepath.Join(kernel, ko)] = "modules/" + ko
	}
	for from, to := range g.Files {
		files[from] = to
	}
	var linked []string
	for from, to := range g.Executables {
		files[from] = to
		linked = append(linked, from)
	}
	for _, lib := range g.Libraries {
		files[lib] = strings.TrimPrefix(lib, "/")
		linked = append(linked, lib)
	}
	for _, bin := range linked {
		// A static executable has no libraries: ldd says so and fails.
		libs, _ := exec.Command("ldd", bin).Output()
		for _, m := range regexp.MustCompile(`(/\S+\.so[.\d]*)`).FindAllString(string(libs), -1) {
			files[m] = strings.TrimPrefix(m, "/")
		}
	}
	for from, to := range files {
		b, err := os.ReadFile(from)
		if err != nil {
			return "", err
		}
		dst := filepath.Join(root, to)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(dst, b, 0o755); err != nil {
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

// Libfido2 is where libfido2 is installed on this machine.
func Libfido2() []string {
	libs, _ := filepath.Glob("/usr/lib/*/libfido2.so.1")
	return libs
}
