package graph

import (
	"context"
	"net/url"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// Hardware OATH tokens, in Graph beta only: the tenant's inventory, and a
// token assigned to a user as one of their methods.

// OathToken is a hardware OATH token of the inventory. SecretKey is sent
// when the token is created and never returned.
type OathToken struct {
	ID                    string       `json:"id,omitempty"`
	DisplayName           string       `json:"displayName,omitempty"`
	SerialNumber          string       `json:"serialNumber"`
	Manufacturer          string       `json:"manufacturer"`
	Model                 string       `json:"model"`
	SecretKey             string       `json:"secretKey,omitempty"`
	TimeIntervalInSeconds int64        `json:"timeIntervalInSeconds"`
	HashFunction          string       `json:"hashFunction,omitempty"`
	Status                string       `json:"status,omitempty"`
	AssignedTo            *IdentityRef `json:"assignedTo,omitempty"`
	AssignTo              *IdentityRef `json:"assignTo,omitempty"`
}

// IdentityRef names a user.
type IdentityRef struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName,omitempty"`
}

// OathMethod is a user's hardware OATH method: a token assigned to them.
type OathMethod struct {
	ID     string `json:"id"`
	Device struct {
		ID string `json:"id"`
	} `json:"device"`
}

const oathDevicesPath = "/directory/authenticationMethodDevices/hardwareOathDevices"

// CreateOathToken adds a token to the inventory, assigned to t.AssignTo
// when set.
func (c *Client) CreateOathToken(ctx context.Context, t OathToken) (*OathToken, error) {
	var out OathToken
	return &out, c.doBeta(ctx, abs.POST, oathDevicesPath, t, &out)
}

// GetOathToken reads a token of the inventory.
func (c *Client) GetOathToken(ctx context.Context, id string) (*OathToken, error) {
	var out OathToken
	return &out, c.doBeta(ctx, abs.GET, oathDevicesPath+"/"+url.PathEscape(id), nil, &out)
}

// ListOathTokens lists the inventory.
func (c *Client) ListOathTokens(ctx context.Context) ([]OathToken, error) {
	return listBeta[OathToken](ctx, c, oathDevicesPath)
}

// FindOathToken finds the token with a serial number, or nil.
func (c *Client) FindOathToken(ctx context.Context, serial string) (*OathToken, error) {
	all, err := c.ListOathTokens(ctx)
	for i := range all {
		if strings.EqualFold(all[i].SerialNumber, serial) {
			return &all[i], err
		}
	}
	return nil, err
}

// RenameOathToken changes a token's display name.
func (c *Client) RenameOathToken(ctx context.Context, id, name string) error {
	return c.doBeta(ctx, abs.PATCH, oathDevicesPath+"/"+url.PathEscape(id), map[string]string{"displayName": name}, nil)
}

// DeleteOathToken removes a token from the inventory.
func (c *Client) DeleteOathToken(ctx context.Context, id string) error {
	return c.doBeta(ctx, abs.DELETE, oathDevicesPath+"/"+url.PathEscape(id), nil, nil)
}

func oathMethodsPath(user string) string { return userPath(user) + "hardwareOathMethods" }

// AssignOathToken assigns a token of the inventory to user.
func (c *Client) AssignOathToken(ctx context.Context, user, tokenID string) (*OathMethod, error) {
	body := map[string]any{"device": map[string]string{"id": tokenID}}
	var out OathMethod
	return &out, c.doBeta(ctx, abs.POST, oathMethodsPath(user), body, &out)
}

// ListOathMethods lists the tokens assigned to user, each with its token.
func (c *Client) ListOathMethods(ctx context.Context, user string) ([]OathMethod, error) {
	return listBeta[OathMethod](ctx, c, oathMethodsPath(user)+"?$expand=device")
}

// UnassignOathToken takes a token back from user; it stays in the
// inventory.
func (c *Client) UnassignOathToken(ctx context.Context, user, methodID string) error {
	return c.doBeta(ctx, abs.DELETE, oathMethodsPath(user)+"/"+url.PathEscape(methodID), nil, nil)
}

// ActivateOathToken activates a user's token with a current code from it.
func (c *Client) ActivateOathToken(ctx context.Context, user, methodID, code string) error {
	return c.doBeta(ctx, abs.POST, oathMethodsPath(user)+"/"+url.PathEscape(methodID)+"/activate", map[string]string{"verificationCode": code}, nil)
}
