package graph

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	khttp "github.com/microsoft/kiota-http-go"
)

// RetryPolicy bounds how the client waits out throttling and transient
// failures.
type RetryPolicy struct {
	// MaxAttempts counts the first try.
	MaxAttempts int
	// MaxWait bounds the total time spent waiting between attempts of one
	// request; a Retry-After that would exceed it is not waited for.
	MaxWait time.Duration
	// BaseDelay is the first backoff when Graph gives no Retry-After.
	BaseDelay time.Duration
	// AttemptTimeout bounds one attempt, answer included; zero means none.
	AttemptTimeout time.Duration
}

// DefaultRetryPolicy suits interactive Terraform runs.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 8, MaxWait: 5 * time.Minute, BaseDelay: 500 * time.Millisecond, AttemptTimeout: time.Minute}

// retryHandler is a kiota middleware that replaces kiota's own retry handler:
// that one covers only 429/503/504 and truncates Retry-After
// (graph-behaviour.md#wire), while Graph also answers 500 and 502 transiently.
type retryHandler struct {
	policy RetryPolicy
	sleep  func(ctx context.Context, d time.Duration) error
}

var _ khttp.Middleware = (*retryHandler)(nil)

func retryable(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// replayKey marks a context whose POST may be resent after a transport
// error because a repeat does no harm (see replayable).
type replayKey struct{}

// replayable marks ctx for a POST that is safe to resend: Graph keeps one
// Temporary Access Pass per user, so a repeated create replaces a pass that
// the lost answer never delivered to anyone.
func replayable(ctx context.Context) context.Context {
	return context.WithValue(ctx, replayKey{}, true)
}

// onceKey marks a context whose request, though not a POST, creates
// something Graph refuses to create twice (see sentOnce).
type onceKey struct{}

// sentOnce marks ctx for a PUT that creates: Graph refuses a second one, so
// a repeat after a lost answer would turn an unknown outcome into a refusal
// and hide that the first may have been carried out.
func sentOnce(ctx context.Context) context.Context {
	return context.WithValue(ctx, onceKey{}, true)
}

// idempotent requests may be resent after a transport error; a POST may have
// been carried out, so it is resent only when marked replayable.
func idempotent(req *http.Request) bool {
	if req.Context().Value(onceKey{}) != nil {
		return false
	}
	return req.Method != http.MethodPost || req.Context().Value(replayKey{}) != nil
}

func (h *retryHandler) Intercept(p khttp.Pipeline, index int, req *http.Request) (*http.Response, error) {
	// kiota sets a body without GetBody: buffer it to resend.
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	// Later middleware (compression) rewrites headers and body: each attempt
	// starts again from the original request.
	header := req.Header.Clone()
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		req.Header = header.Clone()
		if body != nil {
			req.Body = io.NopCloser(bytes.NewReader(body))
			req.ContentLength = int64(len(body))
		}
		resp, err := h.attempt(p, index, req)
		if attempt >= h.policy.MaxAttempts {
			return resp, err
		}
		var delay time.Duration
		switch {
		case err != nil:
			if req.Context().Err() != nil || !idempotent(req) {
				return resp, err
			}
			delay = h.backoff(attempt)
		case retryable(resp.StatusCode):
			// A 5xx may come after Graph committed the change: a request that
			// must not be repeated goes back to its caller, who looks before
			// redoing it. A 429 is a refusal to act, safe to send again.
			if !idempotent(req) && resp.StatusCode != http.StatusTooManyRequests {
				return resp, nil
			}
			delay = retryAfter(resp.Header.Get("Retry-After"))
			if delay < 0 {
				delay = h.backoff(attempt)
			}
		default:
			return resp, nil
		}
		if waited+delay > h.policy.MaxWait {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		if err := h.sleep(req.Context(), delay); err != nil {
			return nil, err
		}
		waited += delay
	}
}

// attempt sends req once within AttemptTimeout, reading the whole answer so
// that the timeout can be released before the caller reads it.
func (h *retryHandler) attempt(p khttp.Pipeline, index int, req *http.Request) (*http.Response, error) {
	if h.policy.AttemptTimeout <= 0 {
		return p.Next(req, index)
	}
	ctx, cancel := context.WithTimeout(req.Context(), h.policy.AttemptTimeout)
	defer cancel()
	resp, err := p.Next(req.WithContext(ctx), index)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// backoff doubles from BaseDelay with jitter, capped at 30 s.
func (h *retryHandler) backoff(attempt int) time.Duration {
	d := h.policy.BaseDelay << (attempt - 1)
	if d > 30*time.Second || d <= 0 {
		d = 30 * time.Second
	}
	return d/2 + rand.N(d/2+1)
}

// retryAfter parses Retry-After as seconds or an HTTP date; -1 when absent.
func retryAfter(v string) time.Duration {
	if v == "" {
		return -1
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s >= 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
		return 0
	}
	return -1
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
