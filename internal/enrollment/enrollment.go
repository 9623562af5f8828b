// Package enrollment runs the passkey provisioning ceremony: creation options
// from Graph, a credential made and attested by an authenticator, a local
// check against the FIDO2 policy, and the registration posted to Graph.
package enrollment

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

// Request is one enrolment.
type Request struct {
	UserID      string
	DisplayName string
	// PIN unlocks the authenticator; it is passed to it and nowhere else.
	PIN string
	// Waiting is told, before the authenticator waits for a touch, which
	// user and which device are being enrolled.
	Waiting func(userName string)
	// TouchTimeout bounds each ceremony up to the registration: creation
	// options and the authenticator's touch. Zero: the challenge's lifetime.
	TouchTimeout time.Duration
}

// Result is a completed enrolment.
type Result struct {
	Method       *graph.Fido2Method
	CredentialID []byte
	// Credential is the registration as posted to Graph.
	Credential graph.PublicKeyCredential
	// AAGUID is the key's model; Attested says whether the key gave an
	// attestation (whose trust only Graph can judge).
	AAGUID   string
	Attested bool
	// Warnings are things the caller should pass on, such as a policy that
	// could not be read for the local check.
	Warnings []string
}

// LookupWait bounds how long a registration whose answer was lost is looked
// for: a user's list of methods can lag behind a registration Graph
// committed, so one look is not enough to conclude there is none.
var LookupWait = 20 * time.Second

// Enroll runs the ceremony with a. A failure at any step leaves nothing
// registered; a retry starts again with a fresh challenge. When the
// registration got no answer (a reset, a timeout, a 5xx), Graph may have
// registered the key: it is looked for, and only when none appears is the
// ceremony run again (the key asks for another touch), up to three times.
func Enroll(ctx context.Context, c *graph.Client, a authenticator.Authenticator, req Request) (*Result, error) {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var res *Result
		if res, err = enrollOnce(ctx, c, a, req); !errors.Is(err, errLost) {
			return res, err
		}
	}
	return nil, err
}

// errLost marks a registration whose answer was lost and which Graph does
// not hold.
var errLost = errors.New("the registration's answer was lost")

func enrollOnce(ctx context.Context, c *graph.Client, a authenticator.Authenticator, req Request) (*Result, error) {
	touch, cancel := context.WithCancel(ctx)
	if req.TouchTimeout > 0 {
		touch, cancel = context.WithTimeout(ctx, req.TouchTimeout)
	}
	policy, userID, groups, policyErr := policyFor(ctx, c, req.UserID)
	res, err := Attest(touch, c, a, req)
	cancel()
	if err != nil {
		return nil, err
	}
	if policyErr != nil {
		res.Warnings = append(res.Warnings, "The key was not checked against the FIDO2 policy before registering (Graph checks it anyway): "+policyErr.Error())
	} else if err := Check(policy, userID, groups, res.AAGUID, res.Attested); err != nil {
		return nil, err
	}
	// What the user held before: a registration that appears beside these
	// after a lost answer can be told from the ones that were there.
	before, listErr := c.ListFido2Methods(ctx, req.UserID)
	m, err := c.RegisterFido2Method(ctx, req.UserID, req.DisplayName, res.Credential)
	if err == nil {
		res.Method = m
		return res, nil
	}
	if !graph.MaybeDone(err) {
		return nil, fmt.Errorf("registering the key for %s: %w", req.UserID, err)
	}
	// The challenge is spent: a registration is never sent twice. Look
	// for it, on a context of its own: the caller's may be what ended.
	look, cancelLook := context.WithTimeout(context.WithoutCancel(ctx), LookupWait+time.Minute)
	defer cancelLook()
	found, ferr := findRegistration(look, c, req, res, before, listErr == nil)
	switch {
	case ferr != nil:
		return nil, fmt.Errorf("registering the key for %s: %w; then %w", req.UserID, err, ferr)
	case found != nil:
		res.Method = found
		return res, nil
	}
	return nil, fmt.Errorf("registering the key for %s: %w (%w). No such registration appeared for the user within %s, so none was made",
		req.UserID, err, errLost, LookupWait)
}

// findRegistration looks, until LookupWait has passed, for the registration
// this enrolment posted. A method whose id names the credential is it. Else,
// when the user's methods were listed before the post (listed, before), a
// method that is new since, with this display name and model, is it if it is
// the only one: two such, and it cannot be told from a concurrent
// enrolment's, so neither is adopted.
func findRegistration(ctx context.Context, c *graph.Client, req Request, res *Result, before []graph.Fido2Method, listed bool) (*graph.Fido2Method, error) {
	var found *graph.Fido2Method
	_, err := graph.Await(ctx, LookupWait, func() (bool, error) {
		methods, err := c.ListFido2Methods(ctx, req.UserID)
		if err != nil {
			return false, nil // a failed look is no answer: look again
		}
		var fresh []graph.Fido2Method
		for _, m := range methods {
			if namesCredential(m.ID, res.CredentialID) {
				found = &m
				return true, nil
			}
			isNew := !slices.ContainsFunc(before, func(k graph.Fido2Method) bool { return k.ID == m.ID })
			if listed && isNew && m.DisplayName == req.DisplayName && strings.EqualFold(m.AAGUID, res.AAGUID) {
				fresh = append(fresh, m)
			}
		}
		switch len(fresh) {
		case 0:
			return false, nil
		case 1:
			found = &fresh[0]
			return true, nil
		}
		return false, fmt.Errorf("%d registrations named %q of this model appeared for the user meanwhile, and which one is this key's cannot be told: "+
			"import the right one (entra_fido2_methods lists them) rather than enrol again", len(fresh), req.DisplayName)
	})
	return found, err
}

// namesCredential reports whether a FIDO2 method id is its credential id in
// base64url, as Graph's ids appear to be: without padding, optionally
// followed by the count of padding characters left off. Graph's reference
// calls the id opaque, so a mismatch proves nothing.
func namesCredential(methodID string, credentialID []byte) bool {
	if len(credentialID) == 0 {
		return false
	}
	want := webauthn.Encode(credentialID)
	if methodID == want {
		return true
	}
	n := len(methodID)
	return n > 0 && methodID[:n-1] == want && methodID[n-1] >= '0' && methodID[n-1] <= '2'
}

// Attest runs the ceremony up to the registration: creation options from
// Graph and a credential from a, ready to post (or to hand to
// entra_fido2_method). Enroll checks it against the policy before posting.
func Attest(ctx context.Context, c *graph.Client, a authenticator.Authenticator, req Request) (*Result, error) {
	res := &Result{}
	opts, err := c.GetFido2CreationOptions(ctx, req.UserID)
	if err != nil {
		return nil, fmt.Errorf("getting WebAuthn creation options for %s: %w", req.UserID, err)
	}
	pk := opts.PublicKey
	userHandle, err := webauthn.Decode(pk.User.ID)
	if err != nil {
		return nil, fmt.Errorf("creation options carry an undecodable user id: %w", err)
	}
	var exclude [][]byte
	for _, ex := range pk.ExcludeCredentials {
		if id, err := webauthn.Decode(ex.ID); err == nil {
			exclude = append(exclude, id)
		}
	}
	var algs []int64
	for _, p := range pk.PubKeyCredParams {
		if p.Type == "public-key" {
			algs = append(algs, p.Alg)
		}
	}
	clientData := webauthn.NewClientDataJSON(pk.Challenge, pk.RP.ID)
	if req.Waiting != nil {
		req.Waiting(pk.User.Name)
	}
	cred, err := a.MakeCredential(ctx, authenticator.MakeCredentialRequest{
		ClientDataHash: webauthn.Hash(clientData), RPID: pk.RP.ID, RPName: pk.RP.Name,
		UserID: userHandle, UserName: pk.User.Name, UserDisplayName: pk.User.DisplayName,
		ExcludeList: exclude, PIN: req.PIN, Algorithms: algs,
		HMACSecret: pk.Extensions.HMACCreateSecret, CredProtect: credProtectLevels[pk.Extensions.CredentialProtectionPolicy],
	})
	if err != nil {
		return nil, err
	}
	obj, err := webauthn.ParseAttestationObject(cred.AttestationObject)
	if err != nil {
		return nil, err
	}
	ad, err := webauthn.ParseAuthenticatorData(obj.AuthData)
	if err != nil {
		return nil, err
	}
	res.Attested = obj.Format == "packed" && len(obj.AttStmt.X5C) > 0
	if res.Credential.ClientExtensionResults, err = extensionResults(pk.Extensions.HMACCreateSecret, credProtectLevels[pk.Extensions.CredentialProtectionPolicy],
		pk.Extensions.EnforceCredentialProtectionPolicy, ad.Extensions); err != nil {
		return nil, err
	}
	res.Credential.ID = webauthn.Encode(cred.ID)
	res.Credential.Response.ClientDataJSON = webauthn.Encode(clientData)
	res.Credential.Response.AttestationObject = webauthn.Encode(cred.AttestationObject)
	res.CredentialID, res.AAGUID = cred.ID, webauthn.FormatAAGUID(ad.AAGUID)
	return res, nil
}

// credProtectLevels are WebAuthn's credential protection policies by their
// CTAP levels.
var credProtectLevels = map[string]int{"userVerificationOptional": 1, "userVerificationOptionalWithCredentialIDList": 2, "userVerificationRequired": 3}

// extensionResults are the client extension outputs a WebAuthn client
// reports for the extensions asked for, from what the authenticator's data
// says it did. A protection level above 1 that was enforced and not given
// fails the ceremony, as WebAuthn requires (level 1 is every credential's).
func extensionResults(hmacAsked bool, level int, enforced bool, outputs map[string]any) (map[string]any, error) {
	out := map[string]any{}
	if hmacAsked {
		made, _ := outputs["hmac-secret"].(bool)
		out["hmacCreateSecret"] = made
	}
	if level > 0 {
		got, _ := outputs["credProtect"].(uint64)
		if got > 0 {
			out["credProtect"] = got
		}
		if enforced && level > 1 && int(got) < level {
			return nil, fmt.Errorf("the authenticator cannot protect the credential at the level Graph requires (credProtect %d)", level)
		}
	}
	return out, nil
}

// policyFor reads what the local check needs: the policy, the user's object
// id (user targets name it, while user_id may be a UPN) and their groups.
func policyFor(ctx context.Context, c *graph.Client, user string) (*graph.Fido2Policy, string, []string, error) {
	p, err := c.CachedFido2Policy(ctx)
	if err != nil {
		return nil, "", nil, err
	}
	u, err := c.GetUser(ctx, user)
	if err != nil {
		return nil, "", nil, err
	}
	groups, err := c.ListUserGroupIDs(ctx, user)
	if err != nil {
		return nil, "", nil, err
	}
	return p, u.ID, groups, nil
}

// Check applies the FIDO2 policy to a key the way Entra does: the passkey
// profiles of the include targets that cover the user (else the default
// profile; on a tenant without profiles, the legacy settings), any one of
// which may allow it. attested says whether the key gave a certificate-backed
// attestation; whether Entra trusts its vendor is for Graph to decide.
func Check(p *graph.Fido2Policy, user string, groups []string, aaguid string, attested bool) error {
	covers := func(id string) bool {
		return id == "all_users" || strings.EqualFold(id, user) ||
			slices.ContainsFunc(groups, func(g string) bool { return strings.EqualFold(g, id) })
	}
	if p.State != "enabled" {
		return fmt.Errorf("the FIDO2 policy is disabled: no security key can be registered")
	}
	for _, t := range p.ExcludeTargets {
		if covers(t.ID) {
			return fmt.Errorf("the FIDO2 policy excludes %s (exclude target %s)", user, t.ID)
		}
	}
	var profiles []graph.PasskeyProfile
	if p.DefaultPasskeyProfile == nil {
		kr := graph.KeyRestrictions{}
		if p.KeyRestrictions != nil {
			kr = *p.KeyRestrictions
		}
		enforcement := "disabled"
		if p.IsAttestationEnforced != nil && *p.IsAttestationEnforced {
			enforcement = "registrationOnly"
		}
		profiles = []graph.PasskeyProfile{{Name: "tenant-wide FIDO2 settings", PasskeyTypes: "deviceBound,synced", AttestationEnforcement: enforcement, KeyRestrictions: kr}}
	} else {
		// Each covering target brings its allowed profiles, or the default
		// profile when it names none.
		allowed := map[string]bool{}
		for _, t := range p.IncludeTargets {
			if !covers(t.ID) {
				continue
			}
			ids := t.AllowedPasskeyProfiles
			if len(ids) == 0 {
				ids = []string{*p.DefaultPasskeyProfile}
			}
			for _, id := range ids {
				allowed[strings.ToLower(id)] = true
			}
		}
		if len(allowed) == 0 {
			return fmt.Errorf("no include target of the FIDO2 policy covers %s", user)
		}
		for _, pp := range p.PasskeyProfiles {
			if allowed[strings.ToLower(pp.ID)] {
				profiles = append(profiles, pp)
			}
		}
	}
	var reasons []string
	for _, pp := range profiles {
		kr := pp.KeyRestrictions
		listed := slices.ContainsFunc(kr.AAGUIDs, func(g string) bool { return strings.EqualFold(g, aaguid) })
		reason := ""
		switch {
		case !strings.Contains(pp.PasskeyTypes, "deviceBound"):
			reason = "it allows synced passkeys only"
		case pp.AttestationEnforcement == "registrationOnly" && !attested:
			reason = "it requires attestation and the key gave none"
		case kr.IsEnforced && kr.EnforcementType == "allow" && !listed:
			reason = fmt.Sprintf("the key's AAGUID %s is not on its allow list", aaguid)
		case kr.IsEnforced && kr.EnforcementType == "block" && listed:
			reason = fmt.Sprintf("the key's AAGUID %s is on its block list", aaguid)
		}
		if reason == "" {
			return nil
		}
		reasons = append(reasons, fmt.Sprintf("passkey profile %q refuses it: %s", pp.Name, reason))
	}
	return fmt.Errorf("the FIDO2 policy does not allow this key for %s: %s", user, strings.Join(reasons, "; "))
}
