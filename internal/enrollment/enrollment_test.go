package enrollment

import (
	"strings"
	"testing"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const (
	user    = "a2f1c6d4-0b1e-4c7a-9f3e-1d2c3b4a5f60"
	pilot   = "5c1b9e2a-7f3d-4a8e-9b6c-2d4e6f8a0b1c"
	def     = "00000000-0000-0000-0000-000000000001"
	keys    = "6b1e0f6a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
	allowed = "cb69481e-8ff7-4039-93ec-0a2729a154a8"
	other   = "7e3f3d30-3557-4c3b-9d2a-6b1f0e5d4c3a"
)

func policy() *graph.Fido2Policy {
	d := def
	return &graph.Fido2Policy{
		State: "enabled", DefaultPasskeyProfile: &d,
		PasskeyProfiles: []graph.PasskeyProfile{
			{ID: def, Name: "Default passkey profile", PasskeyTypes: "deviceBound", AttestationEnforcement: "registrationOnly"},
			{ID: keys, Name: "Pilot keys", PasskeyTypes: "deviceBound", AttestationEnforcement: "registrationOnly",
				KeyRestrictions: graph.KeyRestrictions{IsEnforced: true, EnforcementType: "allow", AAGUIDs: []string{strings.ToUpper(allowed)}}},
		},
		IncludeTargets: []graph.Target{{ID: pilot, TargetType: "group", AllowedPasskeyProfiles: []string{keys}}},
	}
}

// Check applies the profiles of the targets that cover the user, any of
// which may allow the key, and names the profile that refuses it.
func TestCheck(t *testing.T) {
	legacy := func(enforced bool, kr graph.KeyRestrictions) *graph.Fido2Policy {
		return &graph.Fido2Policy{State: "enabled", IsAttestationEnforced: &enforced, KeyRestrictions: &kr,
			IncludeTargets: []graph.Target{{ID: "all_users", TargetType: "group"}}}
	}
	withEveryone := policy()
	withEveryone.IncludeTargets = append(withEveryone.IncludeTargets, graph.Target{ID: "all_users", TargetType: "group"})
	excluded := policy()
	excluded.ExcludeTargets = []graph.ExcludeTarget{{ID: pilot, TargetType: "group"}}
	disabled := policy()
	disabled.State = "disabled"
	syncedOnly := policy()
	syncedOnly.PasskeyProfiles[1].PasskeyTypes = "synced"

	cases := []struct {
		name     string
		p        *graph.Fido2Policy
		groups   []string
		aaguid   string
		attested bool
		want     string
	}{
		{"allowed model, any case", policy(), []string{pilot}, allowed, true, ""},
		{"model not on the allow list", policy(), []string{pilot}, other, true, `passkey profile "Pilot keys" refuses it: the key's AAGUID ` + other + " is not on its allow list"},
		{"no attestation", policy(), []string{pilot}, allowed, false, `"Pilot keys" refuses it: it requires attestation and the key gave none`},
		{"not targeted", policy(), nil, allowed, true, "no include target of the FIDO2 policy covers " + user},
		{"a target without profiles gets the default", withEveryone, nil, other, true, ""},
		{"any covering profile may allow", withEveryone, []string{pilot}, other, true, ""},
		{"excluded", excluded, []string{pilot}, allowed, true, "the FIDO2 policy excludes " + user},
		{"disabled", disabled, []string{pilot}, allowed, true, "the FIDO2 policy is disabled"},
		{"synced only", syncedOnly, []string{pilot}, allowed, true, "it allows synced passkeys only"},
		{"legacy, blocked model", legacy(false, graph.KeyRestrictions{IsEnforced: true, EnforcementType: "block", AAGUIDs: []string{other}}), nil, other, false,
			`passkey profile "tenant-wide FIDO2 settings" refuses it: the key's AAGUID ` + other + " is on its block list"},
		{"legacy, open", legacy(false, graph.KeyRestrictions{}), nil, other, false, ""},
	}
	for _, c := range cases {
		err := Check(c.p, user, c.groups, c.aaguid, c.attested)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected refusal: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}
