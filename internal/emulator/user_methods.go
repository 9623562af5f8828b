package emulator

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// A user's phone and email methods, and the methods users register
// themselves (Microsoft Authenticator, software OATH, Windows Hello for
// Business, platform credentials), which Graph reads and deletes but cannot
// create (graph-behaviour.md#phone-and-email-methods,
// graph-behaviour.md#methods-users-register).

// phoneIDs are the ids of a user's phones: Graph gives the phone of each
// type the same id in every tenant.
var phoneIDs = map[string]string{
	"mobile":          "3179e48a-750b-4051-897c-87b9720928f7",
	"alternateMobile": "b6332ec1-7057-4abe-9331-3d72feddfe41",
	"office":          "e37fc753-ff3b-4958-9484-eaa9425c82bc",
}

// emailMethodID is the id of every user's one email method.
const emailMethodID = "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"

// phoneNumberFormat is Graph's documented form: +{country code} {number},
// then optionally x{extension}.
var phoneNumberFormat = regexp.MustCompile(`^\+[0-9]{1,3} [0-9]{4,15}(x[0-9]{1,10})?$`)

type phoneMethod struct {
	number, phoneType string
	smsSignIn         bool
	created           time.Time
}

type emailMethod struct {
	address string
	created time.Time
}

// HeldMethod is a method a user registered themselves; tests and the demo
// seed them with AddHeldMethod.
type HeldMethod struct {
	// Kind is the collection's type: "microsoftAuthenticator",
	// "softwareOath", "windowsHelloForBusiness" or "platformCredential".
	Kind string
	ID   string
	// Properties are the method's other properties, as Graph returns them
	// (displayName, deviceTag, keyStrength, ...).
	Properties map[string]any
	Created    time.Time
}

// heldKinds are the collections of methods users register themselves.
var heldKinds = []string{"microsoftAuthenticator", "softwareOath", "windowsHelloForBusiness", "platformCredential"}

// AddHeldMethod gives a user a method they registered themselves.
func (e *Emulator) AddHeldMethod(userID string, m HeldMethod) {
	if !slices.Contains(heldKinds, m.Kind) {
		panic("emulator: no method kind " + m.Kind)
	}
	if m.ID == "" {
		m.ID = newID()
	}
	if m.Created.IsZero() {
		m.Created = e.Now().Add(-24 * time.Hour)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.held[userID] = append(e.held[userID], &m)
}

func (e *Emulator) routeUserMethods(mux *http.ServeMux) {
	base := "/users/{user}/authentication/"
	mux.HandleFunc("GET "+base+"phoneMethods", e.userList(e.phoneList))
	mux.HandleFunc("POST "+base+"phoneMethods", e.createPhone)
	mux.HandleFunc("GET "+base+"phoneMethods/{id}", e.withPhone(func(w http.ResponseWriter, _ *http.Request, u *User, p *phoneMethod) {
		writeJSON(w, http.StatusOK, e.renderPhone(u, p))
	}))
	mux.HandleFunc("PATCH "+base+"phoneMethods/{id}", e.withPhone(e.patchPhone))
	mux.HandleFunc("DELETE "+base+"phoneMethods/{id}", e.withPhone(e.deletePhone))
	mux.HandleFunc("POST "+base+"phoneMethods/{id}/enableSmsSignIn", e.withPhone(e.enableSmsSignIn))
	mux.HandleFunc("POST "+base+"phoneMethods/{id}/disableSmsSignIn", e.withPhone(func(w http.ResponseWriter, _ *http.Request, _ *User, p *phoneMethod) {
		p.smsSignIn = false
		w.WriteHeader(http.StatusNoContent)
	}))

	mux.HandleFunc("GET "+base+"emailMethods", e.userList(e.emailList))
	mux.HandleFunc("POST "+base+"emailMethods", e.createEmail)
	mux.HandleFunc("GET "+base+"emailMethods/{id}", e.withEmail(func(w http.ResponseWriter, _ *http.Request, _ *User, m *emailMethod) {
		writeJSON(w, http.StatusOK, renderEmail(m))
	}))
	mux.HandleFunc("PATCH "+base+"emailMethods/{id}", e.withEmail(e.patchEmail))
	mux.HandleFunc("DELETE "+base+"emailMethods/{id}", e.withEmail(func(w http.ResponseWriter, _ *http.Request, u *User, _ *emailMethod) {
		delete(e.emails, u.ID)
		w.WriteHeader(http.StatusNoContent)
	}))

	for _, kind := range heldKinds {
		mux.HandleFunc("GET "+base+kind+"Methods", e.userList(func(u *User) []any { return e.heldList(u, kind) }))
		mux.HandleFunc("GET "+base+kind+"Methods/{id}", e.withHeld(kind, func(w http.ResponseWriter, _ *http.Request, _ *User, m *HeldMethod) {
			writeJSON(w, http.StatusOK, renderHeld(m))
		}))
		mux.HandleFunc("DELETE "+base+kind+"Methods/{id}", e.withHeld(kind, func(w http.ResponseWriter, _ *http.Request, u *User, m *HeldMethod) {
			e.held[u.ID] = slices.DeleteFunc(e.held[u.ID], func(h *HeldMethod) bool { return h == m })
			w.WriteHeader(http.StatusNoContent)
		}))
	}
}

// phoneList lists a user's phones: mobile, alternate mobile, office.
func (e *Emulator) phoneList(u *User) []any {
	var out []any
	for _, t := range []string{"mobile", "alternateMobile", "office"} {
		if p := e.phones[u.ID][t]; p != nil && !e.lagging(p.created) {
			out = append(out, e.renderPhone(u, p))
		}
	}
	return out
}

// renderPhone is the phone as Graph returns it. With MaskedPhoneNumbers
// the number is masked, as Graph shows it to an Authentication
// Administrator: the country code and the last two characters stay.
func (e *Emulator) renderPhone(u *User, p *phoneMethod) map[string]any {
	number := p.number
	if e.opts.MaskedPhoneNumbers {
		cc, rest, _ := strings.Cut(number, " ")
		masked := []byte(rest)
		for i := range max(len(masked)-2, 0) {
			if masked[i] >= '0' && masked[i] <= '9' {
				masked[i] = 'X'
			}
		}
		number = cc + " " + string(masked)
	}
	return map[string]any{
		"@odata.type":    "#microsoft.graph.phoneAuthenticationMethod",
		"id":             phoneIDs[p.phoneType],
		"phoneNumber":    number,
		"phoneType":      p.phoneType,
		"smsSignInState": e.smsSignInState(u, p),
	}
}

// smsSignInState follows the documented states: only a mobile phone
// supports SMS sign-in, the SMS policy must allow the user to sign in with
// it, and no one else may use the number for it.
func (e *Emulator) smsSignInState(u *User, p *phoneMethod) string {
	switch {
	case p.phoneType != "mobile":
		return "notSupported"
	case !e.smsSignInAllowed(u):
		return "notAllowedByPolicy"
	case !p.smsSignIn:
		return "notEnabled"
	case e.smsNumberTaken(u, p.number):
		return "phoneNumberNotUnique"
	}
	return "ready"
}

// smsSignInAllowed reports whether the SMS policy lets u sign in with a
// text message: enabled, and a target usable for sign-in covers u.
func (e *Emulator) smsSignInAllowed(u *User) bool {
	pol := e.policies.sms
	if pol.State != "enabled" {
		return false
	}
	var include []target
	for _, t := range pol.IncludeTargets {
		if t.IsUsableForSignIn {
			include = append(include, target{ID: t.ID})
		}
	}
	return u.targeted(include, pol.ExcludeTargets)
}

// smsNumberTaken reports whether another user signs in by SMS with number.
func (e *Emulator) smsNumberTaken(u *User, number string) bool {
	for id, phones := range e.phones {
		if id != u.ID && phones["mobile"] != nil && phones["mobile"].smsSignIn && phones["mobile"].number == number {
			return true
		}
	}
	return false
}

// phoneFields reads a create or update body, or writes Graph's 400.
func phoneFields(w http.ResponseWriter, r *http.Request) (number, phoneType *string, ok bool) {
	body, ok := readBody(w, r)
	if !ok {
		return nil, nil, false
	}
	err := applyFields(body, "phoneAuthenticationMethod", map[string]any{"phoneNumber": &number, "phoneType": &phoneType})
	if err == nil && number != nil && !phoneNumberFormat.MatchString(*number) {
		// UNCONFIRMED message: the reference says malformed numbers are
		// rejected, not how.
		err = fmt.Errorf("Invalid phone number '%s'. Phone numbers must be in the format +{country code} {number}x{extension}.", *number)
	}
	if err != nil {
		badRequest(w, err.Error())
		return nil, nil, false
	}
	return number, phoneType, true
}

// createPhone adds a phone. A user has at most one phone of each type and
// needs a mobile phone before an alternate one; a new mobile phone is
// registered for SMS sign-in when the policy allows it.
func (e *Emulator) createPhone(w http.ResponseWriter, r *http.Request) {
	number, phoneType, ok := phoneFields(w, r)
	switch {
	case !ok:
		return
	case number == nil || phoneType == nil:
		badRequest(w, "phoneNumber and phoneType are required.")
		return
	case phoneIDs[*phoneType] == "":
		badRequest(w, fmt.Sprintf("Requested value '%s' was not found.", *phoneType))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.user(w, r)
	if u == nil {
		return
	}
	phones := e.phones[u.ID]
	if phones == nil {
		phones = map[string]*phoneMethod{}
		e.phones[u.ID] = phones
	}
	// UNCONFIRMED messages: the reference says both are refused.
	if phones[*phoneType] != nil {
		badRequest(w, fmt.Sprintf("The user already has a phone method of type %s.", *phoneType))
		return
	}
	if *phoneType == "alternateMobile" && phones["mobile"] == nil {
		badRequest(w, "A user must have a mobile phone before an alternateMobile phone is added.")
		return
	}
	p := &phoneMethod{number: *number, phoneType: *phoneType, created: e.now()}
	p.smsSignIn = *phoneType == "mobile" && e.smsSignInAllowed(u) && !e.smsNumberTaken(u, p.number)
	phones[*phoneType] = p
	writeJSON(w, http.StatusCreated, e.renderPhone(u, p))
}

// withPhone resolves the path's user and phone (its id names its type), or
// writes a 404.
func (e *Emulator) withPhone(h func(http.ResponseWriter, *http.Request, *User, *phoneMethod)) http.HandlerFunc {
	return withMethod(e, "phone", func(u *User, id string) (*phoneMethod, time.Time) {
		for t, tid := range phoneIDs {
			if p := e.phones[u.ID][t]; p != nil && strings.EqualFold(tid, id) {
				return p, p.created
			}
		}
		return nil, time.Time{}
	}, h)
}

// withMethod resolves the path's user and, with find, the method the
// path's id names (nil: none) and when it was made, or writes a 404 naming
// what. A method still replicating is found by writes only. The handler
// runs under e.mu.
func withMethod[T any](e *Emulator, what string, find func(u *User, id string) (*T, time.Time), h func(http.ResponseWriter, *http.Request, *User, *T)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		u := e.user(w, r)
		if u == nil {
			return
		}
		m, created := find(u, r.PathValue("id"))
		if m == nil || (r.Method == http.MethodGet && e.lagging(created)) {
			writeError(w, http.StatusNotFound, "itemNotFound", fmt.Sprintf("The %s method '%s' was not found for the user.", what, r.PathValue("id")))
			return
		}
		h(w, r, u, m)
	}
}

// patchPhone changes a phone's number; its type cannot change.
func (e *Emulator) patchPhone(w http.ResponseWriter, r *http.Request, u *User, p *phoneMethod) {
	number, phoneType, ok := phoneFields(w, r)
	switch {
	case !ok:
		return
	case phoneType != nil && *phoneType != p.phoneType:
		badRequest(w, "A phone's type cannot be changed. Add a phone of the new type and delete this one.")
		return
	}
	if number != nil && *number != p.number {
		p.number = *number
		p.smsSignIn = p.phoneType == "mobile" && e.smsSignInAllowed(u) && !e.smsNumberTaken(u, p.number)
	}
	w.WriteHeader(http.StatusNoContent)
}

// deletePhone removes a phone; a mobile phone cannot go while an alternate
// one remains.
func (e *Emulator) deletePhone(w http.ResponseWriter, _ *http.Request, u *User, p *phoneMethod) {
	if p.phoneType == "mobile" && e.phones[u.ID]["alternateMobile"] != nil {
		// UNCONFIRMED message.
		badRequest(w, "A user cannot have an alternateMobile phone without a mobile phone. Change the mobile number instead, or delete the alternateMobile phone first.")
		return
	}
	delete(e.phones[u.ID], p.phoneType)
	w.WriteHeader(http.StatusNoContent)
}

// enableSmsSignIn turns SMS sign-in on: a mobile phone, a policy that allows
// it, and a number no one else signs in with.
func (e *Emulator) enableSmsSignIn(w http.ResponseWriter, _ *http.Request, u *User, p *phoneMethod) {
	// UNCONFIRMED messages: the reference lists the conditions only.
	switch {
	case p.phoneType != "mobile":
		badRequest(w, "SMS sign-in can only be enabled for a mobile phone.")
	case !e.smsSignInAllowed(u):
		badRequest(w, "The SMS authentication method policy does not allow this user to sign in with SMS.")
	case e.smsNumberTaken(u, p.number):
		badRequest(w, "The phone number is already used for SMS sign-in by another user.")
	default:
		p.smsSignIn = true
		w.WriteHeader(http.StatusNoContent)
	}
}

func (e *Emulator) emailList(u *User) []any {
	if m := e.emails[u.ID]; m != nil && !e.lagging(m.created) {
		return []any{renderEmail(m)}
	}
	return nil
}

func renderEmail(m *emailMethod) map[string]any {
	return map[string]any{"@odata.type": "#microsoft.graph.emailAuthenticationMethod", "id": emailMethodID, "emailAddress": m.address}
}

// emailFields reads a create or update body, or writes Graph's 400.
func emailFields(w http.ResponseWriter, r *http.Request, required bool) (address *string, ok bool) {
	body, ok := readBody(w, r)
	if !ok {
		return nil, false
	}
	err := applyFields(body, "emailAuthenticationMethod", map[string]any{"emailAddress": &address})
	switch {
	case err != nil:
	case address == nil && required:
		err = errors.New("emailAddress is required.")
	case address != nil && !validEmail(*address):
		// UNCONFIRMED message.
		err = fmt.Errorf("Invalid email address '%s'.", *address)
	}
	if err != nil {
		badRequest(w, err.Error())
		return nil, false
	}
	return address, true
}

func validEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t") && !strings.Contains(domain, "@")
}

// createEmail adds the user's email method: one per user.
func (e *Emulator) createEmail(w http.ResponseWriter, r *http.Request) {
	address, ok := emailFields(w, r, true)
	if !ok {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.user(w, r)
	if u == nil {
		return
	}
	if e.emails[u.ID] != nil {
		// UNCONFIRMED message.
		badRequest(w, "The user already has an email authentication method.")
		return
	}
	m := &emailMethod{address: *address, created: e.now()}
	e.emails[u.ID] = m
	writeJSON(w, http.StatusCreated, renderEmail(m))
}

// withEmail resolves the path's user and their email method, or writes a
// 404.
func (e *Emulator) withEmail(h func(http.ResponseWriter, *http.Request, *User, *emailMethod)) http.HandlerFunc {
	return withMethod(e, "email", func(u *User, id string) (*emailMethod, time.Time) {
		if m := e.emails[u.ID]; m != nil && strings.EqualFold(id, emailMethodID) {
			return m, m.created
		}
		return nil, time.Time{}
	}, h)
}

func (e *Emulator) patchEmail(w http.ResponseWriter, r *http.Request, _ *User, m *emailMethod) {
	address, ok := emailFields(w, r, false)
	if !ok {
		return
	}
	if address != nil {
		m.address = *address
	}
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) heldList(u *User, kind string) []any {
	var out []any
	for _, m := range e.held[u.ID] {
		if m.Kind == kind {
			out = append(out, renderHeld(m))
		}
	}
	return out
}

func renderHeld(m *HeldMethod) map[string]any {
	out := maps.Clone(m.Properties)
	if out == nil {
		out = map[string]any{}
	}
	out["@odata.type"] = "#microsoft.graph." + m.Kind + "AuthenticationMethod"
	out["id"] = m.ID
	if m.Kind != "softwareOath" {
		out["createdDateTime"] = m.Created.Format(time.RFC3339)
	}
	return out
}

// withHeld resolves the path's user and one of their methods of kind, or
// writes a 404.
func (e *Emulator) withHeld(kind string, h func(http.ResponseWriter, *http.Request, *User, *HeldMethod)) http.HandlerFunc {
	return withMethod(e, kind, func(u *User, id string) (*HeldMethod, time.Time) {
		for _, m := range e.held[u.ID] {
			if m.Kind == kind && m.ID == id {
				return m, m.Created
			}
		}
		return nil, time.Time{}
	}, h)
}

// userMethods lists the phone, email and self-registered methods of u, for
// the list of all of a user's methods.
func (e *Emulator) userMethods(u *User) []any {
	out := e.phoneList(u)
	out = append(out, e.emailList(u)...)
	for _, kind := range heldKinds {
		out = append(out, e.heldList(u, kind)...)
	}
	if m := e.qrCodes[u.ID]; m != nil {
		out = append(out, renderQR(m, nil, false))
	}
	return append(out, e.oathMethods(u)...)
}
