// Package webauthn builds and parses the WebAuthn structures exchanged with
// Graph's FIDO2 provisioning API: client data, attestation objects and
// authenticator data, with Graph's base64url-without-padding encoding.
package webauthn

import (
	"encoding/base64"
	"strings"
)

// Encode is base64url without padding, the encoding Graph expects for every
// binary value of a registration (graph-behaviour.md#fido2-registrations).
func Encode(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// Decode accepts base64url or standard base64, padded or not: Graph has been
// seen returning credential ids in standard, padded base64 while challenges
// are base64url (graph-behaviour.md#fido2-registrations).
func Decode(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	s = strings.NewReplacer("-", "+", "_", "/").Replace(s)
	return base64.RawStdEncoding.DecodeString(s)
}
