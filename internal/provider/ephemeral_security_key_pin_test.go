package provider

import (
	"strings"
	"testing"
)

func TestRandomPIN(t *testing.T) {
	seen := map[byte]bool{}
	pins := map[string]bool{}
	for range 2000 {
		pin, err := randomPIN(6)
		if err != nil {
			t.Fatal(err)
		}
		if len(pin) != 6 || strings.Trim(pin, "0123456789") != "" || trivialPIN([]byte(pin)) {
			t.Fatalf("drew %q", pin)
		}
		for i := range pin {
			seen[pin[i]] = true
		}
		pins[pin] = true
	}
	if len(seen) != 10 || len(pins) < 1990 {
		t.Errorf("2,000 PINs used %d digits and %d distinct values", len(seen), len(pins))
	}
	for pin, trivial := range map[string]bool{"000000": true, "123456": true, "890123": true, "654321": true, "109876": true, "123455": false, "739164": false} {
		if trivialPIN([]byte(pin)) != trivial {
			t.Errorf("trivialPIN(%q) = %v", pin, !trivial)
		}
	}
}
