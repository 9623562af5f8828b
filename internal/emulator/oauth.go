package emulator

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"net/http"
	"strings"
)

// openIDConfiguration answers the tenant discovery that MSAL performs before
// its first token request when instance discovery is disabled.
func (e *Emulator) openIDConfiguration(w http.ResponseWriter, r *http.Request) {
	tenant := r.PathValue("tenant")
	if !strings.EqualFold(tenant, e.opts.TenantID) {
		oauthError(w, http.StatusBadRequest, "invalid_tenant", "AADSTS90002: Tenant '"+tenant+"' not found.")
		return
	}
	base := e.URL() + "/" + e.opts.TenantID
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                base + "/v2.0",
		"authorization_endpoint":                base + "/oauth2/v2.0/authorize",
		"token_endpoint":                        base + "/oauth2/v2.0/token",
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_types_supported":              []string{"code", "id_token", "token"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt"},
	})
}

// token implements the client-credentials grant: it checks tenant, client id,
// secret and scope, and issues an opaque bearer token that the Graph routes
// then require.
func (e *Emulator) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "AADSTS900144: The request body must be form encoded.")
		return
	}
	switch {
	case !strings.EqualFold(r.PathValue("tenant"), e.opts.TenantID):
		oauthError(w, http.StatusBadRequest, "invalid_tenant", "AADSTS90002: Tenant not found.")
	case r.PostForm.Get("grant_type") != "client_credentials":
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "AADSTS70003: The emulator supports client_credentials only.")
	case r.PostForm.Get("client_id") != e.opts.ClientID:
		oauthError(w, http.StatusBadRequest, "unauthorized_client", "AADSTS700016: Application not found in the directory.")
	case r.PostForm.Get("client_secret") != e.opts.ClientSecret:
		oauthError(w, http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
	case !hasDefaultScope(r.PostForm.Get("scope")):
		oauthError(w, http.StatusBadRequest, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.")
	default:
		tok := "emu." + newID()
		e.mu.Lock()
		e.tokens[tok] = true
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{
			"token_type":     "Bearer",
			"expires_in":     3599,
			"ext_expires_in": 3599,
			"access_token":   tok,
		})
	}
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]any{"error": code, "error_description": desc})
}

// requireToken rejects Graph calls without a token this emulator issued, with
// Graph's 401 InvalidAuthenticationToken error.
func (e *Emulator) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || tok == "" {
			writeError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
			return
		}
		e.mu.Lock()
		valid := e.tokens[tok]
		e.mu.Unlock()
		if !valid {
			writeError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hasDefaultScope accepts a client-credentials scope list: one resource's
// "/.default" scope, beside the OpenID scopes MSAL adds.
func hasDefaultScope(scopes string) bool {
	for _, s := range strings.Fields(scopes) {
		if strings.HasSuffix(s, "/.default") {
			return true
		}
	}
	return false
}

// Credential returns an azidentity credential for the emulator's application,
// as an administrator's script would use; tests use it to change the tenant
// outside Terraform.
func (e *Emulator) Credential() (azcore.TokenCredential, error) {
	return azidentity.NewClientSecretCredential(e.opts.TenantID, e.opts.ClientID, e.opts.ClientSecret,
		&azidentity.ClientSecretCredentialOptions{
			ClientOptions:            azcore.ClientOptions{Cloud: cloud.Configuration{ActiveDirectoryAuthorityHost: e.URL()}},
			DisableInstanceDiscovery: true,
		})
}
