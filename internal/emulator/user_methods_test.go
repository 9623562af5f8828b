package emulator

import (
	"net/http"
	"strings"
	"testing"
)

// The documented rules of a user's phones and email method, each answered
// as the emulator plays Graph: one phone per type, the mobile before the
// alternate, no type change, the mobile kept while the alternate remains,
// SMS sign-in only on a mobile number no one else signs in with, one email
// method.
func TestUserMethodRules(t *testing.T) {
	e := start(t, Options{})
	c, token := client(t, e)
	base := e.URL() + "/v1.0/users/" + SeedUsers[0].ID + "/authentication/"
	other := e.URL() + "/v1.0/users/" + SeedUsers[1].ID + "/authentication/"
	mobile, alternate := phoneIDs["mobile"], phoneIDs["alternateMobile"]
	steps := []struct {
		name, method, url, body string
		status                  int
		message                 string
	}{
		{"malformed number", "POST", base + "phoneMethods", `{"phoneNumber":"+12065550100","phoneType":"mobile"}`, 400, "Invalid phone number"},
		{"alternate before mobile", "POST", base + "phoneMethods", `{"phoneNumber":"+1 2065550101","phoneType":"alternateMobile"}`, 400, "must have a mobile phone"},
		{"mobile", "POST", base + "phoneMethods", `{"phoneNumber":"+1 2065550100","phoneType":"mobile"}`, 201, ""},
		{"second mobile", "POST", base + "phoneMethods", `{"phoneNumber":"+1 2065550102","phoneType":"mobile"}`, 400, "already has a phone method of type mobile"},
		{"alternate", "POST", base + "phoneMethods", `{"phoneNumber":"+1 2065550101","phoneType":"alternateMobile"}`, 201, ""},
		{"type change", "PATCH", base + "phoneMethods/" + mobile, `{"phoneType":"office"}`, 400, "cannot be changed"},
		{"mobile while the alternate remains", "DELETE", base + "phoneMethods/" + mobile, ``, 400, "without a mobile phone"},
		{"SMS sign-in on the alternate", "POST", base + "phoneMethods/" + alternate + "/enableSmsSignIn", ``, 400, "only be enabled for a mobile phone"},
		{"same number for another user", "POST", other + "phoneMethods", `{"phoneNumber":"+1 2065550100","phoneType":"mobile"}`, 201, ""},
		{"SMS sign-in with a number in use", "POST", other + "phoneMethods/" + mobile + "/enableSmsSignIn", ``, 400, "already used for SMS sign-in"},
		{"alternate deleted", "DELETE", base + "phoneMethods/" + alternate, ``, 204, ""},
		{"then the mobile", "DELETE", base + "phoneMethods/" + mobile, ``, 204, ""},
		{"now the other user's number is free", "POST", other + "phoneMethods/" + mobile + "/enableSmsSignIn", ``, 204, ""},
		{"email", "POST", base + "emailMethods", `{"emailAddress":"adele@fabrikam.example"}`, 201, ""},
		{"second email", "POST", base + "emailMethods", `{"emailAddress":"adele2@fabrikam.example"}`, 400, "already has an email"},
		{"malformed email", "PATCH", base + "emailMethods/" + emailMethodID, `{"emailAddress":"adele"}`, 400, "Invalid email address"},
		{"unknown property", "PATCH", base + "emailMethods/" + emailMethodID, `{"address":"a@b.example"}`, 400, "does not exist on type 'microsoft.graph.emailAuthenticationMethod'"},
	}
	for _, s := range steps {
		a := call(t, c, token, s.method, s.url, []byte(s.body), nil)
		if a.status != s.status || !strings.Contains(errorMessage(a), s.message) {
			t.Errorf("%s: HTTP %d %q, want %d %q", s.name, a.status, errorMessage(a), s.status, s.message)
		}
	}
	a := call(t, c, token, http.MethodGet, other+"phoneMethods/"+mobile, nil, nil)
	if a.body["smsSignInState"] != "ready" {
		t.Errorf("the other user's mobile reads %v, want SMS sign-in ready", a.body)
	}
}

// Methods users register are listed, read and deleted, never created.
func TestHeldMethods(t *testing.T) {
	e := start(t, Options{})
	e.AddHeldMethod(SeedUsers[0].ID, HeldMethod{Kind: "windowsHelloForBusiness", ID: "w1", Properties: map[string]any{"displayName": "LAPTOP"}})
	c, token := client(t, e)
	base := e.URL() + "/v1.0/users/" + SeedUsers[0].ID + "/authentication/"
	if a := call(t, c, token, "GET", base+"windowsHelloForBusinessMethods/w1", nil, nil); a.status != 200 || a.body["displayName"] != "LAPTOP" || a.body["createdDateTime"] == nil {
		t.Errorf("read: %d %v", a.status, a.body)
	}
	if a := call(t, c, token, "POST", base+"windowsHelloForBusinessMethods", []byte(`{}`), nil); a.status/100 != 4 {
		t.Errorf("create: HTTP %d, want a refusal", a.status)
	}
	if a := call(t, c, token, "GET", base+"windowsHelloForBusinessMethods", nil, nil); len(a.body["value"].([]any)) != 1 {
		t.Errorf("list: %v, want the one method", a.body)
	}
	if a := call(t, c, token, "DELETE", base+"windowsHelloForBusinessMethods/w1", nil, nil); a.status != 204 {
		t.Errorf("delete: HTTP %d", a.status)
	}
	if a := call(t, c, token, "GET", base+"windowsHelloForBusinessMethods/w1", nil, nil); a.status != 404 {
		t.Errorf("read after delete: HTTP %d", a.status)
	}
}
