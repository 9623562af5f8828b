package graph

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// Groups and users as plan-time checks need them: whether a target names
// anything, and whom a pass's user counts among. Each is looked up once per
// run and shared by the resources that name it.

// directoryCacheTTL bounds how old a cached group, user or membership may
// be: a plan's checks share one lookup each.
const directoryCacheTTL = 10 * time.Minute

// Group is a directory group.
type Group struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
}

// GetGroup reads a group by object id.
func (c *Client) GetGroup(ctx context.Context, id string) (*Group, error) {
	var g Group
	return &g, c.do(ctx, abs.GET, "/groups/"+url.PathEscape(id)+"?$select=id,displayName", nil, &g)
}

// found is a lookup's answer: nil when Graph has no such object.
type found[T any] struct{ v *T }

// keyedCache holds lookups by a key in any case.
type keyedCache[T any] struct {
	mu sync.Mutex
	m  map[string]*cached[found[T]]
}

// get looks key up through read, which answers Graph's 404 as nil.
func (k *keyedCache[T]) get(ctx context.Context, key string, read func(context.Context) (*T, error)) (*T, error) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*cached[found[T]]{}
	}
	e := k.m[strings.ToLower(key)]
	if e == nil {
		e = &cached[found[T]]{}
		k.m[strings.ToLower(key)] = e
	}
	k.mu.Unlock()
	f, err := e.getWithin(ctx, directoryCacheTTL, func(ctx context.Context) (*found[T], error) {
		v, err := read(ctx)
		if IsNotFound(err) {
			return &found[T]{}, nil
		}
		if err != nil {
			return nil, err
		}
		return &found[T]{v}, nil
	})
	if err != nil {
		return nil, err
	}
	return f.v, nil
}

// directory holds the client's cached lookups.
type directory struct {
	groups      keyedCache[Group]
	users       keyedCache[User]
	memberships keyedCache[[]string]
}

// CachedGroup is GetGroup, shared within the run: nil, nil when no such
// group exists.
func (c *Client) CachedGroup(ctx context.Context, id string) (*Group, error) {
	return c.directory.groups.get(ctx, id, func(ctx context.Context) (*Group, error) { return c.GetGroup(ctx, id) })
}

// CachedUser is GetUser, shared within the run: nil, nil when no such user
// exists.
func (c *Client) CachedUser(ctx context.Context, user string) (*User, error) {
	return c.directory.users.get(ctx, user, func(ctx context.Context) (*User, error) { return c.GetUser(ctx, user) })
}

// CachedUserGroupIDs is ListUserGroupIDs, shared within the run: nil, nil
// when no such user exists.
func (c *Client) CachedUserGroupIDs(ctx context.Context, user string) ([]string, error) {
	ids, err := c.directory.memberships.get(ctx, user, func(ctx context.Context) (*[]string, error) {
		ids, err := c.ListUserGroupIDs(ctx, user)
		return &ids, err
	})
	if ids == nil {
		return nil, err
	}
	return *ids, err
}
