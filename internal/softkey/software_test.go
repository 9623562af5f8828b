package softkey

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"

	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

func newKey(t *testing.T, o SoftwareOptions) (authenticator.Authenticator, *Software) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key.json")
	s, err := CreateSoftware(path, o)
	if err != nil {
		t.Fatal(err)
	}
	a, err := SoftwareBackend{}.Open(context.Background(), SoftwarePathPrefix+path)
	if err != nil {
		t.Fatal(err)
	}
	return a, s
}

func request(pin string) authenticator.MakeCredentialRequest {
	return authenticator.MakeCredentialRequest{ClientDataHash: webauthn.Hash([]byte("{}")), RPID: "login.microsoft.com",
		UserID: []byte("u1"), UserName: "adele@contoso.example", PIN: pin}
}

func TestWrongPINCountsDownAndBlocks(t *testing.T) {
	a, _ := newKey(t, SoftwareOptions{PIN: "1234"})
	ctx := context.Background()
	var wrong *authenticator.PINInvalidError
	_, err := a.MakeCredential(ctx, request("9999"))
	if !errors.As(err, &wrong) || wrong.RetriesLeft != 7 || err.Error() != "wrong PIN: 7 attempts left before the PIN is blocked" {
		t.Fatalf("first wrong PIN: %v", err)
	}
	_, _ = a.MakeCredential(ctx, request("9999"))
	if _, err := a.MakeCredential(ctx, request("9999")); !errors.Is(err, authenticator.ErrPINAuthBlocked) {
		t.Fatalf("third wrong PIN in a row: want %v, got %v", authenticator.ErrPINAuthBlocked, err)
	}
	// Reinserting (reopening) the key clears the in-a-row count, not the retries.
	for i := 0; i < 4; i++ {
		a, _ = SoftwareBackend{}.Open(ctx, a.(*ctapClient).path)
		_, err = a.MakeCredential(ctx, request("9999"))
	}
	info, _ := a.Info(ctx)
	if info.PINRetries != 1 {
		t.Fatalf("retries left = %d, want 1 (%v)", info.PINRetries, err)
	}
	a, _ = SoftwareBackend{}.Open(ctx, a.(*ctapClient).path)
	if _, err := a.MakeCredential(ctx, request("9999")); !errors.Is(err, authenticator.ErrPINBlocked) {
		t.Fatalf("last attempt: want %v, got %v", authenticator.ErrPINBlocked, err)
	}
	if _, err := a.MakeCredential(ctx, request("1234")); !errors.Is(err, authenticator.ErrPINBlocked) {
		t.Fatalf("a blocked PIN stays blocked even when right: %v", err)
	}
}

func TestPINRequiredAndSetPIN(t *testing.T) {
	a, _ := newKey(t, SoftwareOptions{})
	ctx := context.Background()
	if _, err := a.MakeCredential(ctx, request("1234")); !errors.Is(err, authenticator.ErrPINNotSet) {
		t.Fatalf("fresh key: want %v, got %v", authenticator.ErrPINNotSet, err)
	}
	if err := a.SetPIN(ctx, "12"); !errors.Is(err, authenticator.ErrPINPolicy) {
		t.Fatalf("short PIN: want %v, got %v", authenticator.ErrPINPolicy, err)
	}
	if err := a.SetPIN(ctx, "246810"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.MakeCredential(ctx, request("")); !errors.Is(err, authenticator.ErrPINRequired) {
		t.Fatalf("no PIN given: want %v, got %v", authenticator.ErrPINRequired, err)
	}
	c, err := a.MakeCredential(ctx, request("246810"))
	if err != nil || len(c.ID) != 32 {
		t.Fatalf("after SetPIN: %v", err)
	}
	info, _ := a.Info(ctx)
	if !info.HasPIN() || info.PINRetries != maxPINRetries || info.AAGUID != DefaultSoftwareAAGUID {
		t.Errorf("info after enrolment: %+v", info)
	}
}

func TestTouch(t *testing.T) {
	a, s := newKey(t, SoftwareOptions{PIN: "1234", Touch: TouchNever})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := a.MakeCredential(ctx, request("1234")); !errors.Is(err, authenticator.ErrTimeout) {
		t.Fatalf("nobody touches: want %v, got %v", authenticator.ErrTimeout, err)
	}
	if err := s.SetTouch(TouchDeny); err != nil {
		t.Fatal(err)
	}
	a, _ = SoftwareBackend{}.Open(context.Background(), a.(*ctapClient).path)
	if _, err := a.MakeCredential(context.Background(), request("1234")); !errors.Is(err, authenticator.ErrDenied) {
		t.Fatalf("touch declined: want %v, got %v", authenticator.ErrDenied, err)
	}
}

func TestCTAP2Errors(t *testing.T) {
	_, s := newKey(t, SoftwareOptions{PIN: "1234"})
	ctx := context.Background()
	cases := map[string]struct {
		msg  []byte
		want byte
	}{
		"empty":           {nil, statusInvalidLength},
		"unknown command": {[]byte{0x7f}, statusInvalidCommand},
		"not CBOR":        {[]byte{cmdMakeCredential, 0xff}, statusInvalidCBOR},
		"no parameters":   {append([]byte{cmdMakeCredential}, mustCBOR(t, map[int]any{})...), statusMissingParameter},
		"no PIN token": {append([]byte{cmdMakeCredential}, mustCBOR(t, makeCredentialParams{
			ClientDataHash: make([]byte, 32), RP: rpEntity{ID: "x"}, User: userEntity{ID: []byte{1}},
			PubKeyCredParams: []credParam{{Type: "public-key", Alg: coseAlgES256}}})...), statusPINRequired},
		"RS256 only": {append([]byte{cmdMakeCredential}, mustCBOR(t, makeCredentialParams{
			ClientDataHash: make([]byte, 32), RP: rpEntity{ID: "x"}, User: userEntity{ID: []byte{1}},
			PubKeyCredParams: []credParam{{Type: "public-key", Alg: -257}}})...), statusUnsupportedAlg},
	}
	for name, c := range cases {
		if got := s.Transact(ctx, c.msg); got[0] != c.want {
			t.Errorf("%s: status 0x%02x, want 0x%02x", name, got[0], c.want)
		}
	}
}

func mustCBOR(t *testing.T, v any) []byte {
	b, err := webauthn.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Both PIN/UV auth protocols: a key offering only protocol 1 works too.
func TestPINProtocols(t *testing.T) {
	for _, protocols := range [][]uint64{{pinProtocolVersion1}, {pinProtocolVersion2}} {
		a, _ := newKey(t, SoftwareOptions{PINProtocols: protocols})
		ctx := context.Background()
		if err := a.SetPIN(ctx, "2468"); err != nil {
			t.Fatalf("protocol %d: set PIN: %v", protocols[0], err)
		}
		if _, err := a.MakeCredential(ctx, request("2468")); err != nil {
			t.Fatalf("protocol %d: make credential: %v", protocols[0], err)
		}
		var wrong *authenticator.PINInvalidError
		if _, err := a.MakeCredential(ctx, request("1357")); !errors.As(err, &wrong) || wrong.RetriesLeft != 7 {
			t.Fatalf("protocol %d: wrong PIN: %v", protocols[0], err)
		}
	}
}

// The extensions Graph asks for come back as authenticator extension
// outputs, and the relying party's algorithm order is honoured: the first
// the key supports.
func TestMakeCredentialExtensionsAndAlgorithms(t *testing.T) {
	a, _ := newKey(t, SoftwareOptions{PIN: "1234"})
	ctx := context.Background()
	req := request("1234")
	req.HMACSecret, req.CredProtect, req.Algorithms = true, 1, []int64{-257, -7}
	cred, err := a.MakeCredential(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	obj, _ := webauthn.ParseAttestationObject(cred.AttestationObject)
	ad, err := webauthn.ParseAuthenticatorData(obj.AuthData)
	if err != nil {
		t.Fatal(err)
	}
	if ad.Flags&webauthn.FlagExtensions == 0 || ad.Extensions["hmac-secret"] != true || ad.Extensions["credProtect"] != uint64(1) {
		t.Fatalf("extension outputs %v (flags %08b), want hmac-secret and credProtect 1", ad.Extensions, ad.Flags)
	}
	if obj.AttStmt.Alg != coseAlgES256 {
		t.Errorf("algorithm %d, want ES256, the first the key supports", obj.AttStmt.Alg)
	}
	// Without extensions asked for, none are given.
	req = request("1234")
	req.UserID = []byte("u2")
	cred, _ = a.MakeCredential(ctx, req)
	obj, _ = webauthn.ParseAttestationObject(cred.AttestationObject)
	if ad, _ := webauthn.ParseAuthenticatorData(obj.AuthData); ad.Flags&webauthn.FlagExtensions != 0 {
		t.Errorf("extension outputs %v nobody asked for", ad.Extensions)
	}
	req.Algorithms = []int64{-257}
	if _, err := a.MakeCredential(ctx, req); !errors.Is(err, authenticator.ErrUnsupportedAlg) {
		t.Fatalf("RS256 only: %v", err)
	}
}

// A silent assertion (no touch, no PIN) finds a credential the key holds, as
// a WebAuthn client's exclude check needs; one protected at level 3 stays
// hidden without user verification.
func TestSilentAssertionFindsHeldCredential(t *testing.T) {
	_, s := newKey(t, SoftwareOptions{PIN: "1234", Touch: TouchNever})
	a := &ctapClient{transact: func(ctx context.Context, msg []byte) ([]byte, error) { return s.Transact(ctx, msg), nil }}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	s.state.Credentials = append(s.state.Credentials,
		storedCredential{ID: []byte("held"), RPID: "login.microsoft.com", Key: s.state.AttestationKey},
		storedCredential{ID: []byte("hidden"), RPID: "login.microsoft.com", Key: s.state.AttestationKey, CredProtect: 3})
	ask := func(id string) error {
		return a.call(ctx, cmdGetAssertion, getAssertionParams{RPID: "login.microsoft.com", ClientDataHash: webauthn.Hash([]byte("{}")),
			AllowList: []credDescriptor{{Type: "public-key", ID: []byte(id)}}, Options: map[string]bool{"up": false}}, &getAssertionResponse{})
	}
	if err := ask("held"); err != nil {
		t.Fatalf("held credential: %v (a touch was waited for, or it was not found)", err)
	}
	for _, id := range []string{"absent", "hidden"} {
		if err := ask(id); !errors.Is(err, authenticator.ErrNoCredential) {
			t.Errorf("%s credential: %v, want %v", id, err, authenticator.ErrNoCredential)
		}
	}
}

func TestForcePINChange(t *testing.T) {
	a, _ := newKey(t, SoftwareOptions{PIN: "1234"})
	ctx := context.Background()
	if _, err := a.MakeCredential(ctx, request("1234")); err != nil {
		t.Fatal(err)
	}
	if err := a.ForcePINChange(ctx, "9999"); !errors.Is(err, authenticator.ErrPINInvalid) {
		t.Fatalf("forcing a change with a wrong PIN: %v", err)
	}
	if info, _ := a.Info(ctx); info.ForcePINChange {
		t.Fatal("a refused request set forcePINChange")
	}
	if err := a.ForcePINChange(ctx, "1234"); err != nil {
		t.Fatal(err)
	}
	// The flag survives a power cycle, and the old PIN no longer gets a token.
	a, _ = SoftwareBackend{}.Open(ctx, a.(*ctapClient).path)
	if info, _ := a.Info(ctx); !info.ForcePINChange {
		t.Fatal("getInfo does not report forcePINChange")
	}
	if _, err := a.MakeCredential(ctx, request("1234")); !errors.Is(err, authenticator.ErrPINPolicy) {
		t.Fatalf("a token after a forced change: want %v, got %v", authenticator.ErrPINPolicy, err)
	}
}

func TestMakeCredentialNeedsItsPermission(t *testing.T) {
	a, _ := newKey(t, SoftwareOptions{PIN: "1234"})
	c := a.(*ctapClient)
	ctx := context.Background()
	if _, err := c.Info(ctx); err != nil {
		t.Fatal(err)
	}
	tok, err := c.token(ctx, "1234", "", permConfig)
	if err != nil {
		t.Fatal(err)
	}
	req := request("")
	p := makeCredentialParams{ClientDataHash: req.ClientDataHash, RP: rpEntity{ID: req.RPID}, User: userEntity{ID: req.UserID},
		PubKeyCredParams: []credParam{{Type: "public-key", Alg: coseAlgES256}},
		PinUvAuthParam:   authenticateVersion(c.protocol, tok, req.ClientDataHash), PinUvAuthProtocol: c.protocol}
	if err := c.call(ctx, cmdMakeCredential, p, nil); err == nil {
		t.Fatal("a token allowed only to configure made a credential")
	}
}
