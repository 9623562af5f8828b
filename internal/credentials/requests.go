package credentials

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// Token services outside Entra: a CI system's ID token endpoint and a
// managed identity endpoint. Their answers and the bearer tokens sent to
// them are secrets: errors carry the service's status and message only.

// federatedAudience is the audience Entra expects of a federated token.
const federatedAudience = "api://AzureADTokenExchange"

var httpClient = &http.Client{Timeout: 30 * time.Second}

// githubToken requests an ID token from GitHub Actions' endpoint, for the
// audience Entra expects unless the URL names one.
func (s Settings) githubToken(ctx context.Context) (string, error) {
	return s.requestIDToken(ctx, http.MethodGet, "value", func(q url.Values) {
		if q.Get("audience") == "" {
			q.Set("audience", federatedAudience)
		}
	})
}

// pipelinesToken requests an ID token for a service connection from Azure
// Pipelines' OIDC token endpoint.
func (s Settings) pipelinesToken(ctx context.Context) (string, error) {
	return s.requestIDToken(ctx, http.MethodPost, "oidcToken", func(q url.Values) {
		if q.Get("api-version") == "" {
			q.Set("api-version", "7.1")
		}
		q.Set("serviceConnectionId", s.ADOServiceConnectionID)
	})
}

// requestIDToken asks oidc_request_url, with its query completed by query,
// and returns the answer's field.
func (s Settings) requestIDToken(ctx context.Context, method, field string, query func(url.Values)) (string, error) {
	u, err := url.Parse(s.OIDCRequestURL)
	if err != nil {
		return "", errors.New("oidc_request_url is not a URL")
	}
	q := u.Query()
	query(q)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), http.NoBody)
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+s.OIDCRequestToken)
	req.Header.Set("Accept", "application/json")
	resp, err := httpClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("requesting an ID token from %s (oidc_request_url): %w", u.Host, err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body)
	if resp.StatusCode != http.StatusOK {
		msg, _ := body["message"].(string)
		return "", fmt.Errorf("requesting an ID token from %s (oidc_request_url): %s %s; check oidc_request_token, which the CI system issues per job",
			u.Host, resp.Status, msg)
	}
	token, _ := body[field].(string)
	if token == "" {
		return "", fmt.Errorf("the ID token service at %s (oidc_request_url) answered without a token", u.Host)
	}
	return token, nil
}

// managedIdentity uses the Azure SDK's managed identity detection (IMDS,
// App Service, Arc, ...), or, with msi_endpoint, asks that endpoint in
// IMDS's shape as the azuread provider does.
func (s Settings) managedIdentity(client azcore.ClientOptions) (*Credential, error) {
	if s.MSIEndpoint == "" {
		opts := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: client}
		if s.ClientID != "" {
			opts.ID = azidentity.ClientID(s.ClientID)
		}
		c, err := azidentity.NewManagedIdentityCredential(opts)
		return &Credential{c, methodMSI}, err
	}
	if _, err := url.ParseRequestURI(s.MSIEndpoint); err != nil {
		return nil, errors.New("msi_endpoint (ARM_MSI_ENDPOINT) is not a URL")
	}
	return &Credential{&imdsCredential{endpoint: s.MSIEndpoint, clientID: s.ClientID}, methodMSI + " at msi_endpoint"}, nil
}

// imdsCredential gets tokens from an IMDS-shaped endpoint and keeps each
// until five minutes before it expires.
type imdsCredential struct {
	endpoint, clientID string

	mu     sync.Mutex
	cached map[string]azcore.AccessToken
}

func (c *imdsCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if len(opts.Scopes) != 1 {
		return azcore.AccessToken{}, errors.New("a managed identity token is for exactly one scope")
	}
	resource := strings.TrimSuffix(opts.Scopes[0], "/.default")
	c.mu.Lock()
	defer c.mu.Unlock()
	if tok, ok := c.cached[resource]; ok && time.Until(tok.ExpiresOn) > 5*time.Minute {
		return tok, nil
	}
	u, _ := url.Parse(c.endpoint)
	q := u.Query()
	q.Set("api-version", "2018-02-01")
	q.Set("resource", resource)
	if c.clientID != "" {
		q.Set("client_id", c.clientID)
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), http.NoBody)
	if err != nil {
		return azcore.AccessToken{}, err
	}
	req.Header.Set("Metadata", "true")
	resp, err := httpClient.Do(req)
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("msi_endpoint: %w", err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string      `json:"access_token"`
		ExpiresOn   json.Number `json:"expires_on"`
		Error       string      `json:"error_description"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		return azcore.AccessToken{}, fmt.Errorf("msi_endpoint answered %s: %s", resp.Status, body.Error)
	}
	exp, err := strconv.ParseInt(body.ExpiresOn.String(), 10, 64)
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("msi_endpoint answered an expiry that is not a Unix time")
	}
	tok := azcore.AccessToken{Token: body.AccessToken, ExpiresOn: time.Unix(exp, 0)}
	if c.cached == nil {
		c.cached = map[string]azcore.AccessToken{}
	}
	c.cached[resource] = tok
	return tok, nil
}
