package graph

import (
	"context"

	abs "github.com/microsoft/kiota-abstractions-go"
)

const configurationsPath = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/"

// Configuration ids of the two method policies.
const (
	TemporaryAccessPassID = "TemporaryAccessPass"
	Fido2ID               = "Fido2"
)

// Target is an include target of a method policy. AllowedPasskeyProfiles is
// FIDO2-only and omitted elsewhere.
type Target struct {
	ID                     string   `json:"id"`
	TargetType             string   `json:"targetType"`
	IsRegistrationRequired bool     `json:"isRegistrationRequired"`
	AllowedPasskeyProfiles []string `json:"allowedPasskeyProfiles,omitempty"`
}

// ExcludeTarget is an exclude target of a method policy.
type ExcludeTarget struct {
	ID         string `json:"id"`
	TargetType string `json:"targetType"`
}

// KeyRestrictions limit which authenticator models may register.
type KeyRestrictions struct {
	IsEnforced      bool     `json:"isEnforced"`
	EnforcementType string   `json:"enforcementType"`
	AAGUIDs         []string `json:"aaGuids"`
}

// PasskeyProfile is one profile of the FIDO2 policy.
type PasskeyProfile struct {
	ID                     string          `json:"id"`
	Name                   string          `json:"name"`
	PasskeyTypes           string          `json:"passkeyTypes"`
	AttestationEnforcement string          `json:"attestationEnforcement"`
	KeyRestrictions        KeyRestrictions `json:"keyRestrictions"`
}

// TemporaryAccessPassPolicy is the TemporaryAccessPass method configuration.
type TemporaryAccessPassPolicy struct {
	State                    string          `json:"state"`
	DefaultLength            int64           `json:"defaultLength"`
	DefaultLifetimeInMinutes int64           `json:"defaultLifetimeInMinutes"`
	MinimumLifetimeInMinutes int64           `json:"minimumLifetimeInMinutes"`
	MaximumLifetimeInMinutes int64           `json:"maximumLifetimeInMinutes"`
	IsUsableOnce             bool            `json:"isUsableOnce"`
	IncludeTargets           []Target        `json:"includeTargets"`
	ExcludeTargets           []ExcludeTarget `json:"excludeTargets"`
}

// Fido2Policy is the Fido2 method configuration. The legacy
// IsAttestationEnforced and KeyRestrictions are deprecated by Graph in favour
// of passkey profiles; a nil pointer leaves them out of a PATCH. A nil
// DefaultPasskeyProfile on read means the tenant has no profiles yet.
type Fido2Policy struct {
	State                            string           `json:"state"`
	IsSelfServiceRegistrationAllowed bool             `json:"isSelfServiceRegistrationAllowed"`
	IsAttestationEnforced            *bool            `json:"isAttestationEnforced,omitempty"`
	KeyRestrictions                  *KeyRestrictions `json:"keyRestrictions,omitempty"`
	DefaultPasskeyProfile            *string          `json:"defaultPasskeyProfile,omitempty"`
	PasskeyProfiles                  []PasskeyProfile `json:"passkeyProfiles,omitempty"`
	IncludeTargets                   []Target         `json:"includeTargets"`
	ExcludeTargets                   []ExcludeTarget  `json:"excludeTargets"`
}

// DefaultPasskeyProfileID is the id of the profile a tenant's migration to
// passkey profiles creates.
const DefaultPasskeyProfileID = "00000000-0000-0000-0000-000000000001"

// DefaultTemporaryAccessPassPolicy is the TAP configuration after a reset
// (DELETE), which is also a new tenant's.
func DefaultTemporaryAccessPassPolicy() TemporaryAccessPassPolicy {
	return TemporaryAccessPassPolicy{State: "disabled", DefaultLength: 8, DefaultLifetimeInMinutes: 60,
		MinimumLifetimeInMinutes: 60, MaximumLifetimeInMinutes: 480,
		IncludeTargets: []Target{{ID: "all_users", TargetType: "group"}}, ExcludeTargets: []ExcludeTarget{}}
}

// DefaultFido2Policy is the Fido2 configuration after a reset: on a tenant
// migrated to passkey profiles, one default profile for all users that
// allows attested device-bound passkeys; on one not yet migrated, the legacy
// settings alone.
func DefaultFido2Policy(migrated bool) Fido2Policy {
	attested := true
	noRestrictions := KeyRestrictions{EnforcementType: "block", AAGUIDs: []string{}}
	p := Fido2Policy{State: "disabled", IsSelfServiceRegistrationAllowed: true, IsAttestationEnforced: &attested,
		KeyRestrictions: &noRestrictions, IncludeTargets: []Target{{ID: "all_users", TargetType: "group"}}, ExcludeTargets: []ExcludeTarget{}}
	if migrated {
		id := DefaultPasskeyProfileID
		p.DefaultPasskeyProfile = &id
		p.PasskeyProfiles = []PasskeyProfile{{ID: id, Name: "Default passkey profile", PasskeyTypes: "deviceBound",
			AttestationEnforcement: "registrationOnly", KeyRestrictions: noRestrictions}}
		p.IncludeTargets[0].AllowedPasskeyProfiles = []string{id}
	}
	return p
}

// GetTemporaryAccessPassPolicy reads the TAP method configuration.
func (c *Client) GetTemporaryAccessPassPolicy(ctx context.Context) (*TemporaryAccessPassPolicy, error) {
	var p TemporaryAccessPassPolicy
	return &p, c.do(ctx, abs.GET, configurationsPath+TemporaryAccessPassID, nil, &p)
}

// UpdateTemporaryAccessPassPolicy PATCHes the whole TAP configuration. The body
// is built fresh with its @odata.type, which Graph requires.
func (c *Client) UpdateTemporaryAccessPassPolicy(ctx context.Context, p TemporaryAccessPassPolicy) error {
	body := struct {
		ODataType string `json:"@odata.type"`
		TemporaryAccessPassPolicy
	}{"#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", p}
	defer c.tapPolicy.forget()
	return c.do(ctx, abs.PATCH, configurationsPath+TemporaryAccessPassID, body, nil)
}

// GetFido2Policy reads the Fido2 method configuration.
func (c *Client) GetFido2Policy(ctx context.Context) (*Fido2Policy, error) {
	var p Fido2Policy
	return &p, c.do(ctx, abs.GET, configurationsPath+Fido2ID, nil, &p)
}

// UpdateFido2Policy PATCHes the Fido2 configuration.
func (c *Client) UpdateFido2Policy(ctx context.Context, p Fido2Policy) error {
	body := struct {
		ODataType string `json:"@odata.type"`
		Fido2Policy
	}{"#microsoft.graph.fido2AuthenticationMethodConfiguration", p}
	defer c.fido2Policy.forget()
	return c.do(ctx, abs.PATCH, configurationsPath+Fido2ID, body, nil)
}

// ResetPolicy reverts a method configuration to the tenant defaults; Graph's
// DELETE on a configuration does that rather than remove it.
func (c *Client) ResetPolicy(ctx context.Context, id string) error {
	defer c.tapPolicy.forget()
	defer c.fido2Policy.forget()
	return c.do(ctx, abs.DELETE, configurationsPath+id, nil, nil)
}
