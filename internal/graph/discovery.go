package graph

import (
	"context"
	"net/url"
	"strings"
)

// Finding the users who hold a kind of method, for discovery
// (graph-behaviour.md#finding-methods-across-a-tenant).

// registrationDetail is a row of the authentication methods registration
// report, one per user.
type registrationDetail struct {
	ID                string   `json:"id"`
	MethodsRegistered []string `json:"methodsRegistered"`
}

// UsersRegistering reads the registration report, a page per many users,
// and returns the ids of the users it says registered any of names (Graph's
// methodsRegistered values, compared without case). The report needs
// AuditLog.Read.All and a Microsoft Entra ID P1 or P2 licence, and trails
// the method store: a method registered recently may not be in it yet.
func (c *Client) UsersRegistering(ctx context.Context, names []string) ([]string, error) {
	rows, err := listAll[registrationDetail](ctx, c, "/reports/authenticationMethods/userRegistrationDetails?$select=id,methodsRegistered")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, row := range rows {
		if registeredAny(row.MethodsRegistered, names) {
			out = append(out, row.ID)
		}
	}
	return out, nil
}

func registeredAny(registered, names []string) bool {
	for _, r := range registered {
		for _, n := range names {
			if strings.EqualFold(r, n) {
				return true
			}
		}
	}
	return false
}

type directoryObject struct {
	ODataType string `json:"@odata.type"`
	ID        string `json:"id"`
}

// idsOf are the ids of the objects of odataType, or of all objects when it
// is empty (Graph leaves @odata.type out of a collection of one type).
func idsOf(objects []directoryObject, odataType string) []string {
	out := make([]string, 0, len(objects))
	for _, o := range objects {
		if odataType == "" || o.ODataType == odataType {
			out = append(out, o.ID)
		}
	}
	return out
}

// ListUserIDs lists the object ids of every user in the tenant.
func (c *Client) ListUserIDs(ctx context.Context) ([]string, error) {
	all, err := listAll[directoryObject](ctx, c, "/users?$select=id")
	return idsOf(all, ""), err
}

// ListGroupUserIDs lists the object ids of the users in group, directly or
// through nested groups. Members of other types (devices, service
// principals, the nested groups themselves) are left out here rather than
// with an OData cast, which may need advanced query headers.
func (c *Client) ListGroupUserIDs(ctx context.Context, group string) ([]string, error) {
	all, err := listAll[directoryObject](ctx, c, "/groups/"+url.PathEscape(group)+"/transitiveMembers?$select=id")
	return idsOf(all, "#microsoft.graph.user"), err
}
