package webauthn

import (
	"crypto/x509"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// CTAP2 canonical CBOR, which authenticators and verifiers expect.
var encMode, _ = cbor.CTAP2EncOptions().EncMode()

// decMode bounds what a hostile attestation object can make us allocate.
var decMode, _ = cbor.DecOptions{MaxNestedLevels: 16, MaxArrayElements: 1024, MaxMapPairs: 256}.DecMode()

// Marshal encodes v as CTAP2 canonical CBOR.
func Marshal(v any) ([]byte, error) { return encMode.Marshal(v) }

// Unmarshal decodes CBOR with the package's limits.
func Unmarshal(b []byte, v any) error { return decMode.Unmarshal(b, v) }

// AttestationStatement is a packed (or none) attestation statement.
type AttestationStatement struct {
	Alg int64    `cbor:"alg,omitempty"`
	Sig []byte   `cbor:"sig,omitempty"`
	X5C [][]byte `cbor:"x5c,omitempty"`
}

// AttestationObject is the CBOR map {fmt, attStmt, authData}.
type AttestationObject struct {
	Format   string               `cbor:"fmt"`
	AttStmt  AttestationStatement `cbor:"attStmt"`
	AuthData []byte               `cbor:"authData"`
}

// Marshal encodes the attestation object.
func (a *AttestationObject) Marshal() ([]byte, error) { return encMode.Marshal(a) }

// Certificates parses the attestation certificate chain, leaf first.
func (a *AttestationObject) Certificates() ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for _, der := range a.AttStmt.X5C {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("attestation certificate: %w", err)
		}
		out = append(out, c)
	}
	return out, nil
}

// ParseAttestationObject decodes an attestation object.
func ParseAttestationObject(b []byte) (*AttestationObject, error) {
	var a AttestationObject
	if err := decMode.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("attestation object is not valid CBOR: %w", err)
	}
	if a.Format == "" || len(a.AuthData) == 0 {
		return nil, errors.New("attestation object lacks fmt or authData")
	}
	return &a, nil
}

// Authenticator data flags.
const (
	FlagUserPresent  = 0x01
	FlagUserVerified = 0x04
	FlagAttested     = 0x40
	FlagExtensions   = 0x80
)

// AuthenticatorData is the parsed authenticator data of a registration.
type AuthenticatorData struct {
	RPIDHash     []byte
	Flags        byte
	SignCount    uint32
	AAGUID       []byte
	CredentialID []byte
	// PublicKey is the credential's COSE key, as CBOR.
	PublicKey []byte
	// Extensions are the authenticator's extension outputs, such as
	// "credProtect" (its level) and "hmac-secret" (true when made with it).
	Extensions map[string]any
}

// ParseAuthenticatorData decodes authenticator data with attested credential
// data: rpIdHash (32) | flags (1) | signCount (4) | AAGUID (16, bytes 37..52)
// | credential id length (2, bytes 53..54) | credential id | COSE key.
func ParseAuthenticatorData(b []byte) (*AuthenticatorData, error) {
	if len(b) < 37 {
		return nil, fmt.Errorf("authenticator data is %d bytes, shorter than 37", len(b))
	}
	d := &AuthenticatorData{RPIDHash: b[:32], Flags: b[32], SignCount: binary.BigEndian.Uint32(b[33:37])}
	if d.Flags&FlagAttested == 0 {
		return nil, errors.New("authenticator data has no attested credential data")
	}
	if len(b) < 55 {
		return nil, errors.New("attested credential data is truncated")
	}
	d.AAGUID = b[37:53]
	n := int(binary.BigEndian.Uint16(b[53:55]))
	if len(b) < 55+n {
		return nil, fmt.Errorf("credential id of %d bytes overruns the authenticator data", n)
	}
	d.CredentialID = b[55 : 55+n]
	// The COSE key is one CBOR item; extensions, if any, follow it.
	var key cbor.RawMessage
	rest, err := decMode.UnmarshalFirst(b[55+n:], &key)
	if err != nil {
		return nil, fmt.Errorf("credential public key: %w", err)
	}
	switch {
	case len(rest) > 0 && d.Flags&FlagExtensions == 0:
		return nil, errors.New("authenticator data has trailing bytes")
	case d.Flags&FlagExtensions != 0:
		if rest, err = decMode.UnmarshalFirst(rest, &d.Extensions); err != nil {
			return nil, fmt.Errorf("authenticator extension outputs: %w", err)
		}
		if len(rest) > 0 {
			return nil, errors.New("authenticator data has trailing bytes")
		}
	}
	d.PublicKey = key
	return d, nil
}

// FormatAAGUID writes 16 bytes as a lower-case GUID.
func FormatAAGUID(b []byte) string {
	if len(b) != 16 {
		return ""
	}
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ParseAAGUID reads a GUID into 16 bytes.
func ParseAAGUID(s string) ([]byte, error) {
	b, err := hex.DecodeString(stripDashes(s))
	if err != nil || len(b) != 16 {
		return nil, fmt.Errorf("%q is not an AAGUID", s)
	}
	return b, nil
}

func stripDashes(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '-' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

// UnwrapAuthData undoes libfido2's wrapping: fido_cred_authdata_ptr gives the
// authenticator data as a CBOR byte string, while an attestation object
// holds the raw bytes (graph-behaviour.md#libfido2s-authenticator-data). Unwrapped input is returned as is.
func UnwrapAuthData(b []byte) []byte {
	var raw []byte
	if rest, err := decMode.UnmarshalFirst(b, &raw); err == nil && len(rest) == 0 && len(raw) >= 37 {
		return raw
	}
	return b
}

// COSEAlgES256 is ECDSA with P-256 and SHA-256 (COSE algorithm -7), the
// algorithm every FIDO2 authenticator supports.
const COSEAlgES256 = -7
