package emulator

import (
	"crypto/sha1" //nolint:gosec // x5t is a SHA-1 thumbprint by definition (RFC 7515 §4.1.7)
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/golang-jwt/jwt/v5"
)

// The token endpoint follows the Microsoft identity platform's client
// credentials flow, with a shared secret or a signed client assertion
// (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow):
// an assertion is either signed with a certificate registered on the
// application (https://learn.microsoft.com/entra/identity-platform/certificate-credentials)
// or is another identity provider's token that a federated identity
// credential of the application trusts
// (https://learn.microsoft.com/entra/workload-id/workload-identity-federation).
// Refusals carry the AADSTS codes of
// https://learn.microsoft.com/entra/identity-platform/reference-error-codes.

const (
	jwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	// federatedAudience is the audience Entra expects of federated tokens
	// unless a federated credential names another.
	federatedAudience = "api://AzureADTokenExchange"
	// assertionSkew is how far clocks may disagree about an assertion's
	// validity window.
	assertionSkew = 5 * time.Minute
)

// FederatedCredential is a federated identity credential of the emulator's
// application: tokens of this issuer, for this subject and audience, are
// accepted as client assertions.
type FederatedCredential struct {
	Issuer, Subject, Audience string
}

// Grant kinds a token can be issued for, as Grants counts them.
const (
	GrantClientSecret    = "client_secret"
	GrantCertificate     = "certificate"
	GrantFederated       = "federated"
	GrantManagedIdentity = "managed_identity"
	GrantAzureCLI        = "azure_cli"
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
		"token_endpoint":                        e.tokenEndpoint(),
		"jwks_uri":                              base + "/discovery/v2.0/keys",
		"response_types_supported":              []string{"code", "id_token", "token"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt"},
	})
}

func (e *Emulator) tokenEndpoint() string {
	return e.URL() + "/" + e.opts.TenantID + "/oauth2/v2.0/token"
}

// token implements the client credentials grant (secret or assertion) and
// the refresh token grant of the Azure CLI's signed-in session, and issues an
// opaque bearer token that the Graph routes then require.
func (e *Emulator) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "AADSTS900144: The request body must be form encoded.")
		return
	}
	f := r.PostForm
	if !strings.EqualFold(r.PathValue("tenant"), e.opts.TenantID) {
		oauthError(w, http.StatusBadRequest, "invalid_tenant", "AADSTS90002: Tenant not found.")
		return
	}
	if !hasDefaultScope(f.Get("scope")) {
		oauthError(w, http.StatusBadRequest, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid.")
		return
	}
	var grant string
	switch f.Get("grant_type") {
	case "client_credentials":
		if f.Get("client_id") != e.opts.ClientID {
			oauthError(w, http.StatusBadRequest, "unauthorized_client", "AADSTS700016: Application not found in the directory.")
			return
		}
		switch {
		case f.Get("client_assertion") != "":
			if f.Get("client_assertion_type") != jwtBearer {
				oauthError(w, http.StatusBadRequest, "invalid_request", "AADSTS50027: client_assertion_type must be "+jwtBearer+".")
				return
			}
			kind, err := e.checkAssertion(f.Get("client_assertion"))
			if err != nil {
				oauthError(w, http.StatusUnauthorized, "invalid_client", err.Error())
				return
			}
			grant = kind
		case f.Get("client_secret") == e.opts.ClientSecret:
			grant = GrantClientSecret
		default:
			oauthError(w, http.StatusUnauthorized, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
			return
		}
	case "refresh_token":
		e.mu.Lock()
		ok := f.Get("client_id") == AzureCLIClientID && e.cliSessions[f.Get("refresh_token")]
		e.mu.Unlock()
		if !ok {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "AADSTS70000: The provided grant is invalid or malformed.")
			return
		}
		grant = GrantAzureCLI
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"token_type":     "Bearer",
		"expires_in":     3599,
		"ext_expires_in": 3599,
		"access_token":   e.issueToken(grant),
	})
}

// issueToken records a new access token and what it was granted for.
func (e *Emulator) issueToken(grant string) string {
	tok := "emu." + newID()
	e.mu.Lock()
	e.tokens[tok] = grant
	e.grants[grant]++
	e.mu.Unlock()
	return tok
}

// Grants returns how many access tokens were issued for each grant kind
// (GrantClientSecret, GrantCertificate, ...).
func (e *Emulator) Grants() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := map[string]int{}
	for k, v := range e.grants {
		out[k] = v
	}
	return out
}

// checkAssertion verifies a client assertion and says what kind it is: a
// certificate's (issued by the application itself) or a federated token.
func (e *Emulator) checkAssertion(assertion string) (string, error) {
	var claims jwt.RegisteredClaims
	kind := GrantFederated
	// refusal is why no key could verify the assertion, in Entra's words.
	var refusal error
	_, err := jwt.NewParser(jwt.WithoutClaimsValidation(), jwt.WithValidMethods([]string{"RS256", "PS256"})).
		ParseWithClaims(assertion, &claims, func(t *jwt.Token) (any, error) {
			if claims.Issuer == e.opts.ClientID {
				kind = GrantCertificate
				key, err := e.assertionCertificateKey(t.Header)
				refusal = err
				return key, err
			}
			if !e.knownIssuer(claims.Issuer) {
				refusal = fmt.Errorf("AADSTS700211: No matching federated identity record found for presented assertion issuer '%s'.", claims.Issuer)
				return nil, refusal
			}
			return &issuerKey().PublicKey, nil
		})
	switch {
	case refusal != nil:
		return "", refusal
	case errors.Is(err, jwt.ErrTokenMalformed):
		return "", errors.New("AADSTS50027: JWT token is invalid or malformed.")
	case err != nil:
		return "", errors.New("AADSTS700027: Client assertion failed signature validation.")
	}
	e.mu.Lock()
	now := e.now()
	e.mu.Unlock()
	if claims.ExpiresAt == nil || now.After(claims.ExpiresAt.Add(assertionSkew)) ||
		(claims.NotBefore != nil && now.Add(assertionSkew).Before(claims.NotBefore.Time)) {
		exp := "none"
		if claims.ExpiresAt != nil {
			exp = claims.ExpiresAt.UTC().Format(time.RFC3339)
		}
		return "", fmt.Errorf("AADSTS700024: Client assertion is not within its valid time range. Current time: %s, expiry time of assertion %s.",
			now.Format(time.RFC3339), exp)
	}
	if kind == GrantCertificate {
		if claims.Subject != e.opts.ClientID {
			return "", errors.New("AADSTS700027: The client assertion's subject is not the application.")
		}
		if !slices.Contains(claims.Audience, e.tokenEndpoint()) {
			return "", errors.New("AADSTS50012: Client assertion audience claim does not match Realm issuer.")
		}
		return kind, nil
	}
	for _, fc := range e.FederatedCredentials() {
		if fc.Issuer != claims.Issuer {
			continue
		}
		if !slices.Contains(claims.Audience, fc.Audience) {
			return "", fmt.Errorf("AADSTS700212: No matching federated identity record found for presented assertion audience '%s'.", strings.Join(claims.Audience, ","))
		}
		if fc.Subject == claims.Subject {
			return kind, nil
		}
	}
	return "", fmt.Errorf("AADSTS700213: No matching federated identity record found for presented assertion subject '%s'.", claims.Subject)
}

// assertionCertificateKey finds the registered certificate an assertion's
// header names by thumbprint (x5t#S256, or the SHA-1 x5t), in either base64
// alphabet, since clients differ.
func (e *Emulator) assertionCertificateKey(h map[string]any) (any, error) {
	e.mu.Lock()
	certs := slices.Clone(e.certificates)
	e.mu.Unlock()
	for _, c := range certs {
		s256, s1 := sha256.Sum256(c.Raw), sha1.Sum(c.Raw) //nolint:gosec // see import
		for header, sum := range map[string][]byte{"x5t#S256": s256[:], "x5t": s1[:]} {
			got, _ := h[header].(string)
			if got != "" && (got == base64.StdEncoding.EncodeToString(sum) || got == base64.RawURLEncoding.EncodeToString(sum)) {
				return c.PublicKey, nil
			}
		}
	}
	return nil, errors.New("AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application.")
}

// RegisterCertificate adds a certificate (DER) to the application's
// credentials, as uploading it in the portal does.
func (e *Emulator) RegisterCertificate(der []byte) error {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.certificates = append(e.certificates, c)
	e.mu.Unlock()
	return nil
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
		_, valid := e.tokens[tok]
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
