package emulator

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// The directory's user list, a group's members, and the authentication
// methods registration report: what discovery reads to find who holds
// which methods (graph-behaviour.md#finding-methods-across-a-tenant).

func (e *Emulator) routeDirectory(mux *http.ServeMux) {
	mux.HandleFunc("GET /users", e.list(func() []any {
		out := make([]any, 0, len(e.users))
		for _, u := range e.users {
			out = append(out, userObject(&u))
		}
		return out
	}))
	mux.HandleFunc("GET /groups/{group}", e.getGroup)
	mux.HandleFunc("GET /groups/{group}/transitiveMembers", e.groupMembers)
	mux.HandleFunc("GET /reports/authenticationMethods/userRegistrationDetails", e.registrationReport)
}

// list answers a GET of a tenant-wide collection a page at a time.
func (e *Emulator) list(items func() []any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		e.writePage(w, r, items())
	}
}

// PilotDeviceID is a device in the pilot group.
const PilotDeviceID = "d1e2f3a4-5b6c-4d7e-8f90-a1b2c3d4e5f6"

func userObject(u *User) map[string]any {
	return map[string]any{"@odata.type": "#microsoft.graph.user", "id": u.ID, "userPrincipalName": u.UserPrincipalName, "displayName": u.DisplayName}
}

// getGroup answers a group's id and display name, or Graph's 404.
func (e *Emulator) getGroup(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	id := r.PathValue("group")
	for _, g := range e.groups {
		if strings.EqualFold(g.ID, id) {
			writeJSON(w, http.StatusOK, map[string]any{"@odata.type": "#microsoft.graph.group", "id": g.ID, "displayName": g.DisplayName})
			return
		}
	}
	groupNotFound(w, id)
}

func groupNotFound(w http.ResponseWriter, id string) {
	writeError(w, http.StatusNotFound, "Request_ResourceNotFound",
		"Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
}

// groupMembers lists a group's members: its users and, as groups may hold
// devices too, the pilot group's kiosk device. It answers Graph's 404 for a
// group the directory lacks and no user belongs to.
func (e *Emulator) groupMembers(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	group := r.PathValue("group")
	var out []any
	for i := range e.users {
		if e.users[i].memberOf(group) && !strings.EqualFold(group, e.users[i].ID) {
			out = append(out, userObject(&e.users[i]))
		}
	}
	if strings.EqualFold(group, PilotGroupID) {
		out = append(out, map[string]any{"@odata.type": "#microsoft.graph.device", "id": PilotDeviceID})
	}
	if out == nil && !slices.ContainsFunc(e.groups, func(g Group) bool { return strings.EqualFold(g.ID, group) }) {
		groupNotFound(w, group)
		return
	}
	e.writePage(w, r, out)
}

// registrationReport answers the report of which methods each user
// registered. Graph refuses it to a tenant without Microsoft Entra ID P1 or
// P2 (Options.UnlicensedReport, with the error Graph gives for its premium
// reports). The report is built from the method store, not read from it:
// methods registered within Options.ReportLag are not in it yet.
func (e *Emulator) registrationReport(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.opts.UnlicensedReport {
		writeError(w, http.StatusForbidden, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
			"Neither tenant is B2C or tenant doesn't have premium license")
		return
	}
	out := make([]any, 0, len(e.users))
	for i := range e.users {
		u := &e.users[i]
		registered := []string{}
		for _, m := range append(e.fido2Methods(u), e.userMethods(u)...) {
			props := m.(map[string]any)
			if created, ok := props["createdDateTime"].(string); ok {
				if t, err := time.Parse(time.RFC3339, created); err == nil && e.now().Sub(t) < e.opts.ReportLag {
					continue
				}
			}
			if name := e.reportName(props); name != "" && !slices.Contains(registered, name) {
				registered = append(registered, name)
			}
		}
		out = append(out, map[string]any{
			"id": u.ID, "userPrincipalName": u.UserPrincipalName, "userDisplayName": u.DisplayName,
			"methodsRegistered": registered, "lastUpdatedDateTime": e.now().Format(time.RFC3339),
		})
	}
	e.writePage(w, r, out)
}

// reportName is the report's name for a method: the reference's examples
// use "fido2" for security keys, and newer reports name device-bound
// passkeys "passKeyDeviceBound" (Options.PasskeyReportNames). Temporary
// Access Passes are not in the report's list of values and are left out.
func (e *Emulator) reportName(m map[string]any) string {
	kind := strings.TrimSuffix(strings.TrimPrefix(m["@odata.type"].(string), "#microsoft.graph."), "AuthenticationMethod")
	switch kind {
	case "fido2":
		if e.opts.PasskeyReportNames {
			return "passKeyDeviceBound"
		}
		return "fido2"
	case "phone":
		return m["phoneType"].(string) + "Phone"
	case "microsoftAuthenticator":
		return "microsoftAuthenticatorPush"
	case "softwareOath":
		return "softwareOneTimePasscode"
	case "hardwareOath":
		return "hardwareOneTimePasscode"
	case "platformCredential":
		return "macOsSecureEnclaveKey"
	case "email", "windowsHelloForBusiness":
		return kind
	}
	return ""
}
