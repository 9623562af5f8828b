package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
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

func (f *Fault) write(w http.ResponseWriter) {
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
	}
	code := "serviceNotAvailable"
	msg := "The service is temporarily unavailable."
	switch f.Status {
	case http.StatusTooManyRequests:
		code, msg = "TooManyRequests", "Too many requests, retry after the time in the Retry-After header."
	case http.StatusInternalServerError:
		code, msg = "InternalServerError", "An internal server error occurred."
	}
	writeError(w, f.Status, code, msg)
}

// postFault lets a standalone emulator's user inject faults:
// curl -X POST $URL/_emulator/faults -d '{"path_contains":"Fido2","status":429,"retry_after":2}'.
func (e *Emulator) postFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if err := json.NewDecoder(r.Body).Decode(&f); err != nil || f.Status < 400 {
		badRequest(w, "a fault needs a JSON body with a status of 400 or more")
		return
	}
	e.Inject(f)
	w.WriteHeader(http.StatusNoContent)
}
