package webauthn_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

// register makes a credential on a software key for rpID.
func register(t *testing.T, rpID string, challenge []byte) (clientData []byte, cred *authenticator.Credential) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "key.json")
	if _, err := softkey.CreateSoftware(path, softkey.SoftwareOptions{PIN: "4321"}); err != nil {
		t.Fatal(err)
	}
	a, err := softkey.SoftwareBackend{}.Open(context.Background(), softkey.SoftwarePathPrefix+path)
	if err != nil {
		t.Fatal(err)
	}
	clientData = webauthn.NewClientDataJSON(webauthn.Encode(challenge), rpID)
	cred, err = a.MakeCredential(context.Background(), authenticator.MakeCredentialRequest{
		ClientDataHash: webauthn.Hash(clientData), RPID: rpID, RPName: "Microsoft",
		UserID: []byte("user-handle"), UserName: "adele@contoso.example", PIN: "4321",
	})
	if err != nil {
		t.Fatal(err)
	}
	return clientData, cred
}

// Our encoding is checked by go-webauthn, an independent parser and
// verifier, and our parser must read what it reads.
func TestAttestationAgainstGoWebauthn(t *testing.T) {
	challenge := make([]byte, 32)
	_, _ = rand.Read(challenge)
	clientData, cred := register(t, "login.microsoft.com", challenge)

	body, _ := json.Marshal(map[string]any{
		"id": webauthn.Encode(cred.ID), "rawId": webauthn.Encode(cred.ID), "type": "public-key",
		"response": map[string]any{"clientDataJSON": webauthn.Encode(clientData), "attestationObject": webauthn.Encode(cred.AttestationObject)},
	})
	parsed, err := protocol.ParseCredentialCreationResponseBytes(body)
	if err != nil {
		t.Fatalf("go-webauthn cannot parse our credential: %v", err)
	}
	if _, err := parsed.Verify(webauthn.Encode(challenge), "login.microsoft.com", []string{"https://login.microsoft.com"}, nil, nil,
		protocol.TopOriginImplicitVerificationMode, false, true, true, nil,
		[]protocol.CredentialParameter{{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgES256}},
		protocol.AttestationPolicy{}, protocol.SignaturePolicy{}); err != nil {
		t.Fatalf("go-webauthn rejects our credential: %v", err)
	}

	ours, err := webauthn.ParseAttestationObject(cred.AttestationObject)
	if err != nil {
		t.Fatal(err)
	}
	ad, err := webauthn.ParseAuthenticatorData(ours.AuthData)
	if err != nil {
		t.Fatal(err)
	}
	theirs := parsed.Response.AttestationObject
	if ours.Format != theirs.Format || ours.Format != "packed" {
		t.Errorf("format: ours %q, go-webauthn %q", ours.Format, theirs.Format)
	}
	if !bytes.Equal(ad.AAGUID, theirs.AuthData.AttData.AAGUID) || webauthn.FormatAAGUID(ad.AAGUID) != softkey.DefaultSoftwareAAGUID {
		t.Errorf("AAGUID: ours %x, go-webauthn %x", ad.AAGUID, theirs.AuthData.AttData.AAGUID)
	}
	if !bytes.Equal(ad.CredentialID, theirs.AuthData.AttData.CredentialID) || !bytes.Equal(ad.CredentialID, cred.ID) {
		t.Errorf("credential id differs")
	}
	if !bytes.Equal(ad.PublicKey, theirs.AuthData.AttData.CredentialPublicKey) {
		t.Errorf("public key differs")
	}
	if ad.Flags&webauthn.FlagUserVerified == 0 || !theirs.AuthData.Flags.UserVerified() {
		t.Errorf("the credential should be user-verified (PIN)")
	}
	certs, err := ours.Certificates()
	if err != nil || len(certs) != 1 || certs[0].Subject.OrganizationalUnit[0] != "Authenticator Attestation" {
		t.Errorf("attestation certificate: %v %v", certs, err)
	}
}

func TestUnwrapAuthData(t *testing.T) {
	_, cred := register(t, "login.microsoft.com", []byte("challenge"))
	obj, _ := webauthn.ParseAttestationObject(cred.AttestationObject)
	// libfido2 hands authData out as a CBOR byte string.
	wrapped, err := webauthn.Marshal(obj.AuthData)
	if err != nil {
		t.Fatal(err)
	}
	if got := webauthn.UnwrapAuthData(wrapped); !bytes.Equal(got, obj.AuthData) {
		t.Error("wrapped authData was not unwrapped")
	}
	if got := webauthn.UnwrapAuthData(obj.AuthData); !bytes.Equal(got, obj.AuthData) {
		t.Error("raw authData must pass through unchanged")
	}
}

func TestDecodeIsLenient(t *testing.T) {
	want := []byte{0xfb, 0xff, 0x01, 0x02}
	for _, s := range []string{"-_8BAg", "+/8BAg==", "+/8BAg", "-_8BAg=="} {
		got, err := webauthn.Decode(s)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("Decode(%q) = %x, %v", s, got, err)
		}
	}
	if webauthn.Encode(want) != "-_8BAg" {
		t.Errorf("Encode must be base64url without padding, got %q", webauthn.Encode(want))
	}
}

func TestClientDataJSON(t *testing.T) {
	got := string(webauthn.NewClientDataJSON("abc_-", "login.microsoft.com"))
	want := `{"type":"webauthn.create","challenge":"abc_-","origin":"https://login.microsoft.com","crossOrigin":false}`
	if got != want {
		t.Errorf("client data = %s, want %s", got, want)
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	for name, b := range map[string][]byte{"empty": {}, "not CBOR": []byte("hello"), "no authData": mustCBOR(map[string]any{"fmt": "none"})} {
		if _, err := webauthn.ParseAttestationObject(b); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if _, err := webauthn.ParseAuthenticatorData(make([]byte, 40)); err == nil {
		t.Error("authData without attested credential data must be refused")
	}
	short := make([]byte, 60)
	short[32] = webauthn.FlagAttested
	short[53], short[54] = 0xff, 0xff
	if _, err := webauthn.ParseAuthenticatorData(short); err == nil {
		t.Error("an overlong credential id must be refused")
	}
}

func mustCBOR(v any) []byte {
	b, _ := webauthn.Marshal(v)
	return b
}
