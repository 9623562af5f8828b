package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/entra-tf/terraform-provider-entra/internal/totp"
)

// Hardware OATH tokens (Graph beta, graph-behaviour.md#hardware-oath-tokens):
// the tenant's inventory under /directory/authenticationMethodDevices, a
// token assigned to a user as one of their methods, and activated with a
// current code from it.

type oathDevice struct {
	id, serial, manufacturer, model, displayName, hash string
	secret                                             []byte
	interval                                           int
	// status is available, assigned, activated or failedActivation.
	status string
	// user and methodID are the assignment: the user's object id and the
	// id of the user's hardware OATH method.
	user, methodID string
}

func (e *Emulator) routeHardwareOath(mux *http.ServeMux) {
	devices := "/directory/authenticationMethodDevices/hardwareOathDevices"
	mux.HandleFunc("GET "+devices, betaOnly(e.listOathDevices))
	mux.HandleFunc("POST "+devices, betaOnly(e.createOathDevice))
	mux.HandleFunc("GET "+devices+"/{id}", betaOnly(e.withOathDevice(func(w http.ResponseWriter, _ *http.Request, d *oathDevice) {
		writeJSON(w, http.StatusOK, e.renderOathDevice(d))
	})))
	mux.HandleFunc("PATCH "+devices+"/{id}", betaOnly(e.withOathDevice(e.patchOathDevice)))
	mux.HandleFunc("DELETE "+devices+"/{id}", betaOnly(e.withOathDevice(e.deleteOathDevice)))

	methods := "/users/{user}/authentication/hardwareOathMethods"
	mux.HandleFunc("GET "+methods, betaOnly(e.userList(e.oathMethods)))
	mux.HandleFunc("POST "+methods, betaOnly(e.assignOathDevice))
	mux.HandleFunc("DELETE "+methods+"/{id}", betaOnly(e.withOathMethod(func(w http.ResponseWriter, _ *http.Request, _ *User, d *oathDevice) {
		d.status, d.user, d.methodID = "available", "", ""
		w.WriteHeader(http.StatusNoContent)
	})))
	mux.HandleFunc("POST "+methods+"/{id}/activate", betaOnly(e.withOathMethod(e.activateOathMethod)))
}

// betaOnly answers as v1.0 does for a path it lacks, unless the request
// came through /beta.
func betaOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !isBeta(r) {
			writeError(w, http.StatusBadRequest, "BadRequest", fmt.Sprintf("Resource not found for the segment '%s'.", firstSegment(r.URL.Path)))
			return
		}
		h(w, r)
	}
}

func (e *Emulator) renderOathDevice(d *oathDevice) map[string]any {
	var assigned any
	if d.user != "" {
		u := e.userByID(d.user)
		assigned = map[string]any{"id": u.ID, "displayName": u.DisplayName}
	}
	return map[string]any{
		"@odata.type": "#microsoft.graph.hardwareOathTokenAuthenticationMethodDevice", "id": d.id,
		"displayName": d.displayName, "serialNumber": d.serial, "manufacturer": d.manufacturer, "model": d.model,
		"secretKey": nil, "timeIntervalInSeconds": d.interval, "status": d.status, "lastUsedDateTime": nil,
		"hashFunction": d.hash, "assignedTo": assigned,
	}
}

func (e *Emulator) userByID(id string) *User {
	for i := range e.users {
		if e.users[i].ID == id {
			return &e.users[i]
		}
	}
	return nil
}

func (e *Emulator) listOathDevices(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]any, 0, len(e.oathDevices))
	for _, d := range e.oathDevices {
		out = append(out, e.renderOathDevice(d))
	}
	e.writePage(w, r, out)
}

// createOathDevice adds a token to the inventory, and assigns it when
// assignTo names a user. Every field but the display name and the hash
// function is required; the secret is base32, the step 30 or 60 seconds,
// and a serial number is unique in the inventory.
func (e *Emulator) createOathDevice(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req struct {
		SerialNumber, Manufacturer, Model, SecretKey, DisplayName, HashFunction *string
		TimeIntervalInSeconds                                                   *int
		AssignTo                                                                *struct{ ID string }
	}
	if err := applyFields(body, "hardwareOathTokenAuthenticationMethodDevice", map[string]any{
		"serialNumber": &req.SerialNumber, "manufacturer": &req.Manufacturer, "model": &req.Model, "secretKey": &req.SecretKey,
		"displayName": &req.DisplayName, "hashFunction": &req.HashFunction, "timeIntervalInSeconds": &req.TimeIntervalInSeconds, "assignTo": &req.AssignTo,
	}); err != nil {
		badRequest(w, err.Error())
		return
	}
	// UNCONFIRMED messages below: the reference lists the rules only.
	for name, v := range map[string]*string{"serialNumber": req.SerialNumber, "manufacturer": req.Manufacturer, "model": req.Model, "secretKey": req.SecretKey} {
		if v == nil || strings.TrimSpace(*v) == "" {
			badRequest(w, name+" is required.")
			return
		}
	}
	secret, err := totp.DecodeSecret(*req.SecretKey)
	if err != nil {
		badRequest(w, "The secretKey is invalid: it must be base32 encoded.")
		return
	}
	if req.TimeIntervalInSeconds == nil || (*req.TimeIntervalInSeconds != 30 && *req.TimeIntervalInSeconds != 60) {
		badRequest(w, "timeIntervalInSeconds must be 30 or 60.")
		return
	}
	hash := "hmacsha1"
	if req.HashFunction != nil {
		hash = *req.HashFunction
	}
	if hash != "hmacsha1" && hash != "hmacsha256" {
		badRequest(w, fmt.Sprintf("Requested value '%s' was not found.", hash))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if slices.ContainsFunc(e.oathDevices, func(d *oathDevice) bool { return strings.EqualFold(d.serial, *req.SerialNumber) }) {
		badRequest(w, fmt.Sprintf("A hardware OATH token with serial number '%s' already exists.", *req.SerialNumber))
		return
	}
	d := &oathDevice{id: newID(), serial: *req.SerialNumber, manufacturer: *req.Manufacturer, model: *req.Model,
		secret: secret, interval: *req.TimeIntervalInSeconds, hash: hash, status: "available"}
	if req.DisplayName != nil {
		d.displayName = *req.DisplayName
	}
	if req.AssignTo != nil {
		u := e.userByID(req.AssignTo.ID)
		if u == nil {
			writeError(w, http.StatusNotFound, "Request_ResourceNotFound", fmt.Sprintf("Resource '%s' does not exist or one of its queried reference-property objects are not present.", req.AssignTo.ID))
			return
		}
		if !e.oathAllowed(w, u) {
			return
		}
		d.status, d.user, d.methodID = "assigned", u.ID, newID()
	}
	e.oathDevices = append(e.oathDevices, d)
	writeJSON(w, http.StatusCreated, e.renderOathDevice(d))
}

// oathAllowed reports whether the hardware OATH policy lets u hold a token,
// or writes Graph's refusal.
func (e *Emulator) oathAllowed(w http.ResponseWriter, u *User) bool {
	pol := e.policies.hardwareOath
	if pol.State != "enabled" || !u.targeted(pol.IncludeTargets, pol.ExcludeTargets) {
		badRequest(w, "Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [HardwareOath].")
		return false
	}
	return true
}

// withOathDevice resolves the path's token, or writes a 404. The handler
// runs under e.mu.
func (e *Emulator) withOathDevice(h func(http.ResponseWriter, *http.Request, *oathDevice)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, d := range e.oathDevices {
			if strings.EqualFold(d.id, r.PathValue("id")) {
				h(w, r, d)
				return
			}
		}
		writeError(w, http.StatusNotFound, "itemNotFound", fmt.Sprintf("The hardware OATH token '%s' was not found.", r.PathValue("id")))
	}
}

// patchOathDevice changes a token's display name, the one property that
// can change.
func (e *Emulator) patchOathDevice(w http.ResponseWriter, r *http.Request, d *oathDevice) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var name *string
	if err := applyFields(body, "hardwareOathTokenAuthenticationMethodDevice", map[string]any{"displayName": &name}); err != nil {
		badRequest(w, err.Error())
		return
	}
	if name != nil {
		d.displayName = *name
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteOathDevice removes a token from the inventory; an assigned one is
// refused (UNCONFIRMED: the reference is silent; administrators' scripts
// unassign first).
func (e *Emulator) deleteOathDevice(w http.ResponseWriter, _ *http.Request, d *oathDevice) {
	if d.user != "" {
		badRequest(w, "The hardware OATH token is assigned to a user. Unassign it before deleting it.")
		return
	}
	e.oathDevices = slices.DeleteFunc(e.oathDevices, func(x *oathDevice) bool { return x == d })
	w.WriteHeader(http.StatusNoContent)
}

// oathMethods lists a user's tokens as their methods.
func (e *Emulator) oathMethods(u *User) []any {
	var out []any
	for _, d := range e.oathDevices {
		if d.user == u.ID {
			out = append(out, map[string]any{
				"@odata.type": "#microsoft.graph.hardwareOathAuthenticationMethod", "id": d.methodID,
				"device": map[string]any{"id": d.id, "serialNumber": d.serial, "status": d.status},
			})
		}
	}
	return out
}

// assignOathDevice gives the user a token from the inventory, named by
// device.id (the reference's example) or id (its property table). A token
// assigned to someone else is refused.
func (e *Emulator) assignOathDevice(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var id *string
	var device *struct{ ID string }
	if err := applyFields(body, "hardwareOathAuthenticationMethod", map[string]any{"id": &id, "device": &device}); err != nil {
		badRequest(w, err.Error())
		return
	}
	if device != nil {
		id = &device.ID
	}
	if id == nil {
		badRequest(w, "The hardware OATH token to assign is required.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.user(w, r)
	if u == nil || !e.oathAllowed(w, u) {
		return
	}
	i := slices.IndexFunc(e.oathDevices, func(d *oathDevice) bool { return strings.EqualFold(d.id, *id) })
	if i < 0 {
		writeError(w, http.StatusNotFound, "itemNotFound", fmt.Sprintf("The hardware OATH token '%s' was not found.", *id))
		return
	}
	d := e.oathDevices[i]
	if d.user != "" {
		// UNCONFIRMED message.
		badRequest(w, fmt.Sprintf("The hardware OATH token '%s' is already assigned to a user.", d.serial))
		return
	}
	d.status, d.user, d.methodID = "assigned", u.ID, newID()
	writeJSON(w, http.StatusCreated, map[string]any{
		"@odata.type": "#microsoft.graph.hardwareOathAuthenticationMethod", "id": d.methodID, "createdDateTime": e.now().Format(time.RFC3339),
	})
}

// withOathMethod resolves the path's user and the token their method id
// names, or writes a 404.
func (e *Emulator) withOathMethod(h func(http.ResponseWriter, *http.Request, *User, *oathDevice)) http.HandlerFunc {
	return withMethod(e, "hardware OATH", func(u *User, id string) (*oathDevice, time.Time) {
		for _, d := range e.oathDevices {
			if d.user == u.ID && strings.EqualFold(d.methodID, id) {
				return d, time.Time{}
			}
		}
		return nil, time.Time{}
	}, h)
}

// activateOathMethod checks a code from the token (one step of drift
// either side) and activates it; a wrong code leaves it failedActivation.
func (e *Emulator) activateOathMethod(w http.ResponseWriter, r *http.Request, _ *User, d *oathDevice) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var code, name *string
	if err := applyFields(body, "hardwareOathAuthenticationMethod", map[string]any{"verificationCode": &code, "displayName": &name}); err != nil {
		badRequest(w, err.Error())
		return
	}
	token := totp.Token{Secret: d.secret, Step: time.Duration(d.interval) * time.Second, SHA256: d.hash == "hmacsha256"}
	if code == nil || !token.Verify(*code, e.now()) {
		d.status = "failedActivation"
		// UNCONFIRMED message.
		badRequest(w, "The verification code is invalid.")
		return
	}
	if name != nil {
		d.displayName = *name
	}
	d.status = "activated"
	w.WriteHeader(http.StatusNoContent)
}
