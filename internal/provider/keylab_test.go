package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/enrollment"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

// The software-key lab of the security key, FIDO2 registration, fault and
// catalogue tests: a tenant that trusts a vendor's software keys.

// keyLab is an emulator whose tenant trusts a software-key vendor CA, an
// enabled FIDO2 policy, and a directory of software keys from that vendor.
type keyLab struct {
	e     *emulator.Emulator
	admin *graph.Client
	ca    *softkey.AttestationCA
	dir   string
}

func newKeyLab(t *testing.T, trustVendor bool) *keyLab {
	return newKeyLabWith(t, trustVendor, emulator.Options{})
}

func newKeyLabWith(t *testing.T, trustVendor bool, opts emulator.Options) *keyLab {
	t.Helper()
	ca, err := softkey.NewAttestationCA("Test key vendor CA")
	if err != nil {
		t.Fatal(err)
	}
	if trustVendor {
		opts.TrustedAttestationCAs = [][]byte{ca.Cert.Raw}
	}
	l := &keyLab{e: startEmulator(t, opts), ca: ca, dir: t.TempDir()}
	l.admin = adminClient(t, l.e)
	l.editFido2(t, func(p *graph.Fido2Policy) { p.State = "enabled" })
	return l
}

// addKey attaches a software key with the vendor's attestation.
func (l *keyLab) addKey(t *testing.T, name string, o softkey.SoftwareOptions) string {
	t.Helper()
	o.CA = l.ca
	path := filepath.Join(l.dir, name+".json")
	if _, err := softkey.CreateSoftware(path, o); err != nil {
		t.Fatal(err)
	}
	return softkey.SoftwarePathPrefix + path
}

func (l *keyLab) editFido2(t *testing.T, edit func(p *graph.Fido2Policy)) {
	t.Helper()
	p, err := l.admin.GetFido2Policy(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p.IsAttestationEnforced, p.KeyRestrictions = nil, nil
	edit(p)
	if _, err := l.admin.UpdateFido2Policy(context.Background(), *p, nil, nil); err != nil {
		t.Fatal(err)
	}
}

// provider is the lab's provider block: the emulator's, with the software
// keys, changed by settings.
func (l *keyLab) provider(settings ...setting) string {
	return providerBlock(l.e, append([]setting{set("software_authenticator_dir", l.dir)}, settings...)...)
}

// config is an entra_security_key for user with more arguments.
func (l *keyLab) config(user string, args string, settings ...setting) string {
	return l.provider(settings...) + fmt.Sprintf(`
resource "entra_security_key" "adele" {
  user_id      = %q
  display_name = "Adele's key"
%s
}
`, user, args)
}

// methodConfig is an entra_fido2_method "name" registering cred for user;
// an empty cred leaves public_key_credential unset.
func (l *keyLab) methodConfig(name, user, displayName, cred string, settings ...setting) string {
	arg := ""
	if cred != "" {
		arg = fmt.Sprintf("\n  public_key_credential = %q", cred)
	}
	return l.provider(settings...) + fmt.Sprintf(`
resource "entra_fido2_method" %q {
  user_id      = %q
  display_name = %q%s
}`, name, user, displayName, arg)
}

func (l *keyLab) methods(user string) []graph.Fido2Method {
	m, _ := l.admin.ListFido2Methods(context.Background(), user)
	return m
}

func (l *keyLab) expectMethods(user string, n int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(l.methods(user)); got != n {
			return fmt.Errorf("%s has %d FIDO2 registrations, want %d", user, got, n)
		}
		return nil
	}
}

// credentialFor makes a registration the way other tooling would, for the
// bring-your-own-attestation resource: creation options from Graph and a
// credential from a key, not yet posted.
func credentialFor(t *testing.T, l *keyLab, user, keyPath string) string {
	t.Helper()
	a, err := softkey.SoftwareBackend{}.Open(context.Background(), keyPath)
	if err != nil {
		t.Fatal(err)
	}
	res, err := enrollment.Attest(context.Background(), l.admin, a, enrollment.Request{UserID: user, PIN: testPIN})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res.Credential)
	return string(b)
}

// enrolOutside enrols key for user outside Terraform, as a user or another
// tool would.
func (l *keyLab) enrolOutside(t *testing.T, key, user, name string) *enrollment.Result {
	t.Helper()
	a, err := softkey.SoftwareBackend{Dir: l.dir}.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	res, err := enrollment.Enroll(context.Background(), l.admin, a, enrollment.Request{UserID: user, DisplayName: name, PIN: testPIN})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
