package webauthn

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
)

// ClientData is the collected client data of a registration.
type ClientData struct {
	Type        string `json:"type"`
	Challenge   string `json:"challenge"`
	Origin      string `json:"origin"`
	CrossOrigin bool   `json:"crossOrigin"`
}

// NewClientDataJSON returns the client data a browser would send for a
// registration with rpID: type, challenge (as Graph issued it, unpadded),
// origin https://<rpID>, crossOrigin, in that order.
func NewClientDataJSON(challenge, rpID string) []byte {
	b, _ := json.Marshal(ClientData{
		Type:      "webauthn.create",
		Challenge: strings.TrimRight(challenge, "="),
		Origin:    "https://" + rpID,
	})
	return b
}

// Hash is the clientDataHash an authenticator signs.
func Hash(clientDataJSON []byte) []byte {
	sum := sha256.Sum256(clientDataJSON)
	return sum[:]
}

// ParseClientData decodes client data JSON.
func ParseClientData(b []byte) (*ClientData, error) {
	var c ClientData
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("client data is not JSON: %w", err)
	}
	if c.Type == "" || c.Challenge == "" || c.Origin == "" {
		return nil, fmt.Errorf("client data lacks type, challenge or origin")
	}
	return &c, nil
}
