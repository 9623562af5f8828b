package graph

import (
	"context"
	"encoding/json"
	"maps"
	"sync"
	"time"
)

// policyCacheTTL bounds how old a cached policy read may be. Pre-checks of
// many passes or keys in one run share one read instead of one each; the
// policy resources always read afresh.
const policyCacheTTL = 30 * time.Second

// cached holds one recent answer; concurrent callers wait for the same read.
type cached[T any] struct {
	mu  sync.Mutex
	val *T
	at  time.Time
}

func (c *cached[T]) get(ctx context.Context, read func(context.Context) (*T, error)) (*T, error) {
	return c.getWithin(ctx, policyCacheTTL, read)
}

func (c *cached[T]) getWithin(ctx context.Context, ttl time.Duration, read func(context.Context) (*T, error)) (*T, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.val != nil && time.Since(c.at) < ttl {
		return c.val, nil
	}
	v, err := read(ctx)
	if err != nil {
		return nil, err
	}
	c.val, c.at = v, time.Now()
	return v, nil
}

func (c *cached[T]) forget() {
	c.mu.Lock()
	c.val = nil
	c.mu.Unlock()
}

// CachedTemporaryAccessPassPolicy is GetTemporaryAccessPassPolicy, reusing a
// read of the last 30 seconds that this client has not since changed.
func (c *Client) CachedTemporaryAccessPassPolicy(ctx context.Context) (*TemporaryAccessPassPolicy, error) {
	return c.tapPolicy.get(ctx, c.GetTemporaryAccessPassPolicy)
}

// CachedFido2Policy is GetFido2Policy with the same reuse.
func (c *Client) CachedFido2Policy(ctx context.Context) (*Fido2Policy, error) {
	return c.fido2Policy.get(ctx, c.GetFido2Policy)
}

// methodsCacheTTL bounds how old a cached list of a user's methods may be:
// long enough for one refresh to read all of a user's managed methods
// from one list, short enough that a run that lasts sees changes.
const methodsCacheTTL = time.Minute

// methodsCache holds recent lists of users' methods, by user as spelled.
// Any change this client makes to a user's methods empties it.
type methodsCache struct {
	mu       sync.Mutex
	byUser   map[string]*cached[[]AuthenticationMethod]
	lastTrim time.Time
}

func (m *methodsCache) entry(user string) *cached[[]AuthenticationMethod] {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byUser == nil {
		m.byUser = map[string]*cached[[]AuthenticationMethod]{}
	}
	// Drop expired lists now and then, so that a long run over many users
	// holds only the last minute's.
	if time.Since(m.lastTrim) > methodsCacheTTL {
		for u, c := range m.byUser {
			if c.mu.TryLock() {
				expired := time.Since(c.at) > methodsCacheTTL
				c.mu.Unlock()
				if expired {
					delete(m.byUser, u)
				}
			}
		}
		m.lastTrim = time.Now()
	}
	c := m.byUser[user]
	if c == nil {
		c = &cached[[]AuthenticationMethod]{}
		m.byUser[user] = c
	}
	return c
}

func (m *methodsCache) clear() {
	m.mu.Lock()
	m.byUser = nil
	m.mu.Unlock()
}

// recentMethod finds method id among user's methods in a list read in the
// last minute (reading one if needed), with every property in need
// present: a list that gives fewer properties than the item does is no
// answer. ok is false when the list lacks it or could not be read; the
// caller then asks for the item, whose answer (a 404 included) decides.
func (c *Client) recentMethod(ctx context.Context, user, id string, need ...string) (AuthenticationMethod, bool) {
	list, err := c.methods.entry(user).getWithin(ctx, methodsCacheTTL, func(ctx context.Context) (*[]AuthenticationMethod, error) {
		all, err := c.ListAuthenticationMethods(ctx, user)
		return &all, err
	})
	if err != nil {
		return AuthenticationMethod{}, false
	}
	for _, m := range *list {
		if m.ID != id {
			continue
		}
		for _, p := range need {
			if _, ok := m.Properties[p]; !ok {
				return AuthenticationMethod{}, false
			}
		}
		return m, true
	}
	return AuthenticationMethod{}, false
}

// readMethod is get, answered from a recent list of the user's methods
// when the list holds the method with the properties need names
// (graph-behaviour.md#all-of-a-users-methods).
func readMethod[T any](ctx context.Context, c *Client, user, id string, get func(context.Context, string, string) (*T, error), need ...string) (*T, error) {
	if m, ok := c.recentMethod(ctx, user, id, need...); ok {
		props := maps.Clone(m.Properties)
		props["id"], _ = json.Marshal(m.ID)
		raw, _ := json.Marshal(props)
		var v T
		if json.Unmarshal(raw, &v) == nil {
			return &v, nil
		}
	}
	return get(ctx, user, id)
}

// ReadTemporaryAccessPass is GetTemporaryAccessPass for a refresh.
func (c *Client) ReadTemporaryAccessPass(ctx context.Context, user, id string) (*TemporaryAccessPass, error) {
	return readMethod(ctx, c, user, id, c.GetTemporaryAccessPass,
		"createdDateTime", "startDateTime", "lifetimeInMinutes", "isUsableOnce", "isUsable", "methodUsabilityReason")
}

// ReadFido2Method is GetFido2Method for a refresh.
func (c *Client) ReadFido2Method(ctx context.Context, user, id string) (*Fido2Method, error) {
	return readMethod(ctx, c, user, id, c.GetFido2Method,
		"displayName", "createdDateTime", "aaGuid", "model", "attestationLevel", "attestationCertificates", "passkeyType")
}

// ReadPhoneMethod is GetPhoneMethod for a refresh.
func (c *Client) ReadPhoneMethod(ctx context.Context, user, id string) (*PhoneMethod, error) {
	return readMethod(ctx, c, user, id, c.GetPhoneMethod, "phoneNumber", "phoneType", "smsSignInState")
}

// ReadEmailMethod is GetEmailMethod for a refresh.
func (c *Client) ReadEmailMethod(ctx context.Context, user, id string) (*EmailMethod, error) {
	return readMethod(ctx, c, user, id, c.GetEmailMethod, "emailAddress")
}

// ReadUserMethod is GetUserMethod for a refresh; need names the properties
// the caller reads.
func (c *Client) ReadUserMethod(ctx context.Context, user, collection, id string, need ...string) (map[string]json.RawMessage, error) {
	get := func(ctx context.Context, user, id string) (*map[string]json.RawMessage, error) {
		m, err := c.GetUserMethod(ctx, user, collection, id)
		return &m, err
	}
	m, err := readMethod(ctx, c, user, id, get, need...)
	if err != nil {
		return nil, err
	}
	return *m, nil
}
