package graph

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// TemporaryAccessPass is a user's Temporary Access Pass method. Secret is set
// only in the answer to CreateTemporaryAccessPass: Graph never returns it
// again.
type TemporaryAccessPass struct {
	ID                    string    `json:"id"`
	Secret                *string   `json:"temporaryAccessPass"`
	CreatedDateTime       time.Time `json:"createdDateTime"`
	StartDateTime         time.Time `json:"startDateTime"`
	LifetimeInMinutes     int64     `json:"lifetimeInMinutes"`
	IsUsableOnce          bool      `json:"isUsableOnce"`
	IsUsable              bool      `json:"isUsable"`
	MethodUsabilityReason string    `json:"methodUsabilityReason"`
}

// NewTemporaryAccessPass is the body of a create call; nil fields take the
// policy's defaults.
type NewTemporaryAccessPass struct {
	StartDateTime     *time.Time `json:"startDateTime,omitempty"`
	LifetimeInMinutes *int64     `json:"lifetimeInMinutes,omitempty"`
	IsUsableOnce      *bool      `json:"isUsableOnce,omitempty"`
}

// AuthenticationMethod is one entry of a user's methods: its id, its
// @odata.type and every property Graph returned, as JSON.
type AuthenticationMethod struct {
	ID         string
	ODataType  string
	Properties map[string]json.RawMessage
}

// Type is the method's short type name, as in "temporaryAccessPass" for
// #microsoft.graph.temporaryAccessPassAuthenticationMethod.
func (m AuthenticationMethod) Type() string {
	t := strings.TrimPrefix(m.ODataType, "#microsoft.graph.")
	return strings.TrimSuffix(t, "AuthenticationMethod")
}

// String is the method's string property name, or nil when it has none.
func (m AuthenticationMethod) String(name string) *string {
	var s *string
	if json.Unmarshal(m.Properties[name], &s) != nil {
		return nil
	}
	return s
}

func userPath(user string) string {
	return "/users/" + url.PathEscape(user) + "/authentication/"
}

// CreateTemporaryAccessPass issues a pass for user (object id or UPN). Graph
// keeps one pass per user: any previous one is deleted.
func (c *Client) CreateTemporaryAccessPass(ctx context.Context, user string, req NewTemporaryAccessPass) (*TemporaryAccessPass, error) {
	var p TemporaryAccessPass
	return &p, c.do(replayable(ctx), abs.POST, userPath(user)+"temporaryAccessPassMethods", req, &p)
}

// GetTemporaryAccessPass reads one pass's metadata.
func (c *Client) GetTemporaryAccessPass(ctx context.Context, user, id string) (*TemporaryAccessPass, error) {
	var p TemporaryAccessPass
	return &p, c.do(ctx, abs.GET, userPath(user)+"temporaryAccessPassMethods/"+url.PathEscape(id), nil, &p)
}

// ListTemporaryAccessPasses lists a user's passes: none or one.
func (c *Client) ListTemporaryAccessPasses(ctx context.Context, user string) ([]TemporaryAccessPass, error) {
	return listAll[TemporaryAccessPass](ctx, c, userPath(user)+"temporaryAccessPassMethods")
}

// DeleteTemporaryAccessPass deletes a pass.
func (c *Client) DeleteTemporaryAccessPass(ctx context.Context, user, id string) error {
	return c.do(ctx, abs.DELETE, userPath(user)+"temporaryAccessPassMethods/"+url.PathEscape(id), nil, nil)
}

// ListAuthenticationMethods lists all of a user's methods.
func (c *Client) ListAuthenticationMethods(ctx context.Context, user string) ([]AuthenticationMethod, error) {
	all, err := listAll[map[string]json.RawMessage](ctx, c, userPath(user)+"methods")
	if err != nil {
		return nil, err
	}
	out := make([]AuthenticationMethod, len(all))
	for i, props := range all {
		_ = json.Unmarshal(props["id"], &out[i].ID)
		_ = json.Unmarshal(props["@odata.type"], &out[i].ODataType)
		delete(props, "id")
		delete(props, "@odata.type")
		out[i].Properties = props
	}
	return out, nil
}

// ListUserGroupIDs lists the ids of the groups user belongs to, directly or
// through other groups.
func (c *Client) ListUserGroupIDs(ctx context.Context, user string) ([]string, error) {
	all, err := listAll[directoryObject](ctx, c, "/users/"+url.PathEscape(user)+"/transitiveMemberOf")
	if err != nil {
		return nil, err
	}
	return idsOf(all, "#microsoft.graph.group"), nil
}

// User is a directory user.
type User struct {
	ID                string `json:"id"`
	UserPrincipalName string `json:"userPrincipalName"`
	DisplayName       string `json:"displayName"`
}

// GetUser reads a user by object id or user principal name.
func (c *Client) GetUser(ctx context.Context, user string) (*User, error) {
	var u User
	return &u, c.do(ctx, abs.GET, "/users/"+url.PathEscape(user)+"?$select=id,userPrincipalName,displayName", nil, &u)
}
