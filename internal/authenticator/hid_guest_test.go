//go:build hidguest && linux && cgo && !nolibfido2

package authenticator_test

// These tests run inside the QEMU guest of TestHIDTier, where /dev/uhid
// exists: software authenticators are attached as kernel HID devices and
// driven through the real stack, go-libfido2 -> libfido2 -> hidraw -> uhid
// -> CTAPHID -> the CTAP2 core.

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

const otherAAGUID = "ee882879-721c-4913-9775-3dfcce97072a"

// plugged is a software key attached through uhid.
type plugged struct {
	state string // the state file
	dev   *softkey.UHIDDevice
	path  string // its hidraw path, as libfido2 sees it
}

func devicePaths(t *testing.T) []string {
	devices, err := authenticator.Libfido2Backend{}.Devices(context.Background())
	if err != nil {
		t.Fatalf("enumerating: %v", err)
	}
	var out []string
	for _, d := range devices {
		out = append(out, d.Path)
	}
	return out
}

// plug attaches the key in state (creating it with o if missing) and waits
// for libfido2 to see it.
func plug(t *testing.T, state string, o softkey.SoftwareOptions) *plugged {
	t.Helper()
	if _, err := os.Stat(state); err != nil {
		if _, err := softkey.CreateSoftware(state, o); err != nil {
			t.Fatal(err)
		}
	}
	core, err := softkey.OpenSoftware(state)
	if err != nil {
		t.Fatal(err)
	}
	before := devicePaths(t)
	d, err := softkey.AttachUHID(core, "Entra test key", 0x1209, 0xf1d0)
	if err != nil {
		t.Fatal(err)
	}
	p := &plugged{state: state, dev: d}
	t.Cleanup(func() { p.unplug() })
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		for _, path := range devicePaths(t) {
			if !slices.Contains(before, path) {
				p.path = path
				return p
			}
		}
	}
	t.Fatal("libfido2 never saw the new device")
	return nil
}

func (p *plugged) unplug() {
	if p.dev != nil {
		p.dev.Destroy()
		p.dev = nil
	}
}

func open(t *testing.T, p *plugged) authenticator.Authenticator {
	t.Helper()
	a, err := authenticator.Libfido2Backend{}.Open(context.Background(), p.path)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func fixture(t *testing.T) *graph.CreationOptions {
	b, err := os.ReadFile("testdata/creation-options.json")
	if err != nil {
		t.Fatal(err)
	}
	var o graph.CreationOptions
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	return &o
}

// enrol makes a credential from the fixture's options, as the provider does.
func enrol(ctx context.Context, t *testing.T, a authenticator.Authenticator, pin string) ([]byte, *authenticator.Credential, error) {
	o := fixture(t).PublicKey
	uid, err := webauthn.Decode(o.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	clientData := webauthn.NewClientDataJSON(o.Challenge, o.RP.ID)
	cred, err := a.MakeCredential(ctx, authenticator.MakeCredentialRequest{ClientDataHash: webauthn.Hash(clientData), RPID: o.RP.ID, RPName: o.RP.Name,
		UserID: uid, UserName: o.User.Name, UserDisplayName: o.User.DisplayName, PIN: pin})
	return clientData, cred, err
}

func TestGuestEnumerateAndInfo(t *testing.T) {
	p := plug(t, filepath.Join(t.TempDir(), "k.json"), softkey.SoftwareOptions{AAGUID: otherAAGUID})
	devices, err := authenticator.Libfido2Backend{}.Devices(context.Background())
	if err != nil || len(devices) != 1 {
		t.Fatalf("devices: %v %v", devices, err)
	}
	d := devices[0]
	if d.Path != p.path || d.AAGUID != otherAAGUID || !slices.Contains(d.Versions, "FIDO_2_1") || d.HasPIN() || d.PINRetries != -1 || !d.Options["rk"] {
		t.Errorf("info through libfido2: %+v", d)
	}
}

// A fresh key gets a PIN, then enrols; go-webauthn verifies the attestation
// built from libfido2's output (its authData comes CBOR-wrapped), for both
// PIN/UV auth protocols.
func TestGuestSetPINAndEnrol(t *testing.T) {
	for _, protocol := range []uint64{2, 1} {
		p := plug(t, filepath.Join(t.TempDir(), "k.json"), softkey.SoftwareOptions{PINProtocols: []uint64{protocol}})
		a := open(t, p)
		ctx := context.Background()
		if err := a.SetPIN(ctx, "4680"); err != nil {
			t.Fatalf("protocol %d: set PIN through libfido2: %v", protocol, err)
		}
		info, err := a.Info(ctx)
		if err != nil || !info.HasPIN() || info.PINRetries != 8 {
			t.Fatalf("protocol %d: after SetPIN: %+v %v", protocol, info, err)
		}
		clientData, cred, err := enrol(ctx, t, a, "4680")
		if err != nil {
			t.Fatalf("protocol %d: make credential: %v", protocol, err)
		}
		verify(t, clientData, cred)
	}
}

func verify(t *testing.T, clientData []byte, cred *authenticator.Credential) {
	t.Helper()
	o := fixture(t).PublicKey
	body, _ := json.Marshal(map[string]any{
		"id": webauthn.Encode(cred.ID), "rawId": webauthn.Encode(cred.ID), "type": "public-key",
		"response": map[string]any{"clientDataJSON": webauthn.Encode(clientData), "attestationObject": webauthn.Encode(cred.AttestationObject)},
	})
	parsed, err := protocol.ParseCredentialCreationResponseBytes(body)
	if err != nil {
		t.Fatalf("go-webauthn cannot parse the credential: %v", err)
	}
	if _, err := parsed.Verify(o.Challenge, o.RP.ID, []string{"https://" + o.RP.ID}, nil, nil, protocol.TopOriginImplicitVerificationMode,
		false, true, true, nil, []protocol.CredentialParameter{{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgES256}},
		protocol.AttestationPolicy{}, protocol.SignaturePolicy{}); err != nil {
		t.Fatalf("go-webauthn rejects the credential: %v", err)
	}
	if parsed.Response.AttestationObject.Format != "packed" {
		t.Errorf("format %q", parsed.Response.AttestationObject.Format)
	}
}

// A forced PIN change through libfido2 is reported by libfido2's getInfo.
func TestGuestForcePINChange(t *testing.T) {
	p := plug(t, filepath.Join(t.TempDir(), "k.json"), softkey.SoftwareOptions{PIN: "4680"})
	a := open(t, p)
	ctx := context.Background()
	if info, err := a.Info(ctx); err != nil || info.ForcePINChange {
		t.Fatalf("before: %+v %v", info, err)
	}
	if err := a.ForcePINChange(ctx, "4680"); err != nil {
		t.Fatalf("forcing a PIN change through libfido2: %v", err)
	}
	if info, err := a.Info(ctx); err != nil || !info.ForcePINChange {
		t.Fatalf("after: libfido2 reports %+v %v, want forcePINChange", info, err)
	}
}

// Wrong PINs report the attempts left; three in a row need the key to be
// reinserted; the eighth blocks the PIN.
func TestGuestWrongPINAndBlocked(t *testing.T) {
	state := filepath.Join(t.TempDir(), "k.json")
	p := plug(t, state, softkey.SoftwareOptions{PIN: "1234"})
	ctx := context.Background()
	attempt := func() error { _, _, err := enrol(ctx, t, open(t, p), "9999"); return err }
	var wrong *authenticator.PINInvalidError
	if err := attempt(); !errors.As(err, &wrong) || wrong.RetriesLeft != 7 {
		t.Fatalf("first wrong PIN: %v", err)
	}
	attempt()
	if err := attempt(); !errors.Is(err, authenticator.ErrPINAuthBlocked) {
		t.Fatalf("third in a row: want %v, got %v", authenticator.ErrPINAuthBlocked, err)
	}
	for i := 0; i < 2; i++ { // reinsert, two more wrong, until 2 are left
		p.unplug()
		p = plug(t, state, softkey.SoftwareOptions{})
		attempt()
		attempt()
	}
	p.unplug()
	p = plug(t, state, softkey.SoftwareOptions{})
	if err := attempt(); !errors.Is(err, authenticator.ErrPINBlocked) {
		t.Fatalf("last attempt: want %v, got %v", authenticator.ErrPINBlocked, err)
	}
	if _, _, err := enrol(ctx, t, open(t, p), "1234"); !errors.Is(err, authenticator.ErrPINBlocked) {
		t.Fatalf("the right PIN on a blocked key: %v", err)
	}
}

// Nobody touches the key: the wait ends at the deadline with a clear error;
// the keep-alives in between keep libfido2 waiting rather than failing.
func TestGuestNoTouchTimesOut(t *testing.T) {
	p := plug(t, filepath.Join(t.TempDir(), "k.json"), softkey.SoftwareOptions{PIN: "1234", Touch: softkey.TouchNever})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, _, err := enrol(ctx, t, open(t, p), "1234")
	if !errors.Is(err, authenticator.ErrTimeout) {
		t.Fatalf("want %v, got %v", authenticator.ErrTimeout, err)
	}
	if d := time.Since(start); d < 2*time.Second || d > 15*time.Second {
		t.Errorf("gave up after %v, want about 2s", d)
	}
}

// The key is pulled out while it waits for a touch: a clear error, no hang.
func TestGuestUnpluggedMidOperation(t *testing.T) {
	p := plug(t, filepath.Join(t.TempDir(), "k.json"), softkey.SoftwareOptions{PIN: "1234", Touch: softkey.TouchNever})
	a := open(t, p)
	go func() { time.Sleep(1500 * time.Millisecond); p.unplug() }()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	_, _, err := enrol(ctx, t, a, "1234")
	if !errors.Is(err, authenticator.ErrDeviceDisappears) {
		t.Fatalf("want %v, got %v", authenticator.ErrDeviceDisappears, err)
	}
	if !strings.Contains(err.Error(), "removed during the operation") || time.Since(start) > 30*time.Second {
		t.Errorf("error %q after %v", err, time.Since(start))
	}
}

// Two keys attached: each is listed with its own path and model, and the one
// chosen by model is the one that enrols.
func TestGuestTwoKeys(t *testing.T) {
	dir := t.TempDir()
	plug(t, filepath.Join(dir, "a.json"), softkey.SoftwareOptions{PIN: "1234"})
	b := plug(t, filepath.Join(dir, "b.json"), softkey.SoftwareOptions{PIN: "1234", AAGUID: otherAAGUID})
	devices, err := authenticator.Libfido2Backend{}.Devices(context.Background())
	if err != nil || len(devices) != 2 {
		t.Fatalf("devices: %v %v", devices, err)
	}
	var chosen string
	for _, d := range devices {
		if d.AAGUID == otherAAGUID {
			chosen = d.Path
		}
	}
	if chosen != b.path {
		t.Fatalf("the key of model %s is at %s, listed at %q", otherAAGUID, b.path, chosen)
	}
	_, cred, err := enrol(context.Background(), t, open(t, b), "1234")
	if err != nil {
		t.Fatal(err)
	}
	obj, _ := webauthn.ParseAttestationObject(cred.AttestationObject)
	ad, _ := webauthn.ParseAuthenticatorData(obj.AuthData)
	if webauthn.FormatAAGUID(ad.AAGUID) != otherAAGUID {
		t.Errorf("enrolled AAGUID %s", webauthn.FormatAAGUID(ad.AAGUID))
	}
}

// Through libfido2 too, the credential is made with the extensions Graph's
// options ask for and the first of its algorithms the key supports, and a key
// that already holds an excluded credential is not asked to make another
// (go-libfido2 has no exclude list: a silent assertion finds it first).
func TestGuestExtensionsAndExcludeList(t *testing.T) {
	state := filepath.Join(t.TempDir(), "k.json")
	p := plug(t, state, softkey.SoftwareOptions{PIN: "1234"})
	ctx := context.Background()
	o := fixture(t).PublicKey
	uid, err := webauthn.Decode(o.User.ID)
	if err != nil {
		t.Fatal(err)
	}
	req := authenticator.MakeCredentialRequest{ClientDataHash: webauthn.Hash(webauthn.NewClientDataJSON(o.Challenge, o.RP.ID)), RPID: o.RP.ID, RPName: o.RP.Name,
		UserID: uid, UserName: o.User.Name, UserDisplayName: o.User.DisplayName, PIN: "1234",
		Algorithms: []int64{-257, -7}, HMACSecret: true, CredProtect: 1}
	cred, err := open(t, p).MakeCredential(ctx, req)
	if err != nil {
		t.Fatalf("make credential: %v", err)
	}
	obj, _ := webauthn.ParseAttestationObject(cred.AttestationObject)
	ad, err := webauthn.ParseAuthenticatorData(obj.AuthData)
	if err != nil {
		t.Fatal(err)
	}
	if ad.Extensions["hmac-secret"] != true || ad.Extensions["credProtect"] != uint64(1) || obj.AttStmt.Alg != -7 {
		t.Fatalf("extension outputs %v, algorithm %d: want hmac-secret, credProtect 1 and ES256", ad.Extensions, obj.AttStmt.Alg)
	}
	req.ExcludeList = [][]byte{[]byte("some other credential"), cred.ID}
	if _, err := open(t, p).MakeCredential(ctx, req); !errors.Is(err, authenticator.ErrExcluded) {
		t.Fatalf("with the key's own credential excluded: %v, want %v", err, authenticator.ErrExcluded)
	}
	p.unplug()
	s, err := softkey.OpenSoftware(state)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.CredentialCount(); n != 1 {
		t.Fatalf("the key holds %d credentials, want the first only", n)
	}
}
