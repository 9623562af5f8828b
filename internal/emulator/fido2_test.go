package emulator_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/enrollment"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/policytable"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

// TestMain trusts the emulators' CA before any TLS connection: Go reads
// SSL_CERT_FILE once.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "emulator-test")
	if err == nil {
		err = emulator.TrustCA(dir)
	}
	if err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startWithClient starts an emulator for a test and a Graph client of its
// administrator.
func startWithClient(t *testing.T, opts emulator.Options) (*emulator.Emulator, *graph.Client) {
	t.Helper()
	e, err := emulator.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	cred, _ := e.Credential()
	c, err := graph.New(graph.Config{Endpoint: e.URL(), Credential: cred})
	if err != nil {
		t.Fatal(err)
	}
	return e, c
}

// The registration checks that need a real credential: an expired or
// foreign challenge, and a replayed one.
func TestRegistrationChallenge(t *testing.T) {
	dir := t.TempDir()
	ca, _ := softkey.NewAttestationCA("vendor")
	e, c := startWithClient(t, emulator.Options{TrustedAttestationCAs: [][]byte{ca.Cert.Raw}})
	ctx := context.Background()
	p, _ := c.GetFido2Policy(ctx)
	p.State, p.IsAttestationEnforced, p.KeyRestrictions = "enabled", nil, nil
	if _, err := c.UpdateFido2Policy(ctx, *p, nil, nil); err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(dir, "key.json")
	if _, err := softkey.CreateSoftware(keyPath, softkey.SoftwareOptions{PIN: "1234", CA: ca}); err != nil {
		t.Fatal(err)
	}
	defer os.Remove(keyPath)
	key, _ := softkey.SoftwareBackend{}.Open(ctx, softkey.SoftwarePathPrefix+keyPath)
	adele, megan := emulator.SeedUsers[0].ID, emulator.SeedUsers[1].ID
	attest := func(user string) graph.PublicKeyCredential {
		res, err := enrollment.Attest(ctx, c, key, enrollment.Request{UserID: user, PIN: "1234"})
		if err != nil {
			t.Fatal(err)
		}
		return res.Credential
	}

	expectRefusal := func(user string, pkc graph.PublicKeyCredential, want string) {
		t.Helper()
		_, err := c.RegisterFido2Method(ctx, user, "key", pkc)
		if !graph.IsBadRequest(err) || !strings.Contains(err.Error(), want) {
			t.Errorf("want a 400 saying %q, got %v", want, err)
		}
	}
	expectRefusal(megan, attest(adele), "The challenge in clientDataJSON was not issued for this user.")

	stale := attest(adele)
	e.Advance(5*time.Minute + time.Second)
	expectRefusal(adele, stale, "The challenge has expired: request new creation options.")

	// The client's report of extension outputs must match the key's.
	for _, lie := range []map[string]any{{"hmacCreateSecret": false, "credProtect": 1}, {"hmacCreateSecret": true}, {}} {
		forged := attest(adele)
		forged.ClientExtensionResults = lie
		expectRefusal(adele, forged, "but the authenticator data says")
	}

	fresh := attest(adele)
	if got := fresh.ClientExtensionResults; got["hmacCreateSecret"] != true || got["credProtect"] != uint64(1) {
		t.Errorf("clientExtensionResults %v, want hmacCreateSecret and credProtect 1, as Graph's creation options ask", got)
	}
	if _, err := c.RegisterFido2Method(ctx, adele, "key", fresh); err != nil {
		t.Fatalf("a fresh registration: %v", err)
	}
	expectRefusal(adele, fresh, "The challenge in clientDataJSON was not issued for this user.")

	var bad graph.PublicKeyCredential
	bad.ID = "AAAA"
	expectRefusal(adele, bad, "Invalid publicKeyCredential")
}

// emulatorSays is how the emulator words each refusal of the shared table;
// a policy that is off for the user is refused with Graph's message.
var emulatorSays = map[policytable.Why]string{
	policytable.NotAllowed:    "is not on its allow list",
	policytable.Blocked:       "is on its block list",
	policytable.NoAttestation: "it requires attestation",
	policytable.SyncedOnly:    "it allows synced passkeys only",
	policytable.Excluded:      "Converged UserCredentialPolicy does not allow",
	policytable.NotTargeted:   "Converged UserCredentialPolicy does not allow",
	policytable.Disabled:      "Converged UserCredentialPolicy does not allow",
}

// A real key's registration meets the emulator's check with the answers of
// the table the provider's local check is held to (enrollment.TestCheck):
// the emulator's allow, block, attestation and synced branches each decide
// one case.
func TestRegistrationFollowsPolicyTable(t *testing.T) {
	vendor, _ := softkey.NewAttestationCA("vendor")
	unknown, _ := softkey.NewAttestationCA("unknown vendor")
	ctx := context.Background()
	for _, tc := range policytable.Fido2Cases() {
		t.Run(tc.Name, func(t *testing.T) {
			user := emulator.User{ID: "a2f1c6d4-0b1e-4c7a-9f3e-1d2c3b4a5f60", UserPrincipalName: "pat@contoso.example", DisplayName: "Pat", Groups: tc.Groups}
			_, c := startWithClient(t, emulator.Options{Users: []emulator.User{user}, TrustedAttestationCAs: [][]byte{vendor.Cert.Raw}, LegacyFido2: tc.Legacy})
			if _, err := c.UpdateFido2Policy(ctx, tc.Policy, nil, nil); err != nil {
				t.Fatal(err)
			}
			ca := unknown
			if tc.Attested {
				ca = vendor
			}
			keyPath := filepath.Join(t.TempDir(), "key.json")
			if _, err := softkey.CreateSoftware(keyPath, softkey.SoftwareOptions{PIN: "1234", CA: ca, AAGUID: tc.AAGUID}); err != nil {
				t.Fatal(err)
			}
			key, _ := softkey.SoftwareBackend{}.Open(ctx, softkey.SoftwarePathPrefix+keyPath)
			res, err := enrollment.Attest(ctx, c, key, enrollment.Request{UserID: user.ID, PIN: "1234"})
			if err == nil {
				_, err = c.RegisterFido2Method(ctx, user.ID, "key", res.Credential)
			}
			switch want := emulatorSays[tc.Want]; {
			case tc.Want == policytable.Allowed && err != nil:
				t.Errorf("refused: %v", err)
			case tc.Want != policytable.Allowed && (err == nil || !strings.Contains(err.Error(), want)):
				t.Errorf("got %v, want a refusal saying %q", err, want)
			}
		})
	}
}
