// Package graph is the provider's only door to Microsoft Graph. It sends
// requests through msgraph-sdk-go's request adapter (so authentication,
// compression and telemetry are the SDK's own), adds retries that honour
// Retry-After, and maps OData errors to *Error.
package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	abs "github.com/microsoft/kiota-abstractions-go"
	kauth "github.com/microsoft/kiota-authentication-azure-go"
	khttp "github.com/microsoft/kiota-http-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	core "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// DefaultEndpoint is the public cloud's Graph endpoint.
const DefaultEndpoint = "https://graph.microsoft.com"

// nationalClouds names Graph's national cloud deployments by their hosts.
var nationalClouds = map[string]string{
	"graph.microsoft.us":              "US Government L4",
	"dod-graph.microsoft.us":          "US Government L5 (DOD)",
	"microsoftgraph.chinacloudapi.cn": "China (operated by 21Vianet)",
}

// sdkVersion is the msgraph-sdk-go release whose adapter options we mirror;
// we build the adapter from msgraph-sdk-go-core directly so that the
// provider does not compile the SDK's thousands of request builders.
const sdkVersion = "1.89.0"

// Config describes how to reach Graph.
type Config struct {
	// Endpoint is Graph's base URL without the version, such as
	// https://graph.microsoft.com.
	Endpoint   string
	Credential azcore.TokenCredential
	Retry      RetryPolicy
}

// Client sends typed Graph operations.
type Client struct {
	tapPolicy   cached[TemporaryAccessPassPolicy]
	fido2Policy cached[Fido2Policy]
	methods     methodsCache
	directory   directory
	retry       *retryHandler
	adapter     *core.GraphRequestAdapterBase
	base        string // Endpoint + "/v1.0"
	cloud       string // the national cloud's name, or empty
}

// NationalCloud names the national cloud the client talks to; empty for the
// global service (and for any other endpoint, such as an emulator).
func (c *Client) NationalCloud() string { return c.cloud }

// New builds a client. It makes no request: the first token is fetched with
// the first call.
func New(cfg Config) (*Client, error) {
	endpoint := strings.TrimRight(cfg.Endpoint, "/")
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("graph endpoint %q must be an https URL", cfg.Endpoint)
	}
	if cfg.Retry.MaxAttempts == 0 {
		cfg.Retry = DefaultRetryPolicy
	}
	// The SDK's authentication provider attaches tokens only for hosts it is
	// told about (graph-behaviour.md#what-msgraph-sdk-go-does-on-the-wire): name the configured host explicitly.
	auth, err := kauth.NewAzureIdentityAuthenticationProviderWithScopesAndValidHosts(
		cfg.Credential, []string{endpoint + "/.default"}, []string{u.Hostname()})
	if err != nil {
		return nil, err
	}
	opts := core.GraphClientOptions{GraphServiceLibraryVersion: sdkVersion}
	retry := &retryHandler{policy: cfg.Retry, sleep: sleepCtx}
	httpClient := khttp.GetDefaultClient(
		answerGuard{},
		retry,
		core.NewGraphTelemetryHandler(&opts),
		khttp.NewCompressionHandler(),
		khttp.NewUserAgentHandler(),
	)
	// kiota's client gives the whole round trip 100 s, retries and their
	// Retry-After waits included (and its adapter puts the same deadline on
	// the context): sustained throttling would end as a client timeout,
	// never as the 429 it is. The retry budget and the per-attempt timeout
	// are the only clocks.
	httpClient.Timeout = 0
	httpClient.CheckRedirect = noRedirects
	adapter, err := core.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, opts, jsonser.NewJsonParseNodeFactory(), jsonser.NewJsonSerializationWriterFactory(), httpClient)
	if err != nil {
		return nil, err
	}
	base := endpoint + "/v1.0"
	adapter.SetBaseUrl(base)
	return &Client{retry: retry, adapter: adapter, base: base, cloud: nationalClouds[strings.ToLower(u.Hostname())]}, nil
}

var errorMapping = abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

// do sends one request to path (relative to /v1.0) with an optional JSON
// body, and decodes a JSON answer into out when out is not nil.
func (c *Client) do(ctx context.Context, method abs.HttpMethod, path string, in, out any) error {
	return c.doURL(ctx, method, c.base+path, in, out)
}

// doBeta is do against Graph beta, for what v1.0 does not have yet.
func (c *Client) doBeta(ctx context.Context, method abs.HttpMethod, path string, in, out any) error {
	return c.doURL(ctx, method, c.betaBase()+path, in, out)
}

func (c *Client) betaBase() string { return strings.TrimSuffix(c.base, "/v1.0") + "/beta" }

// doURL is do with an absolute URL, such as a page's @odata.nextLink.
func (c *Client) doURL(ctx context.Context, method abs.HttpMethod, target string, in, out any) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	path := u.Path
	if method != abs.GET && strings.Contains(path, "/users/") {
		c.methods.clear() // a user's methods change
	}
	ri := abs.NewRequestInformation()
	ri.Method = method
	ri.SetUri(*u)
	ri.Headers.Add("Accept", "application/json")
	if in != nil {
		body, err := json.Marshal(in)
		if err != nil {
			return err
		}
		ri.SetStreamContentAndContentType(body, "application/json")
	}
	raw, err := c.adapter.SendPrimitive(ctx, ri, "[]byte", errorMapping)
	if err != nil {
		return mapError(err)
	}
	if out == nil {
		return nil
	}
	if raw == nil {
		return fmt.Errorf("Graph answered %s %s without the body it should carry", method, path)
	}
	b, ok := raw.([]byte)
	if !ok {
		return fmt.Errorf("unexpected response type %T from %s %s", raw, method, path)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("decoding the answer to %s %s: %w", method, path, err)
	}
	return nil
}

// mapError turns the SDK's OData error into *Error, keeping Graph's message.
func mapError(err error) error {
	var oe *odataerrors.ODataError
	if errors.As(err, &oe) {
		ge := &Error{StatusCode: oe.ResponseStatusCode}
		if main := oe.GetErrorEscaped(); main != nil {
			if main.GetCode() != nil {
				ge.Code = *main.GetCode()
			}
			if main.GetMessage() != nil {
				ge.Message = *main.GetMessage()
			}
		}
		return ge
	}
	var ae *abs.ApiError
	if errors.As(err, &ae) && ae.ResponseStatusCode != 0 {
		return &Error{StatusCode: ae.ResponseStatusCode, Message: http.StatusText(ae.ResponseStatusCode)}
	}
	return err
}

// replaceSleep swaps how the client waits between retries (tests record the
// waits instead of sleeping).
func replaceSleep(c *Client, sleep func(context.Context, time.Duration) error) {
	c.retry.sleep = sleep
}

// listAll reads every page of a collection, following @odata.nextLink
// (graph-behaviour.md#paging). Links must stay on the Graph endpoint.
func listAll[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	return listFrom[T](ctx, c, c.base, path)
}

// listBeta is listAll in Graph beta.
func listBeta[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	return listFrom[T](ctx, c, c.betaBase(), path)
}

func listFrom[T any](ctx context.Context, c *Client, base, path string) ([]T, error) {
	var all []T
	next := base + path
	seen := map[string]bool{}
	for next != "" {
		if !strings.HasPrefix(next, base+"/") {
			return nil, fmt.Errorf("Graph's next page %q is not on %s", next, base)
		}
		if seen[next] {
			return nil, fmt.Errorf("Graph's next page %q was read already: the list would never end", next)
		}
		if len(seen) == maxPages {
			return nil, fmt.Errorf("the list %s has more than %d pages: stopped reading it", path, maxPages)
		}
		seen[next] = true
		var page struct {
			Value    []T    `json:"value"`
			NextLink string `json:"@odata.nextLink"`
		}
		if err := c.doURL(ctx, abs.GET, next, nil, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Value...)
		next = page.NextLink
	}
	return all, nil
}
