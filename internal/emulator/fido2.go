package emulator

import (
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"
)

// DefaultRPID is the relying party of the v1.0 reference's creation options
// example; real tenants have been seen returning login.microsoft.com
// (Options.RPID). Clients must use whatever the call returns (graph-behaviour.md#fido2-registrations).
const DefaultRPID = "login.microsoftonline.com"

// challengeLifetime is v1.0's fixed challenge timeout (graph-behaviour.md#fido2-registrations).
const challengeLifetime = 5 * time.Minute

type fido2Method struct {
	id               string
	displayName      string
	created          time.Time
	aaguid           string
	model            string
	attestationLevel string
	thumbprints      []string
	credentialID     []byte
	// hmacSecret and credProtect are the extension outputs it was made with.
	hmacSecret  bool
	credProtect uint64
}

type challenge struct {
	userID  string
	expires time.Time
}

// knownModels names a few authenticator models by AAGUID, as Entra's
// AAGUID table does; an unknown AAGUID has no model.
var knownModels = map[string]string{
	"cb69481e-8ff7-4039-93ec-0a2729a154a8": "YubiKey 5 Series",
	"ee882879-721c-4913-9775-3dfcce97072a": "YubiKey 5 Series with NFC",
}

func (m *fido2Method) render() map[string]any {
	return map[string]any{
		"@odata.type":             "#microsoft.graph.fido2AuthenticationMethod",
		"id":                      m.id,
		"displayName":             m.displayName,
		"createdDateTime":         timeOrNull(m.created),
		"aaGuid":                  m.aaguid,
		"model":                   m.model,
		"attestationCertificates": m.thumbprints,
		"attestationLevel":        m.attestationLevel,
		"passkeyType":             "deviceBound",
	}
}

func (e *Emulator) routeFido2(mux *http.ServeMux) {
	base := "/users/{user}/authentication/fido2Methods"
	mux.HandleFunc("GET "+base+"/creationOptions", e.creationOptions)
	mux.HandleFunc("GET "+base, e.userList(e.fido2Methods))
	mux.HandleFunc("POST "+base, e.registerFido2)
	mux.HandleFunc("GET "+base+"/{id}", e.getFido2)
	mux.HandleFunc("DELETE "+base+"/{id}", e.deleteFido2)
}

// userHandle is the stable WebAuthn user id Entra encodes for a user; it is
// not the object id (graph-behaviour.md#fido2-registrations).
func userHandle(u *User) []byte {
	sum := sha1.Sum([]byte("entra-user-handle:" + u.ID))
	return sum[:]
}

// creationOptions issues WebAuthn creation options with a fresh challenge
// that lives five minutes. Existing credentials are listed in standard
// padded base64, as real tenants send them.
func (e *Emulator) creationOptions(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.user(w, r)
	if u == nil {
		return
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw)
	ch := base64.RawURLEncoding.EncodeToString(raw)
	expires := e.now().Add(challengeLifetime)
	e.challenges[ch] = challenge{userID: u.ID, expires: expires}
	exclude := []any{}
	for _, m := range e.fido2[u.ID] {
		exclude = append(exclude, map[string]any{"type": "public-key", "id": base64.StdEncoding.EncodeToString(m.credentialID), "transports": []string{}})
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context":           "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.webauthnCredentialCreationOptions",
		"challengeTimeoutDateTime": expires.Format(time.RFC3339),
		"publicKey": map[string]any{
			"challenge":   ch,
			"timeout":     60000,
			"attestation": "direct",
			"rp":          map[string]any{"id": e.rpID, "name": "Microsoft"},
			"user": map[string]any{"id": base64.RawURLEncoding.EncodeToString(userHandle(u)),
				"name": u.UserPrincipalName, "displayName": u.DisplayName},
			"pubKeyCredParams":       []any{map[string]any{"type": "public-key", "alg": -7}, map[string]any{"type": "public-key", "alg": -257}},
			"excludeCredentials":     exclude,
			"authenticatorSelection": map[string]any{"authenticatorAttachment": "cross-platform", "requireResidentKey": true, "userVerification": "required"},
			// As a real tenant answers (and as Graph's registration reference
			// echoes them in clientExtensionResults): hmac-secret, and
			// credential protection at level 1, enforced.
			"extensions": map[string]any{"hmacCreateSecret": true, "credentialProtectionPolicy": "userVerificationOptional", "enforceCredentialProtectionPolicy": true},
		},
	})
}

// fido2Methods lists a user's FIDO2 registrations.
func (e *Emulator) fido2Methods(u *User) []any {
	var out []any
	for _, m := range e.fido2[u.ID] {
		if !e.lagging(m.created) {
			out = append(out, m.render())
		}
	}
	return out
}

func (e *Emulator) fido2Method(w http.ResponseWriter, r *http.Request) (*User, int) {
	u := e.user(w, r)
	if u == nil {
		return nil, -1
	}
	for i, m := range e.fido2[u.ID] {
		if m.id == r.PathValue("id") && !(r.Method == http.MethodGet && e.lagging(m.created)) {
			return u, i
		}
	}
	writeError(w, http.StatusNotFound, "itemNotFound", fmt.Sprintf("The FIDO2 method '%s' was not found for the user.", r.PathValue("id")))
	return nil, -1
}

func (e *Emulator) getFido2(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u, i := e.fido2Method(w, r); u != nil {
		writeJSON(w, http.StatusOK, e.fido2[u.ID][i].render())
	}
}

func (e *Emulator) deleteFido2(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u, i := e.fido2Method(w, r); u != nil {
		e.fido2[u.ID] = slices.Delete(e.fido2[u.ID], i, i+1)
		w.WriteHeader(http.StatusNoContent)
	}
}

type registration struct {
	DisplayName         string `json:"displayName"`
	PublicKeyCredential *struct {
		ID       string `json:"id"`
		Response struct {
			ClientDataJSON    string `json:"clientDataJSON"`
			AttestationObject string `json:"attestationObject"`
		} `json:"response"`
		ClientExtensionResults map[string]any `json:"clientExtensionResults"`
	} `json:"publicKeyCredential"`
}

// registerFido2 verifies a registration as Entra does: the policy allows
// provisioning for the user, the challenge is one we issued for this user and
// has not expired, the credential verifies (go-webauthn, an implementation
// independent of the provider's), the format is packed or none, and the
// passkey profile that applies to the user accepts its attestation and
// AAGUID. Every refusal is a 400 OData error; the codes are UNCONFIRMED.
func (e *Emulator) registerFido2(w http.ResponseWriter, r *http.Request) {
	var reg registration
	if err := json.NewDecoder(r.Body).Decode(&reg); err != nil || reg.DisplayName == "" || reg.PublicKeyCredential == nil {
		badRequest(w, "The request is missing a fido2AuthenticationMethod entity with a displayName and publicKeyCredential in the request body. All other properties will be ignored.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.enrollee(w, r, "Fido2")
	if u == nil {
		return
	}
	pol := e.policies.fido2
	if !pol.IsSelfServiceRegistrationAllowed {
		badRequest(w, "Provisioning passkeys requires isSelfServiceRegistrationAllowed to be true in the Fido2 policy.")
		return
	}
	cred := reg.PublicKeyCredential
	// Graph's reference: every binary value base64url without padding.
	// Whether Graph also takes standard base64 is not documented; the
	// emulator takes the reference at its word.
	for name, v := range map[string]string{"id": cred.ID, "clientDataJSON": cred.Response.ClientDataJSON, "attestationObject": cred.Response.AttestationObject} {
		if strings.ContainsAny(v, "+/=") {
			badRequest(w, fmt.Sprintf("Invalid publicKeyCredential: %s must be base64url encoded without padding.", name))
			return
		}
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(mustJSON(map[string]any{
		"id": cred.ID, "rawId": cred.ID, "type": "public-key",
		"response": map[string]any{"clientDataJSON": cred.Response.ClientDataJSON, "attestationObject": cred.Response.AttestationObject},
	}))
	if err != nil {
		badRequest(w, "Invalid publicKeyCredential: "+describe(err))
		return
	}
	ch := parsed.Response.CollectedClientData.Challenge
	issued, ok := e.challenges[ch]
	if !ok || issued.userID != u.ID {
		badRequest(w, "The challenge in clientDataJSON was not issued for this user.")
		return
	}
	if !e.now().Before(issued.expires) {
		badRequest(w, "The challenge has expired: request new creation options.")
		return
	}
	if _, err := parsed.Verify(ch, e.rpID, []string{"https://" + e.rpID}, nil, nil, protocol.TopOriginImplicitVerificationMode,
		false, true, true, nil, []protocol.CredentialParameter{
			{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgES256},
			{Type: protocol.PublicKeyCredentialType, Algorithm: webauthncose.AlgRS256},
		}, protocol.AttestationPolicy{}, protocol.SignaturePolicy{}); err != nil {
		badRequest(w, "The passkey registration could not be verified: "+describe(err))
		return
	}
	att := parsed.Response.AttestationObject
	if att.Format != "packed" && att.Format != "none" {
		badRequest(w, fmt.Sprintf("Attestation format '%s' is not supported: only packed and none are.", att.Format))
		return
	}
	hmacSecret, credProtect, msg := extensionOutputs(att.AuthData, cred.ClientExtensionResults)
	if msg != "" {
		badRequest(w, msg)
		return
	}
	aaguid := formatGUID(att.AuthData.AttData.AAGUID)
	attested, thumbprints := e.attested(att)
	if msg := e.profileRefusal(u, aaguid, attested); msg != "" {
		badRequest(w, msg)
		return
	}
	delete(e.challenges, ch)
	m := &fido2Method{
		id:          e.methodID(att.AuthData.AttData.CredentialID),
		displayName: reg.DisplayName, created: e.now(), aaguid: aaguid, model: e.models[aaguid],
		attestationLevel: map[bool]string{true: "attested", false: "notAttested"}[attested],
		thumbprints:      thumbprints, credentialID: att.AuthData.AttData.CredentialID,
		hmacSecret: hmacSecret, credProtect: credProtect,
	}
	e.fido2[u.ID] = append(e.fido2[u.ID], m)
	writeJSON(w, http.StatusCreated, m.render())
}

// extensionOutputs reads the authenticator's extension outputs and holds the
// client's report of them (clientExtensionResults, which Graph's captured
// registrations carry as {credProtect: 1, hmacCreateSecret: true}) to them:
// a client that claims what the authenticator did not do, or hides what it
// did, is refused. The refusal's wording is the emulator's own.
func extensionOutputs(ad protocol.AuthenticatorData, results map[string]any) (bool, uint64, string) {
	outputs := map[string]any{}
	if ad.Flags.HasExtensions() && len(ad.ExtData) > 0 {
		if err := cbor.Unmarshal(ad.ExtData, &outputs); err != nil {
			return false, 0, "The authenticator's extension outputs are not valid CBOR."
		}
	}
	hmacSecret, _ := outputs["hmac-secret"].(bool)
	credProtect, _ := outputs["credProtect"].(uint64)
	claimedHMAC, _ := results["hmacCreateSecret"].(bool)
	claimedLevel, _ := results["credProtect"].(float64)
	switch {
	case claimedHMAC != hmacSecret:
		return false, 0, fmt.Sprintf("clientExtensionResults.hmacCreateSecret is %t, but the authenticator data says %t.", claimedHMAC, hmacSecret)
	case uint64(claimedLevel) != credProtect:
		return false, 0, fmt.Sprintf("clientExtensionResults.credProtect is %v, but the authenticator data says %d.", results["credProtect"], credProtect)
	}
	return hmacSecret, credProtect, ""
}

// Fido2Extensions says with which extension outputs a registration was made:
// hmac-secret, and the credProtect level (0: none reported).
func (e *Emulator) Fido2Extensions(userID, methodID string) (hmacSecret bool, credProtect int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, m := range e.fido2[userID] {
		if m.id == methodID {
			return m.hmacSecret, int(m.credProtect)
		}
	}
	return false, 0
}

// attested reports whether a packed statement's certificate chains to a CA
// the tenant trusts, with the chain's SHA-1 thumbprints.
func (e *Emulator) attested(att protocol.AttestationObject) (bool, []string) {
	raw, _ := att.AttStatement["x5c"].([]any)
	var certs []*x509.Certificate
	thumbprints := []string{}
	for _, c := range raw {
		der, _ := c.([]byte)
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			return false, thumbprints
		}
		sum := sha1.Sum(der)
		thumbprints = append(thumbprints, hex.EncodeToString(sum[:]))
		certs = append(certs, cert)
	}
	if len(certs) == 0 || e.trusted == nil {
		return false, thumbprints
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{Roots: e.trusted, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	return err == nil, thumbprints
}

// profileRefusal applies the passkey profiles that cover the user (their
// include targets' allowed profiles, else the default): the passkey is
// allowed if any one allows it. On a tenant without profiles the legacy
// settings apply. It returns why the passkey is refused, or "".
func (e *Emulator) profileRefusal(u *User, aaguid string, attested bool) string {
	pol := e.policies.fido2
	var profiles []passkeyProfile
	if !pol.migrated() {
		enforcement := map[bool]string{true: "registrationOnly", false: "disabled"}[pol.IsAttestationEnforced]
		profiles = []passkeyProfile{{Name: "tenant-wide FIDO2 settings", PasskeyTypes: "deviceBound,synced", AttestationEnforcement: enforcement, KeyRestrictions: pol.KeyRestrictions}}
	} else {
		// Each target covering the user brings its allowed profiles, or the
		// default profile when it names none.
		ids := map[string]bool{}
		for _, t := range pol.IncludeTargets {
			if !u.memberOf(t.ID) {
				continue
			}
			if len(t.AllowedPasskeyProfiles) == 0 {
				ids[*pol.DefaultPasskeyProfile] = true
			}
			for _, id := range t.AllowedPasskeyProfiles {
				ids[id] = true
			}
		}
		for _, p := range pol.PasskeyProfiles {
			if ids[p.ID] {
				profiles = append(profiles, p)
			}
		}
	}
	var reasons []string
	for _, p := range profiles {
		reason := ""
		switch kr := p.KeyRestrictions; {
		case !strings.Contains(p.PasskeyTypes, "deviceBound"):
			reason = "it allows synced passkeys only"
		case p.AttestationEnforcement == "registrationOnly" && !attested:
			reason = "it requires attestation and the attestation is not from a trusted authenticator vendor"
		case kr.IsEnforced && kr.EnforcementType == "allow" && !slices.Contains(kr.AAGUIDs, aaguid):
			reason = fmt.Sprintf("AAGUID %s is not on its allow list", aaguid)
		case kr.IsEnforced && kr.EnforcementType == "block" && slices.Contains(kr.AAGUIDs, aaguid):
			reason = fmt.Sprintf("AAGUID %s is on its block list", aaguid)
		}
		if reason == "" {
			return ""
		}
		reasons = append(reasons, fmt.Sprintf("passkey profile '%s': %s", p.Name, reason))
	}
	return "The passkey is not allowed by the FIDO2 policy: " + strings.Join(reasons, "; ") + "."
}

// methodID writes a credential id as Entra's method ids look: base64url
// without padding, then the number of padding characters left off
// (graph-behaviour.md#fido2-registrations).
func (e *Emulator) methodID(credentialID []byte) string {
	if e.opts.OpaqueMethodIDs {
		return newID()
	}
	raw := base64.RawURLEncoding.EncodeToString(credentialID)
	return raw + strconv.Itoa(len(base64.URLEncoding.EncodeToString(credentialID))-len(raw))
}

// describe flattens go-webauthn's error with its details.
func describe(err error) string {
	if pe, ok := err.(*protocol.Error); ok {
		return strings.TrimSpace(pe.Details + " " + pe.DevInfo)
	}
	return err.Error()
}

func formatGUID(b []byte) string {
	if len(b) != 16 {
		return ""
	}
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// timeOrNull renders a time, or null for the zero time.
func timeOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.RFC3339Nano)
}

// ClearFido2MethodCreatedDateTime makes a registration's createdDateTime null. Graph's
// reference has the property nullable, as the password method shows it; a
// FIDO2 method without one is a key registered before the date was kept.
func (e *Emulator) ClearFido2MethodCreatedDateTime(userID, methodID string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, m := range e.fido2[userID] {
		if m.id == methodID {
			m.created = time.Time{}
		}
	}
}

// SeedFido2Method registers a key for a user directly, as if it had been
// registered long ago, for benchmarks and imports; it returns the method id.
func (e *Emulator) SeedFido2Method(userID, displayName, aaguid string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	cred := make([]byte, 32)
	_, _ = rand.Read(cred)
	m := &fido2Method{id: e.methodID(cred), displayName: displayName, created: e.now(), aaguid: aaguid,
		model: e.models[aaguid], attestationLevel: "attested", thumbprints: []string{}, credentialID: cred}
	e.fido2[userID] = append(e.fido2[userID], m)
	return m.id
}
