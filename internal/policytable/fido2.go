// Package policytable is the one table of FIDO2 policy cases that both the
// provider's local check (enrollment.Check) and the emulator's registration
// check are held to: whether a key may register for a user, and why not.
// Only tests import it.
package policytable

import (
	"strings"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Ids the cases use. OtherAAGUID is the software key's default model.
const (
	PilotGroup     = "5c1b9e2a-7f3d-4a8e-9b6c-2d4e6f8a0b1c"
	DefaultProfile = "00000000-0000-0000-0000-000000000001"
	KeysProfile    = "6b1e0f6a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
	AllowedAAGUID  = "cb69481e-8ff7-4039-93ec-0a2729a154a8"
	OtherAAGUID    = "7e3f3d30-3557-4c3b-9d2a-6b1f0e5d4c3a"
)

// Why a key is refused; each side words it its own way.
type Why string

const (
	Allowed       Why = ""
	NotAllowed    Why = "not on its allow list"
	Blocked       Why = "on its block list"
	NoAttestation Why = "attestation"
	SyncedOnly    Why = "synced passkeys only"
	Excluded      Why = "excluded"
	NotTargeted   Why = "not targeted"
	Disabled      Why = "disabled"
)

// Fido2Case is a policy, a user's groups and a key, and the answer.
type Fido2Case struct {
	Name string
	// Legacy is a tenant not migrated to passkey profiles.
	Legacy   bool
	Policy   graph.Fido2Policy
	Groups   []string
	AAGUID   string
	Attested bool
	Want     Why
}

func profiles() graph.Fido2Policy {
	d := DefaultProfile
	return graph.Fido2Policy{
		State: "enabled", IsSelfServiceRegistrationAllowed: true, DefaultPasskeyProfile: &d,
		PasskeyProfiles: []graph.PasskeyProfile{
			{ID: DefaultProfile, Name: "Default passkey profile", PasskeyTypes: "deviceBound", AttestationEnforcement: "registrationOnly",
				KeyRestrictions: graph.KeyRestrictions{EnforcementType: "block", AAGUIDs: []string{}}},
			{ID: KeysProfile, Name: "Pilot keys", PasskeyTypes: "deviceBound", AttestationEnforcement: "registrationOnly",
				KeyRestrictions: graph.KeyRestrictions{IsEnforced: true, EnforcementType: "allow", AAGUIDs: []string{strings.ToUpper(AllowedAAGUID)}}},
		},
		IncludeTargets: []graph.Target{{ID: PilotGroup, TargetType: "group", AllowedPasskeyProfiles: []string{KeysProfile}}},
		ExcludeTargets: []graph.ExcludeTarget{},
	}
}

func legacy(attestation bool, kr graph.KeyRestrictions) graph.Fido2Policy {
	return graph.Fido2Policy{State: "enabled", IsSelfServiceRegistrationAllowed: true, IsAttestationEnforced: &attestation, KeyRestrictions: &kr,
		IncludeTargets: []graph.Target{{ID: "all_users", TargetType: "group"}}, ExcludeTargets: []graph.ExcludeTarget{}}
}

// Fido2Cases are the cases, each a fresh value.
func Fido2Cases() []Fido2Case {
	with := func(f func(p *graph.Fido2Policy)) graph.Fido2Policy {
		p := profiles()
		f(&p)
		return p
	}
	everyone := func(p *graph.Fido2Policy) {
		p.IncludeTargets = append(p.IncludeTargets, graph.Target{ID: "all_users", TargetType: "group", AllowedPasskeyProfiles: []string{DefaultProfile}})
	}
	pilot := []string{PilotGroup}
	return []Fido2Case{
		{Name: "allowed model, listed in another case", Policy: profiles(), Groups: pilot, AAGUID: AllowedAAGUID, Attested: true, Want: Allowed},
		{Name: "model not on the allow list", Policy: profiles(), Groups: pilot, AAGUID: OtherAAGUID, Attested: true, Want: NotAllowed},
		{Name: "no trusted attestation", Policy: profiles(), Groups: pilot, AAGUID: AllowedAAGUID, Attested: false, Want: NoAttestation},
		{Name: "not targeted", Policy: profiles(), AAGUID: AllowedAAGUID, Attested: true, Want: NotTargeted},
		{Name: "everyone's profile allows what the pilot's does not", Policy: with(everyone), Groups: pilot, AAGUID: OtherAAGUID, Attested: true, Want: Allowed},
		{Name: "excluded", Policy: with(func(p *graph.Fido2Policy) {
			p.ExcludeTargets = []graph.ExcludeTarget{{ID: PilotGroup, TargetType: "group"}}
		}), Groups: pilot, AAGUID: AllowedAAGUID, Attested: true, Want: Excluded},
		{Name: "disabled", Policy: with(func(p *graph.Fido2Policy) { p.State = "disabled" }), Groups: pilot, AAGUID: AllowedAAGUID, Attested: true, Want: Disabled},
		{Name: "synced passkeys only", Policy: with(func(p *graph.Fido2Policy) { p.PasskeyProfiles[1].PasskeyTypes = "synced" }),
			Groups: pilot, AAGUID: AllowedAAGUID, Attested: true, Want: SyncedOnly},
		{Name: "blocked model", Policy: with(func(p *graph.Fido2Policy) {
			p.PasskeyProfiles[1].KeyRestrictions = graph.KeyRestrictions{IsEnforced: true, EnforcementType: "block", AAGUIDs: []string{OtherAAGUID}}
		}), Groups: pilot, AAGUID: OtherAAGUID, Attested: true, Want: Blocked},
		{Name: "block list not enforced", Policy: with(func(p *graph.Fido2Policy) {
			p.PasskeyProfiles[1].KeyRestrictions = graph.KeyRestrictions{IsEnforced: false, EnforcementType: "block", AAGUIDs: []string{OtherAAGUID}}
		}), Groups: pilot, AAGUID: OtherAAGUID, Attested: true, Want: Allowed},
		{Name: "legacy, blocked model", Legacy: true, Policy: legacy(false, graph.KeyRestrictions{IsEnforced: true, EnforcementType: "block", AAGUIDs: []string{OtherAAGUID}}),
			AAGUID: OtherAAGUID, Want: Blocked},
		{Name: "legacy, attestation required", Legacy: true, Policy: legacy(true, graph.KeyRestrictions{EnforcementType: "block", AAGUIDs: []string{}}),
			AAGUID: OtherAAGUID, Want: NoAttestation},
		{Name: "legacy, open", Legacy: true, Policy: legacy(false, graph.KeyRestrictions{EnforcementType: "block", AAGUIDs: []string{}}), AAGUID: OtherAAGUID, Want: Allowed},
	}
}
