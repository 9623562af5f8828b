package webauthn

import (
	"testing"
)

// Attestation objects and authenticator data come from authenticators and
// from users' public_key_credential: parsing must never panic or hang, and
// what parses must be self-consistent.
func FuzzParseAttestationObject(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0xa3, 0x63, 'f', 'm', 't', 0x64, 'n', 'o', 'n', 'e'})
	authData := make([]byte, 55+4)
	authData[32] = FlagAttested | FlagUserPresent
	authData[54] = 4
	obj, _ := Marshal(AttestationObject{Format: "none", AuthData: append(authData, 0xa0)})
	f.Add(obj)
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseAttestationObject(b)
		if err != nil {
			return
		}
		ad, err := ParseAuthenticatorData(a.AuthData)
		if err != nil {
			return
		}
		if len(ad.AAGUID) != 16 || len(ad.RPIDHash) != 32 {
			t.Fatalf("AAGUID %d bytes, rpIdHash %d bytes", len(ad.AAGUID), len(ad.RPIDHash))
		}
		_ = UnwrapAuthData(a.AuthData)
		_, _ = a.Certificates()
	})
}

func FuzzParseClientData(f *testing.F) {
	f.Add([]byte(`{"type":"webauthn.create","challenge":"abc","origin":"https://login.microsoft.com","crossOrigin":false}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseClientData(b)
		if err == nil && (c.Type == "" || c.Challenge == "" || c.Origin == "") {
			t.Fatalf("accepted client data without type, challenge or origin: %+v", c)
		}
		if d, err := Decode(string(b)); err == nil && Encode(d) != Encode(mustDecode(Encode(d))) {
			t.Fatal("base64url round trip differs")
		}
	})
}

func mustDecode(s string) []byte {
	b, _ := Decode(s)
	return b
}
