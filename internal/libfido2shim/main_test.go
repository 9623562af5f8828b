package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// probe calls the shim as go-libfido2 would: before libfido2 is loaded
// (every function fails as libfido2 fails), after a load that finds nothing,
// and after loading the installed libfido2 (calls reach it).
const probe = `#include <stdio.h>
#include <stddef.h>
int entra_libfido2_load(const char *path);
void *fido_dev_new(void);
void fido_dev_free(void **);
int fido_dev_open(void *, const char *);
size_t fido_dev_info_manifest(void *, size_t, size_t *);
void fido_init(int);

int main(void) {
	fido_init(0);
	printf("before: new=%s open=%d\n", fido_dev_new() == NULL ? "null" : "ok", fido_dev_open(NULL, "x"));
	printf("missing: %d\n", entra_libfido2_load("/nonexistent/libfido2.so.1"));
	printf("installed: %d\n", entra_libfido2_load(NULL));
	void *dev = fido_dev_new();
	printf("after: new=%s\n", dev == NULL ? "null" : "ok");
	fido_dev_free(&dev);
	return 0;
}
`

func TestShimForwardsOrFails(t *testing.T) {
	if _, err := os.Stat("/usr/include/fido.h"); err != nil {
		t.Skip("libfido2's headers are not installed")
	}
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	dir := t.TempDir()
	funcs, err := parseHeaders("/usr/include")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"fido_dev_make_cred", "fido_dev_get_assert", "fido_cred_set_prot", "es256_pk_new"} {
		found := false
		for _, f := range funcs {
			found = found || f.name == want
		}
		if !found {
			t.Errorf("the shim lacks %s", want)
		}
	}
	shim, main := filepath.Join(dir, "shim.c"), filepath.Join(dir, "main.c")
	os.WriteFile(shim, []byte(generate(funcs)), 0o644)
	os.WriteFile(main, []byte(probe), 0o644)
	bin := filepath.Join(dir, "probe")
	if out, err := exec.Command(cc, "-Wall", "-Werror", "-o", bin, main, shim).CombinedOutput(); err != nil {
		t.Fatalf("compiling the shim: %v\n%s", err, out)
	}
	out, err := exec.Command(bin).CombinedOutput()
	if err != nil {
		t.Fatalf("running: %v\n%s", err, out)
	}
	want := "before: new=null open=-9\nmissing: 0\ninstalled: 1\nafter: new=ok\n"
	if _, err := os.Stat("/usr/lib/x86_64-linux-gnu/libfido2.so.1"); err != nil {
		want = strings.Replace(strings.Replace(want, "installed: 1", "installed: 0", 1), "after: new=ok", "after: new=null", 1)
	}
	if string(out) != want {
		t.Fatalf("the shim said\n%s\nwant\n%s", out, want)
	}
}
