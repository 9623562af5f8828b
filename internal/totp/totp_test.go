package totp

import (
	"strings"
	"testing"
	"time"
)

// RFC 6238's test vectors (appendix B), truncated to six digits: the
// 20-byte ASCII secret for SHA-1 and the 32-byte one for SHA-256, a 30 s
// step.
func TestRFC6238Vectors(t *testing.T) {
	sha1Key := Token{Secret: []byte("12345678901234567890"), Step: 30 * time.Second}
	sha256Key := Token{Secret: []byte("12345678901234567890123456789012"), Step: 30 * time.Second, SHA256: true}
	for _, v := range []struct {
		unix         int64
		sha1, sha256 string
	}{
		{59, "287082", "119246"},
		{1111111109, "081804", "084774"},
		{1111111111, "050471", "062674"},
		{1234567890, "005924", "819424"},
		{2000000000, "279037", "698825"},
		{20000000000, "353130", "737706"},
	} {
		at := time.Unix(v.unix, 0)
		if got := sha1Key.Code(at); got != v.sha1 {
			t.Errorf("SHA-1 at %d: %s, want %s", v.unix, got, v.sha1)
		}
		if got := sha256Key.Code(at); got != v.sha256 {
			t.Errorf("SHA-256 at %d: %s, want %s", v.unix, got, v.sha256)
		}
	}
}

// A code verifies within one step of its time, not two, and a 60 s token
// changes its code half as often.
func TestVerifyWindowAndStep(t *testing.T) {
	k := Token{Secret: []byte("12345678901234567890"), Step: 30 * time.Second}
	at := time.Unix(1234567890, 0)
	code := k.Code(at)
	if !k.Verify(code, at.Add(30*time.Second)) || !k.Verify(code, at.Add(-30*time.Second)) {
		t.Error("a code one step away should verify")
	}
	if k.Verify(code, at.Add(90*time.Second)) {
		t.Error("a code three steps away should not verify")
	}
	slow := Token{Secret: k.Secret, Step: 60 * time.Second}
	if slow.Code(time.Unix(60, 0)) != slow.Code(time.Unix(119, 0)) || slow.Code(time.Unix(60, 0)) == slow.Code(time.Unix(120, 0)) {
		t.Error("a 60 s token's code should hold for 60 s")
	}
}

func TestDecodeSecret(t *testing.T) {
	b, err := DecodeSecret("gezd gnbv gy3t qojq GEZDGNBVGY3TQOJQ====")
	if err != nil || string(b) != "1234567890123456789012345678901234567890"[:20] {
		t.Errorf("decoded %q, %v", b, err)
	}
	if _, err := DecodeSecret("3132333435363738393031323334353637383930"); err == nil || !strings.Contains(err.Error(), "not base32") {
		t.Errorf("hex should be refused: %v", err)
	}
}
