package credentials

import (
	"strings"
	"testing"
)

// The first method whose settings are present is used, in azuread's order;
// a half-configured method is refused rather than skipped.
func TestPrecedence(t *testing.T) {
	ids := Settings{TenantID: "t", ClientID: "c", UseCLI: true}
	with := func(f func(*Settings)) Settings { s := ids; f(&s); return s }
	cases := []struct {
		name     string
		settings Settings
		method   string
		refusal  string
	}{
		{"nothing: the Azure CLI", ids, methodCLI, ""},
		{"nothing, use_cli off", with(func(s *Settings) { s.UseCLI = false }), "", "no credentials are configured"},
		{"secret before OIDC", with(func(s *Settings) { s.ClientSecret, s.UseOIDC, s.OIDCToken = "x", true, "y" }), methodSecret, ""},
		{"OIDC token before a token request", with(func(s *Settings) {
			s.UseOIDC, s.OIDCToken, s.OIDCRequestURL, s.OIDCRequestToken = true, "x", "https://x", "y"
		}), methodOIDCToken, ""},
		{"pipelines before GitHub", with(func(s *Settings) {
			s.UseOIDC, s.OIDCRequestURL, s.OIDCRequestToken, s.ADOServiceConnectionID = true, "https://x", "y", "sc"
		}), methodPipelines, ""},
		{"GitHub", with(func(s *Settings) { s.UseOIDC, s.OIDCRequestURL, s.OIDCRequestToken = true, "https://x", "y" }), methodGitHub, ""},
		{"a token without use_oidc is not used", with(func(s *Settings) { s.OIDCToken = "x" }), methodCLI, ""},
		{"OIDC before MSI", with(func(s *Settings) { s.UseOIDC, s.OIDCToken, s.UseMSI = true, "x", true }), methodOIDCToken, ""},
		{"MSI before the CLI", with(func(s *Settings) { s.UseMSI = true }), methodMSI, ""},
		{"MSI at an endpoint", with(func(s *Settings) { s.UseMSI, s.MSIEndpoint = true, "https://imds.example/token" }), methodMSI + " at msi_endpoint", ""},
		{"use_oidc without a token", with(func(s *Settings) { s.UseOIDC = true }), "", "use_oidc is set, but there is no token to use"},
		{"secret without a tenant", Settings{ClientID: "c", ClientSecret: "x"}, "", "needs tenant_id (ARM_TENANT_ID) and client_id"},
		{"two certificates", with(func(s *Settings) { s.ClientCertificate, s.ClientCertificatePath = "x", "y" }), "", "both client_certificate and client_certificate_path are set"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cred, err := c.settings.New()
			switch {
			case c.refusal != "":
				if err == nil || !strings.Contains(err.Error(), c.refusal) {
					t.Fatalf("got %v, want an error with %q", err, c.refusal)
				}
			case err != nil:
				t.Fatal(err)
			case cred.Method != c.method:
				t.Fatalf("method %q, want %q", cred.Method, c.method)
			}
		})
	}
}
