package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Where CI systems and Azure run Terraform, the provider gets a token
// without a secret of its own. The emulator plays the other side of each:
//
//   - GitHub Actions' ID token service: a job with `id-token: write` gets
//     ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, and a GET of the URL (with
//     `audience`) and that bearer token answers {"value": <JWT>}
//     (https://docs.github.com/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect);
//   - Azure Pipelines' OIDC token endpoint of a service connection: a POST
//     of SYSTEM_OIDCREQUESTURI with `serviceConnectionId` and
//     SYSTEM_ACCESSTOKEN answers {"oidcToken": <JWT>}
//     (https://learn.microsoft.com/rest/api/azure/devops/distributedtask/oidctoken/create);
//   - AKS workload identity: a projected service-account token in the file
//     AZURE_FEDERATED_TOKEN_FILE names
//     (https://azure.github.io/azure-workload-identity/docs/);
//   - the Azure Instance Metadata Service's managed identity endpoint
//     (https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/how-to-use-vm-token);
//   - the Azure CLI's signed-in session, which `az account get-access-token`
//     turns into a token with a refresh token (cmd/az is its stand-in).
//
// The three token issuers sign with one key; the application trusts each
// through a federated identity credential.

// Subjects of the federated credentials the emulator's application holds.
const (
	GitHubSubject      = "repo:contoso/identity-as-code:environment:production"
	PipelinesSubject   = "sc://contoso/identity/entra-tenant"
	WorkloadSubject    = "system:serviceaccount:identity:terraform"
	ServiceConnection  = "5d3b0c6e-6a3e-4b6f-9c1e-0c0ffee0e1d1"
	ManagedIdentityID  = "99999999-8888-7777-6666-555555555555"
	AzureCLIClientID   = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
	cliLoginFile       = "entra-emulator-login.json"
	issuedTokenSeconds = 600
)

var (
	issuerKeyOnce sync.Once
	issuerRSA     *rsa.PrivateKey
)

// issuerKey is the signing key of the token issuers the emulator plays,
// shared by every emulator in a process: RSA keys are slow to make.
func issuerKey() *rsa.PrivateKey {
	issuerKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		issuerRSA = k
	})
	return issuerRSA
}

func (e *Emulator) githubIssuer() string    { return e.URL() + "/_github" }
func (e *Emulator) pipelinesIssuer() string { return e.URL() + "/_pipelines/" + e.opts.TenantID }
func (e *Emulator) workloadIssuer() string  { return e.URL() + "/_aks/oidc" }

// FederatedCredentials are the application's federated identity
// credentials: one for each token issuer the emulator plays.
func (e *Emulator) FederatedCredentials() []FederatedCredential {
	return []FederatedCredential{
		{Issuer: e.githubIssuer(), Subject: GitHubSubject, Audience: federatedAudience},
		{Issuer: e.pipelinesIssuer(), Subject: PipelinesSubject, Audience: federatedAudience},
		{Issuer: e.workloadIssuer(), Subject: WorkloadSubject, Audience: federatedAudience},
	}
}

func (e *Emulator) knownIssuer(iss string) bool {
	return slices.ContainsFunc(e.FederatedCredentials(), func(fc FederatedCredential) bool { return fc.Issuer == iss })
}

// mint signs a token of one of the emulator's issuers, valid for ttl from
// the emulator's clock (negative: already expired).
func (e *Emulator) mint(issuer, subject, audience string, ttl time.Duration) string {
	e.mu.Lock()
	now := e.now()
	e.mu.Unlock()
	start := now
	if ttl < 0 {
		start = now.Add(2 * ttl)
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.RegisteredClaims{
		Issuer: issuer, Subject: subject, Audience: jwt.ClaimStrings{audience}, ID: newID(),
		IssuedAt: jwt.NewNumericDate(start), NotBefore: jwt.NewNumericDate(start), ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	})
	t.Header["kid"] = "emulator"
	s, err := t.SignedString(issuerKey())
	if err != nil {
		panic(err)
	}
	return s
}

// WorkloadIdentityToken is the service-account token AKS projects into a
// pod, for AZURE_FEDERATED_TOKEN_FILE, valid for ttl (negative: expired).
func (e *Emulator) WorkloadIdentityToken(ttl time.Duration) string {
	return e.mint(e.workloadIssuer(), WorkloadSubject, federatedAudience, ttl)
}

// GitHubActions returns what a GitHub Actions job with `id-token: write`
// finds in ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN.
func (e *Emulator) GitHubActions() (requestURL, requestToken string) {
	return e.githubIssuer() + "/_apis/actions/idtoken?api-version=2.0", e.runnerToken()
}

// AzurePipelines returns what an Azure Pipelines job finds in
// SYSTEM_OIDCREQUESTURI and SYSTEM_ACCESSTOKEN, and the id of the service
// connection the application's federated credential trusts.
func (e *Emulator) AzurePipelines() (requestURL, accessToken, serviceConnectionID string) {
	return e.URL() + "/_pipelines/contoso/_apis/distributedtask/hubs/build/plans/" + newID() + "/jobs/" + newID() + "/oidctoken",
		e.runnerToken(), ServiceConnection
}

// runnerToken issues a CI job's own bearer token for its token service.
func (e *Emulator) runnerToken() string {
	tok := "runner." + newID()
	e.mu.Lock()
	e.runnerTokens[tok] = true
	e.mu.Unlock()
	return tok
}

func (e *Emulator) runnerAuthorized(r *http.Request) bool {
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.runnerTokens[tok]
}

// githubIDToken answers GitHub Actions' ID token request. Without an
// audience GitHub uses the repository owner's URL, which Entra refuses.
func (e *Emulator) githubIDToken(w http.ResponseWriter, r *http.Request) {
	if !e.runnerAuthorized(r) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Bad credentials"})
		return
	}
	aud := r.URL.Query().Get("audience")
	if aud == "" {
		aud = "https://github.com/contoso"
	}
	writeJSON(w, http.StatusOK, map[string]any{"count": 1, "value": e.mint(e.githubIssuer(), GitHubSubject, aud, issuedTokenSeconds*time.Second)})
}

// pipelinesIDToken answers Azure Pipelines' OIDC token request for a
// service connection.
func (e *Emulator) pipelinesIDToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case !e.runnerAuthorized(r):
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "TF400813: The user is not authorized to access this resource."})
	case q.Get("api-version") == "":
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "No api-version was supplied for the \"POST\" request."})
	case q.Get("serviceConnectionId") != ServiceConnection:
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Service connection " + q.Get("serviceConnectionId") + " was not found."})
	default:
		writeJSON(w, http.StatusOK, map[string]any{"oidcToken": e.mint(e.pipelinesIssuer(), PipelinesSubject, federatedAudience, issuedTokenSeconds*time.Second)})
	}
}

// ManagedIdentityEndpoint is the emulator's IMDS-shaped managed identity
// token endpoint, for msi_endpoint.
func (e *Emulator) ManagedIdentityEndpoint() string {
	return e.URL() + "/metadata/identity/oauth2/token"
}

// managedIdentityToken answers as IMDS does: the Metadata header is
// required, client_id picks a user-assigned identity, numbers are strings.
func (e *Emulator) managedIdentityToken(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case r.Header.Get("Metadata") != "true":
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "Required metadata header not specified"})
	case q.Get("api-version") == "":
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "Required query variable 'api-version' is missing"})
	case q.Get("resource") == "":
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "Required query variable 'resource' is missing"})
	case q.Get("client_id") != "" && q.Get("client_id") != ManagedIdentityID:
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "invalid_request", "error_description": "Identity not found"})
	default:
		e.mu.Lock()
		now := e.now()
		e.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": e.issueToken(GrantManagedIdentity), "client_id": ManagedIdentityID,
			"expires_in": "86399", "expires_on": strconv.FormatInt(now.Add(86399*time.Second).Unix(), 10),
			"not_before": strconv.FormatInt(now.Unix(), 10), "resource": q.Get("resource"), "token_type": "Bearer",
		})
	}
}

// cliLogin is what the Azure CLI stand-in finds in its configuration
// directory after a sign-in.
type cliLogin struct {
	TokenEndpoint string `json:"tokenEndpoint"`
	Tenant        string `json:"tenant"`
	RefreshToken  string `json:"refreshToken"`
}

// AzureCLILogin signs an administrator in to the Azure CLI stand-in whose
// configuration directory (AZURE_CONFIG_DIR) is dir, as `az login` does.
func (e *Emulator) AzureCLILogin(dir string) error {
	rt := "cli." + newID()
	e.mu.Lock()
	e.cliSessions[rt] = true
	e.mu.Unlock()
	b, err := json.Marshal(cliLogin{TokenEndpoint: e.tokenEndpoint(), Tenant: e.opts.TenantID, RefreshToken: rt})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, cliLoginFile), b, 0o600)
}

// ReadCLILogin reads the session AzureCLILogin wrote into dir.
func ReadCLILogin(dir string) (tokenEndpoint, tenant, refreshToken string, err error) {
	b, err := os.ReadFile(filepath.Join(dir, cliLoginFile))
	if err != nil {
		return "", "", "", err
	}
	var l cliLogin
	err = json.Unmarshal(b, &l)
	return l.TokenEndpoint, l.Tenant, l.RefreshToken, err
}

func (e *Emulator) routeWorkloadIdentity(mux *http.ServeMux) {
	mux.HandleFunc("GET /_github/_apis/actions/idtoken", e.githubIDToken)
	mux.HandleFunc("POST /_pipelines/{org}/_apis/distributedtask/hubs/build/plans/{plan}/jobs/{job}/oidctoken", e.pipelinesIDToken)
	mux.HandleFunc("GET /metadata/identity/oauth2/token", e.managedIdentityToken)
}
