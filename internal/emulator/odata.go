package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"
)

// writeError writes Graph's OData error shape:
// {"error": {"code", "message", "innerError": {"request-id", "date"}}}.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{
		"error": map[string]any{
			"code":    code,
			"message": message,
			"innerError": map[string]any{
				"request-id": newID(),
				"date":       time.Now().UTC().Format(time.RFC3339),
			},
		},
	})
}

// writeJSON always sets Content-Type: the Go SDK silently returns nil for a
// response body without it (graph-behaviour.md#what-msgraph-sdk-go-does-on-the-wire).
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func badRequest(w http.ResponseWriter, message string) {
	writeError(w, http.StatusBadRequest, "badRequest", message)
}

// newID returns a random GUID-shaped identifier.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// readBody decodes a JSON object body, or writes Graph's 400 for one that
// is not JSON.
func readBody(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, bool) {
	body := map[string]json.RawMessage{}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil && !errors.Is(err, io.EOF) {
		badRequest(w, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return nil, false
	}
	delete(body, "@odata.type")
	return body, true
}
