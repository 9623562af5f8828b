package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strings"

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
	ID                     string          `json:"id,omitempty"`
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
	return getConfiguration[TemporaryAccessPassPolicy](ctx, c, TemporaryAccessPassID)
}

// UpdateTemporaryAccessPassPolicy PATCHes the TAP configuration: the
// properties of p that differ from those of from, the tenant's (all of p
// when from is nil).
func (c *Client) UpdateTemporaryAccessPassPolicy(ctx context.Context, p TemporaryAccessPassPolicy, from *TemporaryAccessPassPolicy) error {
	defer c.tapPolicy.forget()
	return patchChanged(ctx, c.do, configurationsPath+TemporaryAccessPassID, "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", p, from)
}

// getConfiguration reads method configuration id as a T.
func getConfiguration[T any](ctx context.Context, c *Client, id string) (*T, error) {
	var p T
	return &p, c.do(ctx, abs.GET, configurationsPath+url.PathEscape(id), nil, &p)
}

// patchChanged PATCHes path, through do (v1.0 or beta), with the properties of p whose values differ from those of from and its
// @odata.type, which Graph requires. A PATCH leaves the properties it does
// not name as they are, so a value someone changed in the tenant since from
// was read is kept; nothing is sent when nothing differs.
func patchChanged[T any](ctx context.Context, do requester, path, odataType string, p T, from *T) error {
	body, err := changedProperties(p, from)
	if err != nil || len(body) == 0 {
		return err
	}
	if odataType != "" {
		body["@odata.type"] = odataType
	}
	return do(ctx, abs.PATCH, path, body, nil)
}

// requester is Client.do or Client.doBeta.
type requester func(ctx context.Context, method abs.HttpMethod, path string, body, out any) error

// changedProperties is p's JSON object less the properties whose values equal
// those of from; all of p when from is nil.
func changedProperties[T any](p T, from *T) (map[string]any, error) {
	body, err := jsonObject(p)
	if err != nil || from == nil {
		return body, err
	}
	base, err := jsonObject(*from)
	if err != nil {
		return nil, err
	}
	for name, v := range body {
		if was, ok := base[name]; ok && reflect.DeepEqual(v, was) {
			delete(body, name)
		}
	}
	return body, nil
}

// jsonObject is p as a JSON object.
func jsonObject(p any) (map[string]any, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var body map[string]any
	return body, json.Unmarshal(raw, &body)
}

// GetFido2Policy reads the Fido2 method configuration. passkeyProfiles is a
// navigation property: Graph's reference shows it inline, while OData returns
// navigation properties only when expanded, so it is asked for explicitly.
func (c *Client) GetFido2Policy(ctx context.Context) (*Fido2Policy, error) {
	var p Fido2Policy
	return &p, c.do(ctx, abs.GET, configurationsPath+Fido2ID+"?$expand=passkeyProfiles", nil, &p)
}

// ProfileIDs maps the id a caller gave a passkey profile (lower case) to the
// id Graph holds it under, where the two differ.
type ProfileIDs map[string]string

// of is the id Graph holds the caller's profile id under.
func (ids ProfileIDs) of(id string) string {
	if g, ok := ids[strings.ToLower(id)]; ok {
		return g
	}
	return id
}

// UpdateFido2Policy PATCHes the Fido2 configuration: the properties of p
// that differ from those of from, the tenant's (all of p when from is nil),
// profile ids translated through ids. Profiles the tenant lacks are created
// first, by a PATCH of their own (see addProfiles); it returns ids with
// theirs.
func (c *Client) UpdateFido2Policy(ctx context.Context, p Fido2Policy, from *Fido2Policy, ids ProfileIDs) (ProfileIDs, error) {
	defer c.fido2Policy.forget()
	ids = maps.Clone(ids)
	if ids == nil {
		ids = ProfileIDs{}
	}
	if p.PasskeyProfiles != nil {
		current, err := c.GetFido2Policy(ctx)
		if err != nil {
			return ids, err
		}
		var fresh []PasskeyProfile
		for _, pp := range p.PasskeyProfiles {
			if !slices.ContainsFunc(current.PasskeyProfiles, func(q PasskeyProfile) bool { return strings.EqualFold(q.ID, ids.of(pp.ID)) }) {
				fresh = append(fresh, pp)
			}
		}
		if len(fresh) > 0 {
			if err := c.addProfiles(ctx, current.PasskeyProfiles, fresh, ids); err != nil {
				return ids, err
			}
		}
	}
	p = ids.translate(p)
	if from != nil {
		f := ids.translate(*from)
		from = &f
	}
	return ids, patchChanged(ctx, c.do, configurationsPath+Fido2ID, fido2ODataType, p, from)
}

// translate is p with every profile id as Graph holds it.
func (ids ProfileIDs) translate(p Fido2Policy) Fido2Policy {
	p.PasskeyProfiles = slices.Clone(p.PasskeyProfiles)
	for i := range p.PasskeyProfiles {
		p.PasskeyProfiles[i].ID = ids.of(p.PasskeyProfiles[i].ID)
	}
	if p.DefaultPasskeyProfile != nil {
		d := ids.of(*p.DefaultPasskeyProfile)
		p.DefaultPasskeyProfile = &d
	}
	p.IncludeTargets = slices.Clone(p.IncludeTargets)
	for i, t := range p.IncludeTargets {
		allowed := make([]string, len(t.AllowedPasskeyProfiles))
		for j, id := range t.AllowedPasskeyProfiles {
			allowed[j] = ids.of(id)
		}
		p.IncludeTargets[i].AllowedPasskeyProfiles = allowed
	}
	return p
}

// addProfiles creates profiles, keeping the tenant's, before the PATCH that
// targets them: a target may name only profiles that exist. Graph's own
// example creates profiles without ids and targets them in a second PATCH;
// whether it keeps an id the client chose is not documented. So the profiles
// are sent with their ids, and again without when Graph refuses that; the
// ids Graph holds them under are then learnt by name.
func (c *Client) addProfiles(ctx context.Context, current, fresh []PasskeyProfile, ids ProfileIDs) error {
	body := func(withIDs bool) map[string]any {
		all := slices.Clone(current)
		for _, f := range fresh {
			if !withIDs {
				f.ID = ""
			}
			all = append(all, f)
		}
		return map[string]any{"@odata.type": fido2ODataType, "passkeyProfiles": all}
	}
	err := c.do(ctx, abs.PATCH, configurationsPath+Fido2ID, body(true), nil)
	if IsBadRequest(err) {
		err = c.do(ctx, abs.PATCH, configurationsPath+Fido2ID, body(false), nil)
	}
	if err != nil {
		return err
	}
	// The new profiles by their names, once a read shows them all.
	held := map[string]string{}
	all, err := Await(ctx, ConsistencyWait, func() (bool, error) {
		after, err := c.GetFido2Policy(ctx)
		if err != nil {
			return false, err
		}
		for _, f := range fresh {
			i := slices.IndexFunc(after.PasskeyProfiles, func(q PasskeyProfile) bool {
				return q.Name == f.Name && !slices.ContainsFunc(current, func(o PasskeyProfile) bool { return strings.EqualFold(o.ID, q.ID) })
			})
			if i < 0 {
				return false, nil
			}
			held[f.Name] = after.PasskeyProfiles[i].ID
		}
		return true, nil
	})
	switch {
	case err != nil:
		return err
	case !all:
		return fmt.Errorf("the new passkey profiles do not appear in the Fido2 policy %s after they were added", ConsistencyWait)
	}
	for _, f := range fresh {
		if got := held[f.Name]; !strings.EqualFold(got, f.ID) {
			ids[strings.ToLower(f.ID)] = got
		}
	}
	return nil
}

const fido2ODataType = "#microsoft.graph.fido2AuthenticationMethodConfiguration"

// ResetPolicy reverts a method configuration to the tenant defaults; Graph's
// DELETE on a configuration does that rather than remove it.
func (c *Client) ResetPolicy(ctx context.Context, id string) error {
	defer c.tapPolicy.forget()
	defer c.fido2Policy.forget()
	return c.do(ctx, abs.DELETE, configurationsPath+url.PathEscape(id), nil, nil)
}
