package graph

import (
	"context"
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
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.val != nil && time.Since(c.at) < policyCacheTTL {
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
