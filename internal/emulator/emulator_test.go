package emulator

import (
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// client trusts the emulator's CA and fetches a token through the real
// client-credentials flow.
func client(t *testing.T, e *Emulator) (*http.Client, string) {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(e.CAPEM())
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := c.PostForm(e.URL()+"/"+e.TenantID()+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {e.ClientID()},
		"client_secret": {e.ClientSecret()}, "scope": {e.URL() + "/.default"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("no token: %v (HTTP %d)", err, resp.StatusCode)
	}
	return c, tok.AccessToken
}

type answer struct {
	status int
	body   map[string]any
}

func call(t *testing.T, c *http.Client, token, method, u string, body []byte, header map[string]string) answer {
	t.Helper()
	req, _ := http.NewRequest(method, u, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

func errorMessage(a answer) string {
	e, _ := a.body["error"].(map[string]any)
	m, _ := e["message"].(string)
	return m
}

func start(t *testing.T, opts Options) *Emulator {
	e, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

func TestGraphRequiresToken(t *testing.T) {
	e := start(t, Options{})
	c, _ := client(t, e)
	u := e.URL() + "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2"
	if a := call(t, c, "", "GET", u, nil, nil); a.status != 401 || errorMessage(a) != "Access token is empty." {
		t.Errorf("no token: %d %v", a.status, a.body)
	}
	if a := call(t, c, "forged", "GET", u, nil, nil); a.status != 401 {
		t.Errorf("forged token: %d %v", a.status, a.body)
	}
	// The test controls change the tenant too: they take a token as well.
	for _, path := range []string{"/_emulator/faults", "/_emulator/clock"} {
		body := []byte(`{"status":429,"path_contains":"/nowhere","advance_minutes":1}`)
		if a := call(t, c, "", "POST", e.URL()+path, body, nil); a.status != 401 {
			t.Errorf("%s without a token: %d %v", path, a.status, a.body)
		}
		if _, token := client(t, e); call(t, c, token, "POST", e.URL()+path, body, nil).status >= 300 {
			t.Errorf("%s with a token was refused", path)
		}
	}
}

func TestTokenRejectsWrongSecret(t *testing.T) {
	e := start(t, Options{})
	c, _ := client(t, e)
	resp, err := c.PostForm(e.URL()+"/"+e.TenantID()+"/oauth2/v2.0/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {e.ClientID()},
		"client_secret": {"nope"}, "scope": {e.URL() + "/.default"},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("wrong secret: HTTP %d, want 401", resp.StatusCode)
	}
}

func TestPatchRules(t *testing.T) {
	e := start(t, Options{})
	c, tok := client(t, e)
	base := e.URL() + "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/"
	cases := []struct {
		id, body string
		status   int
		message  string
	}{
		{"TemporaryAccessPass", `{"state":"enabled"}`, 400, "The @odata.type of the request body must be '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration'."},
		{"TemporaryAccessPass", `{"@odata.type":"` + tapType + `","colour":"blue"}`, 400, "The property 'colour' does not exist on type"},
		{"TemporaryAccessPass", `{"@odata.type":"` + tapType + `","defaultLength":49}`, 400, "Invalid DefaultLength specified. The valid range is between 8 and 48."},
		{"TemporaryAccessPass", `{"@odata.type":"` + tapType + `","defaultLifetimeInMinutes":500}`, 400, "Invalid DefaultLifetimeInMinutes specified. The valid range between 60 and 480."},
		{"TemporaryAccessPass", `{"@odata.type":"` + tapType + `","state":"Enabled"}`, 400, "Requested value 'Enabled' was not found in enum 'authenticationMethodState'."},
		{"fido2", `{"@odata.type":"` + fido2Type + `","passkeyProfiles":[]}`, 400, "The default passkey profile '00000000-0000-0000-0000-000000000001' cannot be deleted."},
		{"FIDO2", `{"@odata.type":"` + fido2Type + `","includeTargets":[{"id":"all_users","targetType":"group"}]}`, 400, "Include conditions are missing passkey profile targets"},
		{"Fido2", `{"@odata.type":"` + fido2Type + `","passkeyProfiles":[{"id":"00000000-0000-0000-0000-000000000001","name":"Renamed","passkeyTypes":"deviceBound","attestationEnforcement":"disabled","keyRestrictions":{"isEnforced":false,"enforcementType":"block","aaGuids":[]}}]}`, 400, "The default passkey profile cannot be renamed."},
		{"MicrosoftAuthenticator", `{"@odata.type":"` + authType + `","featureSettings":{"numberMatchingRequiredState":{"state":"enabled"}}}`, 400,
			"The property 'numberMatchingRequiredState' does not exist on type 'microsoft.graph.microsoftAuthenticatorFeatureSettings'."},
		{"HardwareOath", `{}`, 404, "The authentication method configuration 'HardwareOath' was not found."},
		{"Telegram", `{}`, 404, "The authentication method configuration 'Telegram' was not found."},
		{"sms", `{"@odata.type":"` + smsType + `","includeTargets":[{"id":"all_users","targetType":"device","isUsableForSignIn":false}]}`, 400,
			"Requested value 'device' was not found in enum 'authenticationMethodTargetType'."},
		{"Voice", `{"@odata.type":"` + voiceType + `","isOfficePhoneAllowed":"yes"}`, 400, "Cannot convert the literal '\"yes\"' to the expected type of property 'isOfficePhoneAllowed'."},
		{"Voice", `{"@odata.type":"` + smsType + `","state":"enabled"}`, 400, "The @odata.type of the request body must be '#microsoft.graph.voiceAuthenticationMethodConfiguration'."},
		{"TemporaryAccessPass", `{"@odata.type":"` + tapType + `","state":"enabled"}`, 204, ""},
	}
	for _, tc := range cases {
		a := call(t, c, tok, "PATCH", base+tc.id, []byte(tc.body), nil)
		if a.status != tc.status || !strings.Contains(errorMessage(a), tc.message) {
			t.Errorf("PATCH %s %s: HTTP %d %q, want %d %q", tc.id, tc.body, a.status, errorMessage(a), tc.status, tc.message)
		}
	}
	// A refused PATCH changed nothing; the accepted one did.
	a := call(t, c, tok, "GET", base+"temporaryaccesspass", nil, nil)
	if a.body["state"] != "enabled" || a.body["defaultLength"] != float64(8) || a.body["id"] != "TemporaryAccessPass" {
		t.Errorf("GET after PATCHes: %v", a.body)
	}
}

func TestGzipBody(t *testing.T) {
	e := start(t, Options{})
	c, tok := client(t, e)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(`{"@odata.type":"` + fido2Type + `","state":"enabled"}`))
	zw.Close()
	u := e.URL() + "/v1.0/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2"
	if a := call(t, c, tok, "PATCH", u, buf.Bytes(), map[string]string{"Content-Encoding": "gzip"}); a.status != 204 {
		t.Fatalf("gzip PATCH: %d %v", a.status, a.body)
	}
	if a := call(t, c, tok, "GET", u, nil, nil); a.body["state"] != "enabled" {
		t.Errorf("gzip PATCH not applied: %v", a.body)
	}
}

func TestFaultInjection(t *testing.T) {
	e := start(t, Options{})
	c, tok := client(t, e)
	u := e.URL() + "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2"
	e.Inject(Fault{Method: "GET", PathContains: "Fido2", Status: 429, RetryAfter: 3, Times: 2})
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3" {
			t.Errorf("attempt %d: HTTP %d Retry-After %q", i, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	if a := call(t, c, tok, "GET", u, nil, nil); a.status != 200 {
		t.Errorf("after the fault's times: HTTP %d", a.status)
	}
}

func TestLegacyTenant(t *testing.T) {
	e := start(t, Options{LegacyFido2: true})
	c, tok := client(t, e)
	u := e.URL() + "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2"
	a := call(t, c, tok, "GET", u, nil, nil)
	if a.body["defaultPasskeyProfile"] != nil || a.body["isAttestationEnforced"] != true {
		t.Errorf("legacy tenant GET: %v", a.body)
	}
	a = call(t, c, tok, "PATCH", u, []byte(`{"@odata.type":"`+fido2Type+`","passkeyProfiles":[{"name":"x","passkeyTypes":"synced","attestationEnforcement":"disabled","keyRestrictions":{"isEnforced":false,"enforcementType":"block","aaGuids":[]}}]}`), nil)
	if a.status != 400 || errorMessage(a) != "Passkey profiles are not enabled for this tenant." {
		t.Errorf("profiles on a legacy tenant: %d %v", a.status, a.body)
	}
}

// Latency holds each Graph answer at least as long as asked, less the
// jitter.
func TestLatency(t *testing.T) {
	e := start(t, Options{Latency: 40 * time.Millisecond, Jitter: 10 * time.Millisecond})
	c, token := client(t, e)
	for range 5 {
		began := time.Now()
		if a := call(t, c, token, "GET", e.URL()+"/v1.0/users/"+SeedUsers[0].ID, nil, nil); a.status != 200 {
			t.Fatalf("HTTP %d", a.status)
		}
		if d := time.Since(began); d < 30*time.Millisecond {
			t.Errorf("a Graph answer came after %v, want at least 30ms", d)
		}
	}
}
