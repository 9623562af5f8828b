package emulator

import (
	"encoding/json"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"
)

// Fault makes the emulator answer matching requests with an error instead of
// serving them, Times times.
type Fault struct {
	// Method matches the HTTP method; empty matches any.
	Method string `json:"method"`
	// PathContains matches a substring of the request path.
	PathContains string `json:"path_contains"`
	// Status is the HTTP status to answer with, such as 429 or 503.
	Status int `json:"status"`
	// RetryAfter, when positive, is sent as the Retry-After header (seconds).
	RetryAfter int `json:"retry_after"`
	// Times is how many requests the fault answers; 0 means once.
	Times int `json:"times"`
	// Action, when set, replaces the status answer: "reset" drops the
	// connection before the request is served, "reset-after" serves it and
	// then drops the connection instead of answering, "slow" serves it and
	// answers after Delay (longer than the client waits), "committed" serves
	// it and answers Status instead of its answer, as a gateway does whose
	// wait for Graph ran out after Graph acted (Graph's error reference: a
	// 502 or 504 comes from a gateway and says nothing of the backend),
	// "self-link" serves a collection page whose @odata.nextLink is the
	// page itself (a broken server; a client must not loop on it),
	// "redirect" answers 302 Found to another address without serving the
	// request, and "empty" serves it and answers 200 with no body, as a proxy
	// or a misrouted endpoint in front of Graph can (Graph's own successes
	// are 2xx with the documented body).
	Action string        `json:"action"`
	Delay  time.Duration `json:"delay"`
	// Meanwhile, for tests in Go, runs when the fault fires, before the
	// request is served: something else that happens to the tenant then.
	Meanwhile func() `json:"-"`
}

// StormOptions make the emulator answer a share of Graph requests with a
// random fault, from a seeded generator.
type StormOptions struct {
	Seed int64
	// Rate is the share of requests that get a fault, 0..1.
	Rate float64
	// SlowDelay is how long a "slow" answer takes.
	SlowDelay time.Duration
	// Lag is how long the tenant reads stale after a write (see SetLag).
	Lag time.Duration
}

// storm is the active storm; the caller of its methods holds e.mu.
type storm struct {
	StormOptions
	rng      *rand.Rand
	injected map[string]int
}

// StartStorm begins injecting random faults; StopStorm ends it and says
// how many of each kind were injected.
func (e *Emulator) StartStorm(o StormOptions) {
	e.mu.Lock()
	e.storm = &storm{StormOptions: o, rng: rand.New(rand.NewSource(o.Seed)), injected: map[string]int{}}
	e.mu.Unlock()
}

func (e *Emulator) StopStorm() map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.storm == nil {
		return nil
	}
	out := e.storm.injected
	e.storm = nil
	return out
}

// draw picks the storm's fault for a request, if any.
func (s *storm) draw() *Fault {
	if s == nil || s.rng.Float64() >= s.Rate {
		return nil
	}
	faults := []Fault{
		{Status: http.StatusTooManyRequests, RetryAfter: 1},
		{Status: http.StatusInternalServerError},
		{Status: http.StatusServiceUnavailable},
		{Action: "reset"},
		{Action: "reset-after"},
		{Action: "slow", Delay: s.SlowDelay},
		{Action: "committed", Status: http.StatusGatewayTimeout},
	}
	f := faults[s.rng.Intn(len(faults))]
	kind := f.Action
	if f.Status != 0 {
		kind = strings.TrimLeft(kind+" "+strconv.Itoa(f.Status), " ")
	}
	s.injected[kind]++
	return &f
}

// Inject adds a fault.
func (e *Emulator) Inject(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	e.mu.Lock()
	e.faults = append(e.faults, &f)
	e.mu.Unlock()
}

// takeFault returns the first fault matching r and uses up one of its times.
// The caller holds e.mu.
func (e *Emulator) takeFault(r *http.Request) *Fault {
	for i, f := range e.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if !strings.Contains(r.URL.Path, f.PathContains) {
			continue
		}
		f.Times--
		if f.Times == 0 {
			e.faults = append(e.faults[:i], e.faults[i+1:]...)
		}
		return f
	}
	return nil
}

// serve answers r with the fault, serving the request first (next) where
// the action says so.
func (f *Fault) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	if f.Meanwhile != nil {
		f.Meanwhile()
	}
	switch f.Action {
	case "reset":
		dropConnection(w)
	case "reset-after":
		next.ServeHTTP(httptest.NewRecorder(), r)
		dropConnection(w)
	case "committed":
		next.ServeHTTP(httptest.NewRecorder(), r)
		f.write(w)
	case "self-link":
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var page map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &page)
		page["@odata.nextLink"] = "https://" + r.Host + r.URL.RequestURI()
		writeJSON(w, rec.Code, page)
	case "redirect":
		w.Header().Set("Location", "https://"+r.Host+"/v1.0/me")
		w.WriteHeader(http.StatusFound)
	case "empty":
		next.ServeHTTP(httptest.NewRecorder(), r)
		w.WriteHeader(http.StatusOK)
	case "slow":
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	default:
		f.write(w)
	}
}

// dropConnection closes the connection without an answer, as a reset does.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (f *Fault) write(w http.ResponseWriter) {
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	code := "serviceNotAvailable"
	msg := "The service is temporarily unavailable."
	switch f.Status {
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		code, msg = "GatewayTimeout", "The gateway did not receive a timely response from the upstream server."
	case http.StatusTooManyRequests:
		code, msg = "TooManyRequests", "Too many requests, retry after the time in the Retry-After header."
	case http.StatusInternalServerError:
		code, msg = "InternalServerError", "An internal server error occurred."
	}
	writeError(w, f.Status, code, msg)
}

// postFault lets a standalone emulator's user inject faults:
// curl -H "Authorization: Bearer $TOKEN" -X POST $URL/_emulator/faults -d '{"path_contains":"Fido2","status":429,"retry_after":2}'.
func (e *Emulator) postFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := json.NewDecoder(r.Body).Decode(&f); err != nil || (f.Status < 400 && f.Action == "") {
		badRequest(w, "a fault needs a JSON body with a status of 400 or more, or an action")
		return
	}
	e.Inject(f)
	w.WriteHeader(http.StatusNoContent)
}
