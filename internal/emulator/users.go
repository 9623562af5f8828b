package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// User is a directory user of the emulated tenant.
type User struct {
	ID                string
	UserPrincipalName string
	DisplayName       string
	// Groups are the object ids of the groups the user is a member of.
	Groups []string
}

// PilotGroupID is the group the seeded user Adele belongs to.
const PilotGroupID = "5c1b9e2a-7f3d-4a8e-9b6c-2d4e6f8a0b1c"

// BreakGlassGroupID is the seeded emergency access accounts' group.
const BreakGlassGroupID = "e3b5f1c2-9d8a-4f6b-8c7d-1a2b3c4d5e6f"

// Group is a directory group of the emulated tenant.
type Group struct {
	ID, DisplayName string
}

// SeedGroups are the groups a new emulator holds when Options.Groups is nil:
// those the examples, guides and tests name as method policy targets.
var SeedGroups = []Group{
	{PilotGroupID, "Passkey pilot"},
	{BreakGlassGroupID, "Break-glass accounts"},
	{"9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b", "Emergency access (legacy)"},
	{"11111111-1111-1111-1111-111111111111", "Pilot users"},
	{"22222222-2222-2222-2222-222222222222", "Emergency access"},
	{"33333333-3333-3333-3333-333333333333", "Contractors"},
	{"aaaaaaaa-1111-1111-1111-111111111111", "Helpdesk"},
	{"bbbbbbbb-2222-2222-2222-222222222222", "Service accounts"},
}

// SeedUsers are the users a new emulator holds when Options.Users is nil.
var SeedUsers = []User{
	{ID: "a2f1c6d4-0b1e-4c7a-9f3e-1d2c3b4a5f60", UserPrincipalName: "adele.vance@contoso.example", DisplayName: "Adele Vance", Groups: []string{PilotGroupID}},
	{ID: "b3e2d7c5-1c2f-4d8b-8e4f-2e3d4c5b6a71", UserPrincipalName: "megan.bowen@contoso.example", DisplayName: "Megan Bowen"},
	{ID: "c4d3e8f6-2d3a-4e9c-9f5a-3f4e5d6c7b82", UserPrincipalName: "alex.wilber@contoso.example", DisplayName: "Alex Wilber"},
}

// passwordMethodID is the fixed id of every user's password method
// (graph-behaviour.md#all-of-a-users-methods).
const passwordMethodID = "28c10230-6103-485e-b985-444c60001490"

// Now is the emulator's clock: real time moved by Advance, so tests can
// expire a pass without waiting.
func (e *Emulator) Now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now()
}

func (e *Emulator) now() time.Time { return time.Now().UTC().Add(e.clockOffset) }

// Advance moves the emulator's clock forward.
func (e *Emulator) Advance(d time.Duration) {
	e.mu.Lock()
	e.clockOffset += d
	e.mu.Unlock()
}

// postClock lets a standalone emulator's user move the clock:
// curl -H "Authorization: Bearer $TOKEN" -X POST $URL/_emulator/clock -d '{"advance_minutes":90}'.
func (e *Emulator) postClock(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AdvanceMinutes int `json:"advance_minutes"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.AdvanceMinutes <= 0 {
		badRequest(w, "the clock takes a JSON body with a positive advance_minutes")
		return
	}
	e.Advance(time.Duration(body.AdvanceMinutes) * time.Minute)
	writeJSON(w, http.StatusOK, map[string]any{"now": e.Now().Format(time.RFC3339)})
}

// user resolves {id} as an object id or a user principal name, or writes
// Graph's 404 for a missing directory object. The caller holds e.mu.
func (e *Emulator) user(w http.ResponseWriter, r *http.Request) *User {
	key := r.PathValue("user")
	for i := range e.users {
		if strings.EqualFold(e.users[i].ID, key) || strings.EqualFold(e.users[i].UserPrincipalName, key) {
			return &e.users[i]
		}
	}
	writeError(w, http.StatusNotFound, "Request_ResourceNotFound",
		fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", key))
	return nil
}

func (u *User) memberOf(targetID string) bool {
	if targetID == "all_users" || strings.EqualFold(targetID, u.ID) {
		return true
	}
	for _, g := range u.Groups {
		if strings.EqualFold(g, targetID) {
			return true
		}
	}
	return false
}

// targeted reports whether a method policy's targets cover u: an include
// target names the user or one of their groups, and no exclusion does.
func (u *User) targeted(include []target, exclude []excludeTarget) bool {
	for _, t := range exclude {
		if u.memberOf(t.ID) {
			return false
		}
	}
	for _, t := range include {
		if u.memberOf(t.ID) {
			return true
		}
	}
	return false
}

func (e *Emulator) routeUsers(mux *http.ServeMux) {
	mux.HandleFunc("GET /users/{user}/authentication/methods", e.userList(e.methods))
	mux.HandleFunc("GET /users/{user}/transitiveMemberOf", e.userList(groups))
	mux.HandleFunc("GET /users/{user}", e.getUser)
	mux.HandleFunc("POST /users/{user}/authentication/temporaryAccessPassMethods", e.createTAP)
	mux.HandleFunc("GET /users/{user}/authentication/temporaryAccessPassMethods", e.userList(e.passes))
	mux.HandleFunc("GET /users/{user}/authentication/temporaryAccessPassMethods/{id}", e.withTAP(e.getTAP))
	mux.HandleFunc("DELETE /users/{user}/authentication/temporaryAccessPassMethods/{id}", e.withTAP(e.deleteTAP))
}

// pageSize is how many items a collection page holds, as Graph's default
// for directory collections.
const pageSize = 100

// userList answers a GET of a user's collection, {"value": [...]}, a page
// at a time.
func (e *Emulator) userList(items func(u *User) []any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		u := e.user(w, r)
		if u == nil {
			return
		}
		e.writePage(w, r, items(u))
	}
}

// writePage answers a collection GET with one page of value, and an
// @odata.nextLink (its $skiptoken is the offset here; Graph's is opaque)
// when more follow.
func (e *Emulator) writePage(w http.ResponseWriter, r *http.Request, value []any) {
	skip, _ := strconv.Atoi(r.URL.Query().Get("$skiptoken"))
	skip = min(max(skip, 0), len(value))
	page := map[string]any{"value": append([]any{}, value[skip:min(skip+pageSize, len(value))]...)}
	if skip+pageSize < len(value) {
		version := "/v1.0"
		if isBeta(r) {
			version = "/beta"
		}
		page["@odata.nextLink"] = fmt.Sprintf("%s%s%s?$skiptoken=%d", e.URL(), version, r.URL.Path, skip+pageSize)
	}
	writeJSON(w, http.StatusOK, page)
}

// methods lists all of a user's methods, each with its @odata.type: the Go
// SDK decodes an element without one as the base type.
func (e *Emulator) methods(u *User) []any {
	out := []any{map[string]any{
		"@odata.type": "#microsoft.graph.passwordAuthenticationMethod", "id": passwordMethodID, "createdDateTime": nil,
	}}
	out = append(out, e.fido2Methods(u)...)
	out = append(out, e.userMethods(u)...)
	out = append(out, e.passes(u)...)
	if e.opts.SparseMethodList {
		for i, m := range out {
			full := m.(map[string]any)
			out[i] = map[string]any{"@odata.type": full["@odata.type"], "id": full["id"], "createdDateTime": full["createdDateTime"]}
		}
	}
	return out
}

// groups lists the groups a user belongs to (the emulator has no nested
// groups, so transitive membership is direct membership).
func groups(u *User) []any {
	var out []any
	for _, g := range u.Groups {
		out = append(out, map[string]any{"@odata.type": "#microsoft.graph.group", "id": g})
	}
	return out
}

// enrollee resolves the path's user for a new method ("TemporaryAccessPass",
// "Fido2", "QRCodePin" or "HardwareOath"), or writes the refusal Graph gives when that method's policy is
// disabled or does not target the user (message observed from Graph,
// graph-behaviour.md#temporary-access-passes; the 400 status is not documented). The caller holds
// e.mu.
func (e *Emulator) enrollee(w http.ResponseWriter, r *http.Request, method string) *User {
	u := e.user(w, r)
	if u == nil {
		return nil
	}
	p := e.policies
	policies := map[string]targetsConfig{
		"TemporaryAccessPass": {p.tap.State, p.tap.IncludeTargets, p.tap.ExcludeTargets},
		"Fido2":               {p.fido2.State, p.fido2.IncludeTargets, p.fido2.ExcludeTargets},
		"QRCodePin":           {p.qrCodePin.State, p.qrCodePin.IncludeTargets, p.qrCodePin.ExcludeTargets},
		"HardwareOath":        p.hardwareOath,
	}
	if pol := policies[method]; pol.State != "enabled" || !u.targeted(pol.IncludeTargets, pol.ExcludeTargets) {
		badRequest(w, "Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType ["+method+"].")
		return nil
	}
	return u
}

// GenerateUsers makes n users, user0001@contoso.example and on, for load
// tests and benchmarks.
func GenerateUsers(n int) []User {
	out := make([]User, n)
	for i := range out {
		out[i] = User{
			ID:                fmt.Sprintf("%08x-0000-4000-8000-%012x", i+1, i+1),
			UserPrincipalName: fmt.Sprintf("user%04d@contoso.example", i+1),
			DisplayName:       fmt.Sprintf("User %d", i+1),
		}
	}
	return out
}

func (e *Emulator) getUser(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if u := e.user(w, r); u != nil {
		writeJSON(w, http.StatusOK, map[string]any{
			"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users/$entity",
			"id":             u.ID, "userPrincipalName": u.UserPrincipalName, "displayName": u.DisplayName,
		})
	}
}
