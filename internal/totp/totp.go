// Package totp computes time-based one-time passwords (RFC 6238) as
// hardware OATH tokens show them: six digits from a shared secret, the
// time step and the hash function.
package totp

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // RFC 6238 tokens use HMAC-SHA-1.
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"hash"
	"strings"
	"time"
)

// Digits is how many digits a code has.
const Digits = 6

// Token is a token's secret and settings.
type Token struct {
	Secret []byte
	// Step is the time step, 30 or 60 seconds.
	Step time.Duration
	// SHA256 selects HMAC-SHA-256 (Graph's hmacsha256); otherwise
	// HMAC-SHA-1 (hmacsha1).
	SHA256 bool
}

// DecodeSecret reads a secret in base32, as Graph takes it: upper or lower
// case, with or without padding and spaces.
func DecodeSecret(s string) ([]byte, error) {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(s, "="))
	if err != nil || len(b) == 0 {
		return nil, fmt.Errorf("not base32 (the letters A to Z and the digits 2 to 7)")
	}
	return b, nil
}

// Code is the token's code at t.
func (k Token) Code(t time.Time) string {
	return k.code(uint64(t.Unix()) / uint64(k.Step/time.Second))
}

// Verify reports whether code is the token's code at t or one step either
// side, the drift a verifier allows.
func (k Token) Verify(code string, t time.Time) bool {
	counter := uint64(t.Unix()) / uint64(k.Step/time.Second)
	for _, c := range []uint64{counter - 1, counter, counter + 1} {
		if hmac.Equal([]byte(k.code(c)), []byte(code)) {
			return true
		}
	}
	return false
}

func (k Token) code(counter uint64) string {
	h := sha1.New
	if k.SHA256 {
		h = sha256.New
	}
	return hotp(h, k.Secret, counter)
}

// hotp is RFC 4226's HOTP: the HMAC of the counter, dynamically truncated.
func hotp(h func() hash.Hash, secret []byte, counter uint64) string {
	mac := hmac.New(h, secret)
	_ = binary.Write(mac, binary.BigEndian, counter)
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", Digits, v%1_000_000)
}
