// Package emulator is an in-process, HTTPS emulator of the parts of Microsoft
// Graph and the Microsoft identity platform that the provider calls. It follows
// contributing/graph-behaviour.md: response shapes, status
// codes, validation and OData error bodies, throttling with Retry-After.
package emulator

import (
	"compress/gzip"
	"crypto/x509"
	"fmt"
	"io"
	"maps"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"
)

// Options configure a new emulator. Zero values give a migrated tenant with
// Graph's documented defaults and the well-known test credentials below.
type Options struct {
	TenantID     string
	ClientID     string
	ClientSecret string
	// Addr is the listen address; empty picks a free loopback port.
	Addr string
	// LegacyFido2 seeds a tenant that was never migrated to passkey
	// profiles: defaultPasskeyProfile is null and profiles are refused.
	LegacyFido2 bool
	// Users seeds the directory; nil means SeedUsers.
	Users []User
	// Groups seeds the directory's groups; nil means SeedGroups.
	Groups []Group
	// TrustedAttestationCAs are the DER certificates of the authenticator
	// vendors whose attestations the tenant accepts.
	TrustedAttestationCAs [][]byte
	// Models names authenticator models by AAGUID, beside the built-in ones.
	Models map[string]string
	// RPID is the relying party id of passkey registrations; empty means
	// DefaultRPID.
	RPID string
	// OpaqueMethodIDs gives FIDO2 methods ids unrelated to their credential.
	// Graph's reference calls the ids opaque, while its examples look like
	// the credential id in base64url with a padding-count suffix, which is
	// what the emulator answers otherwise.
	OpaqueMethodIDs bool
	// ProfilesOnlyWhenExpanded leaves passkeyProfiles out of a Fido2 read
	// unless it asks for $expand=passkeyProfiles, as OData does with a
	// navigation property; Graph's reference shows them inline, which the
	// emulator does otherwise.
	ProfilesOnlyWhenExpanded bool
	// ServerAssignedProfileIDs gives each new passkey profile an id of the
	// server's, whatever id the PATCH sent, as Graph's own example (profiles
	// created without ids) suggests; otherwise a client's id is kept.
	ServerAssignedProfileIDs bool
	// TargetsWithoutProfiles accepts FIDO2 include targets that name no
	// passkey profile once profiles are in use (the default profile then
	// applies), as a GET can show them; otherwise they are refused, as a
	// Microsoft support article reports.
	TargetsWithoutProfiles bool
	// LegacyFido2NotMirrored plays a tenant whose deprecated FIDO2 fields
	// (isAttestationEnforced, keyRestrictions) keep the values they had at
	// the migration to passkey profiles and mirror nothing; otherwise they
	// follow the default profile, and writing them changes it, as Graph's
	// reference describes. Which one Graph does is not confirmed.
	LegacyFido2NotMirrored bool
	// CampaignWithoutFido2 plays a tenant whose registration campaign
	// still refuses passkeys (fido2) as its targeted method, as before
	// Microsoft extended it in 2026.
	CampaignWithoutFido2 bool
	// CampaignFido2Spelling is how the campaign answers its passkey target,
	// such as "Fido2" as one page of Graph's reference spells it; empty
	// answers "fido2".
	CampaignFido2Spelling string
	// MaskedPhoneNumbers masks phone numbers in reads, as Graph shows them
	// to an Authentication Administrator (a role that may not see them whole).
	MaskedPhoneNumbers bool
	// GeneratedResetPins makes a QR code PIN reset ignore the PIN sent and
	// make one, as the reference says in one place; otherwise the PIN sent
	// is taken, as its example shows.
	GeneratedResetPins bool
	// SparseMethodList answers the list of all of a user's methods with
	// each one's type, id and creation time only, which the reference's
	// example does not rule out; otherwise each method comes whole, as the
	// item would.
	SparseMethodList bool
	// Latency delays every Graph answer by about this long, give or take
	// Jitter, as Graph's own service time does (tens of milliseconds);
	// zero answers at once.
	Latency, Jitter time.Duration
	// ReportLag keeps methods registered within it out of the registration
	// report, which is built from the method store and trails it.
	ReportLag time.Duration
	// UnlicensedReport refuses the registration report, as Graph does in a
	// tenant without Microsoft Entra ID P1 or P2.
	UnlicensedReport bool
	// PasskeyReportNames names FIDO2 methods "passKeyDeviceBound" in the
	// registration report rather than "fido2".
	PasskeyReportNames bool
}

// Default credentials of the emulator's single tenant and application.
const (
	DefaultTenantID     = "00000000-0000-0000-0000-00000000e1d1"
	DefaultClientID     = "11111111-2222-3333-4444-555555555555"
	DefaultClientSecret = "emulator-secret"
)

// Emulator is a running Graph emulator.
type Emulator struct {
	opts   Options
	server *httptest.Server
	caPEM  []byte

	mu sync.Mutex
	// tokens are the access tokens issued, by grant kind; grants counts
	// them. certificates are the application's registered certificates,
	// runnerTokens the CI jobs' tokens for their ID token services and
	// cliSessions the Azure CLI sign-ins' refresh tokens (workload.go).
	tokens       map[string]string
	grants       map[string]int
	certificates []*x509.Certificate
	runnerTokens map[string]bool
	cliSessions  map[string]bool
	faults       []*Fault
	requests     map[string]int
	policies     *policyStore
	users        []User
	groups       []Group
	// taps holds each user's pass by user id: Graph keeps one per user.
	taps       map[string]*tapMethod
	issued     []issuedPass
	fido2      map[string][]*fido2Method
	challenges map[string]challenge
	trusted    *x509.CertPool
	models     map[string]string
	rpID       string
	// budget, when positive, is how many Graph requests a window allows,
	// as Graph's per-tenant throttling does; beyond it requests get 429.
	budget      int
	window      time.Duration
	windowStart time.Time
	windowUsed  int
	throttled   int
	storm       *storm
	clockOffset time.Duration
	// lag and stale model replication lag (lag.go).
	lag   time.Duration
	stale map[string]staleRead
	// strengths are the authentication strengths (strengths.go).
	strengths []*strength
	// phones, emails and held are users' other methods, by user id
	// (user_methods.go).
	phones map[string]map[string]*phoneMethod
	emails map[string]*emailMethod
	held   map[string][]*HeldMethod
	// qrCodes are users' QR code PIN methods, and issuedQR every image and
	// PIN handed out (qr_code_pin.go).
	qrCodes  map[string]*qrMethod
	issuedQR []string
	// oathDevices is the hardware OATH token inventory (hardware_oath.go).
	oathDevices []*oathDevice
}

// Start launches an emulator on loopback with TLS.
func Start(opts Options) (*Emulator, error) {
	if opts.TenantID == "" {
		opts.TenantID = DefaultTenantID
	}
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	tlsCfg, caPEM, err := newTLS()
	if err != nil {
		return nil, err
	}
	e := &Emulator{
		opts:     opts,
		caPEM:    caPEM,
		tokens:   map[string]string{},
		grants:   map[string]int{},
		requests: map[string]int{},
		policies: newPolicyStore(opts),
		users:    opts.Users,
		taps:     map[string]*tapMethod{},
		stale:    map[string]staleRead{},
	}
	if e.users == nil {
		e.users = SeedUsers
	}
	if e.groups = opts.Groups; e.groups == nil {
		e.groups = SeedGroups
	}
	e.fido2, e.challenges = map[string][]*fido2Method{}, map[string]challenge{}
	e.strengths = builtInStrengths()
	e.phones, e.emails, e.held = map[string]map[string]*phoneMethod{}, map[string]*emailMethod{}, map[string][]*HeldMethod{}
	e.qrCodes = map[string]*qrMethod{}
	e.runnerTokens, e.cliSessions = map[string]bool{}, map[string]bool{}
	e.rpID = opts.RPID
	if e.rpID == "" {
		e.rpID = DefaultRPID
	}
	e.models = maps.Clone(knownModels)
	maps.Copy(e.models, opts.Models)
	for _, der := range opts.TrustedAttestationCAs {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("trusted attestation CA: %w", err)
		}
		if e.trusted == nil {
			e.trusted = x509.NewCertPool()
		}
		e.trusted.AddCert(c)
	}
	srv := httptest.NewUnstartedServer(e.handler())
	if opts.Addr != "" {
		l, err := net.Listen("tcp", opts.Addr)
		if err != nil {
			return nil, err
		}
		srv.Listener.Close()
		srv.Listener = l
	}
	srv.TLS = tlsCfg
	srv.StartTLS()
	e.server = srv
	return e, nil
}

// URL is the emulator's base URL (https://127.0.0.1:port), which serves both
// as the Graph endpoint and as the authority host.
func (e *Emulator) URL() string { return e.server.URL }

// TenantID, ClientID and ClientSecret are the credentials the emulator accepts.
func (e *Emulator) TenantID() string     { return e.opts.TenantID }
func (e *Emulator) ClientID() string     { return e.opts.ClientID }
func (e *Emulator) ClientSecret() string { return e.opts.ClientSecret }

// CAPEM is the PEM of the CA that signed the emulator's certificate.
func (e *Emulator) CAPEM() []byte { return e.caPEM }

// WriteCAFile writes the CA to path for clients to trust via SSL_CERT_FILE.
func (e *Emulator) WriteCAFile(path string) error {
	return os.WriteFile(path, e.caPEM, 0o644)
}

// Close stops the emulator.
func (e *Emulator) Close() { e.server.Close() }

// Requests returns how many requests each route kind received, keyed like
// "PATCH authenticationMethodConfigurations" or "POST token".
func (e *Emulator) Requests() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]int, len(e.requests))
	for k, v := range e.requests {
		out[k] = v
	}
	return out
}

func (e *Emulator) handler() http.Handler {
	graph := http.NewServeMux()
	e.routePolicies(graph)
	e.routeUsers(graph)
	e.routeDirectory(graph)
	e.routeUserMethods(graph)
	e.routeQRCodePin(graph)
	e.routeHardwareOath(graph)
	e.routeFido2(graph)
	e.routeStrengths(graph)
	graph.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusBadRequest, "BadRequest",
			fmt.Sprintf("Resource not found for the segment '%s'.", firstSegment(r.URL.Path)))
	})
	graphAPI := http.StripPrefix("/v1.0", e.requireToken(graph))
	// Graph beta, for the few calls the provider makes there: the same
	// routes, which answer (and accept) beta's properties too.
	betaAPI := http.StripPrefix("/beta", e.requireToken(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set(betaHeader, "1")
		graph.ServeHTTP(w, r)
	})))

	identity := http.NewServeMux()
	identity.HandleFunc("GET /{tenant}/v2.0/.well-known/openid-configuration", e.openIDConfiguration)
	identity.HandleFunc("POST /{tenant}/oauth2/v2.0/token", e.token)
	e.routeWorkloadIdentity(identity)
	// The test controls change the tenant's behaviour: they take a token of
	// the emulator's, like Graph calls.
	identity.Handle("POST /_emulator/faults", e.requireToken(http.HandlerFunc(e.postFault)))
	identity.Handle("POST /_emulator/clock", e.requireToken(http.HandlerFunc(e.postClock)))

	return e.countAndFault(decodeGzip(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/v1.0/"):
			graphAPI.ServeHTTP(w, r)
		case strings.HasPrefix(r.URL.Path, "/beta/"):
			r.Header.Del(betaHeader)
			betaAPI.ServeHTTP(w, r)
		default:
			identity.ServeHTTP(w, r)
		}
	})))
}

// betaHeader marks, inside the emulator, a request that came through /beta.
const betaHeader = "X-Emulator-Beta"

// countAndFault records each request by kind and answers with an injected
// fault when one matches.
func (e *Emulator) countAndFault(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.requests[r.Method+" "+routeKind(r.URL.Path)]++
		f := e.takeFault(r)
		if f == nil && (strings.HasPrefix(r.URL.Path, "/v1.0/") || strings.HasPrefix(r.URL.Path, "/beta/")) {
			if f = e.spend(); f == nil {
				f = e.storm.draw()
			}
		}
		delay := e.delay(r)
		e.mu.Unlock()
		time.Sleep(delay)
		if f != nil {
			f.serve(w, r, next)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// routeKinds are the path segments requests are counted by.
var routeKinds = map[string]bool{
	"authenticationMethodConfigurations": true, "temporaryAccessPassMethods": true, "fido2Methods": true,
	"creationOptions": true, "methods": true, "transitiveMemberOf": true, "faults": true, "clock": true,
	"authenticationStrengthPolicies": true, "combinationConfigurations": true, "updateAllowedCombinations": true,
	"phoneMethods": true, "emailMethods": true, "qrCodePinMethod": true, "hardwareOathDevices": true, "hardwareOathMethods": true,
	"microsoftAuthenticatorMethods": true, "softwareOathMethods": true, "windowsHelloForBusinessMethods": true, "platformCredentialMethods": true,
	"userRegistrationDetails": true, "transitiveMembers": true, "users": true,
}

// routeKind names a request by the last segment of its path that names a
// collection, so counts stay readable: /v1.0/users/x/authentication/methods
// counts as "methods", a FIDO2 method by id as "fido2Methods".
func routeKind(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(segs) >= 3 && segs[1] == "oauth2":
		return "token"
	case strings.Contains(path, "openid-configuration"):
		return "openid-configuration"
	}
	for i := len(segs) - 1; i >= 0; i-- {
		if routeKinds[segs[i]] {
			return segs[i]
		}
	}
	return firstSegment(path)
}

func firstSegment(p string) string {
	p = strings.TrimPrefix(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return p
}

// decodeGzip accepts gzip request bodies: msgraph-sdk-go compresses every
// request body (graph-behaviour.md#what-msgraph-sdk-go-does-on-the-wire).
func decodeGzip(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				writeError(w, http.StatusBadRequest, "BadRequest", "The request body is not valid gzip.")
				return
			}
			r.Body = io.NopCloser(zr)
			r.Header.Del("Content-Encoding")
		}
		next.ServeHTTP(w, r)
	})
}

// ResetRequests zeroes the request counts.
func (e *Emulator) ResetRequests() {
	e.mu.Lock()
	e.requests = map[string]int{}
	e.mu.Unlock()
}

// SetLatency makes Graph answers take about d, give or take jitter.
func (e *Emulator) SetLatency(d, jitter time.Duration) {
	e.mu.Lock()
	e.opts.Latency, e.opts.Jitter = d, jitter
	e.mu.Unlock()
}

// delay is how long to hold a Graph request before serving it: the
// latency, spread evenly over ± jitter. The caller holds e.mu.
func (e *Emulator) delay(r *http.Request) time.Duration {
	if e.opts.Latency <= 0 || !(strings.HasPrefix(r.URL.Path, "/v1.0/") || strings.HasPrefix(r.URL.Path, "/beta/")) {
		return 0
	}
	d := e.opts.Latency
	if j := int64(e.opts.Jitter); j > 0 {
		d += time.Duration(mrand.Int64N(2*j+1) - j)
	}
	return d
}

// SetBudget limits Graph requests to n per window (n = 0 lifts the limit).
func (e *Emulator) SetBudget(n int, window time.Duration) {
	e.mu.Lock()
	e.budget, e.window, e.windowStart, e.windowUsed, e.throttled = n, window, time.Now(), 0, 0
	e.mu.Unlock()
}

// Throttled is how many requests the budget answered with 429.
func (e *Emulator) Throttled() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.throttled
}

// spend takes one request from the budget, or returns the 429 to answer with,
// whose Retry-After is the honest wait until the window refills. The caller
// holds e.mu.
func (e *Emulator) spend() *Fault {
	if e.budget <= 0 {
		return nil
	}
	now := time.Now()
	if elapsed := now.Sub(e.windowStart); elapsed >= e.window {
		e.windowStart, e.windowUsed = now.Add(-(elapsed % e.window)), 0
	}
	if e.windowUsed < e.budget {
		e.windowUsed++
		return nil
	}
	e.throttled++
	wait := e.windowStart.Add(e.window).Sub(now)
	return &Fault{Status: http.StatusTooManyRequests, RetryAfter: int((wait + time.Second - 1) / time.Second)}
}
