package emulator

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"
)

type tapMethod struct {
	id           string
	secret       string
	created      time.Time
	start        time.Time
	lifetime     int
	isUsableOnce bool
}

// renderTAP is the method as Graph returns it. The secret is only in the
// answer to the create call (graph-behaviour.md#temporary-access-passes).
func (e *Emulator) renderTAP(p *tapMethod, u *User, withSecret bool) map[string]any {
	usable, reason := e.tapUsability(p, u)
	var secret any
	if withSecret {
		secret = p.secret
	}
	return map[string]any{
		"@odata.type":           "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
		"id":                    p.id,
		"temporaryAccessPass":   secret,
		"createdDateTime":       p.created.Format(time.RFC3339Nano),
		"startDateTime":         p.start.Format(time.RFC3339),
		"lifetimeInMinutes":     p.lifetime,
		"isUsableOnce":          p.isUsableOnce,
		"isUsable":              usable,
		"methodUsabilityReason": reason,
	}
}

// tapUsability follows the documented reasons (graph-behaviour.md#temporary-access-passes):
// disabled or out-of-scope policy, not yet valid, expired, else usable.
func (e *Emulator) tapUsability(p *tapMethod, u *User) (bool, string) {
	pol := e.policies.tap
	now := e.now()
	switch {
	case pol.State != "enabled" || !u.targeted(pol.IncludeTargets, pol.ExcludeTargets):
		return false, "DisabledByPolicy"
	case now.Before(p.start):
		return false, "NotYetValid"
	case !now.Before(p.start.Add(time.Duration(p.lifetime) * time.Minute)):
		return false, "Expired"
	}
	return true, "EnabledByPolicy"
}

// createTAP issues a pass. The policy must be enabled for the user, the
// lifetime must lie in the policy's range, and a one-time-only policy refuses
// multi-use passes. A new pass replaces the user's previous one.
func (e *Emulator) createTAP(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req struct {
		StartDateTime     *time.Time
		LifetimeInMinutes *int
		IsUsableOnce      *bool
	}
	if err := applyFields(body, "temporaryAccessPassAuthenticationMethod", map[string]any{
		"startDateTime":     &req.StartDateTime,
		"lifetimeInMinutes": &req.LifetimeInMinutes,
		"isUsableOnce":      &req.IsUsableOnce,
	}); err != nil {
		badRequest(w, err.Error())
		return
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.enrollee(w, r, "TemporaryAccessPass")
	if u == nil {
		return
	}
	pol := e.policies.tap
	lifetime := pol.DefaultLifetimeInMinutes
	if req.LifetimeInMinutes != nil {
		lifetime = *req.LifetimeInMinutes
	}
	if lifetime < pol.MinimumLifetimeInMinutes || lifetime > pol.MaximumLifetimeInMinutes {
		badRequest(w, fmt.Sprintf("Invalid LifetimeInMinutes specified. The valid range between %d and %d.",
			pol.MinimumLifetimeInMinutes, pol.MaximumLifetimeInMinutes))
		return
	}
	once := pol.IsUsableOnce
	if req.IsUsableOnce != nil {
		once = *req.IsUsableOnce
	}
	if pol.IsUsableOnce && !once {
		// UNCONFIRMED message: the docs only say such a pass is refused.
		badRequest(w, "The Temporary Access Pass policy only allows one-time passes: isUsableOnce must be true.")
		return
	}
	now := e.now()
	start := now
	if req.StartDateTime != nil {
		start = req.StartDateTime.UTC()
	}
	p := &tapMethod{id: newID(), secret: newPassValue(pol.DefaultLength), created: now, start: start, lifetime: lifetime, isUsableOnce: once}
	e.taps[u.ID] = p
	e.issued = append(e.issued, issuedPass{user: u.ID, secret: p.secret})
	writeJSON(w, http.StatusCreated, e.renderTAP(p, u, true))
}

// passes lists a user's passes: none or one, without the value.
func (e *Emulator) passes(u *User) []any {
	if p := e.taps[u.ID]; p != nil && !e.lagging(p.created) {
		return []any{e.renderTAP(p, u, false)}
	}
	return nil
}

// withTAP resolves the path's user and their pass, or writes a 404 (its
// code is UNCONFIRMED for method items; Graph's generic one is used).
func (e *Emulator) withTAP(h func(http.ResponseWriter, *http.Request, *User, *tapMethod)) http.HandlerFunc {
	return withMethod(e, "Temporary Access Pass", func(u *User, id string) (*tapMethod, time.Time) {
		if p := e.taps[u.ID]; p != nil && strings.EqualFold(p.id, id) {
			return p, p.created
		}
		return nil, time.Time{}
	}, h)
}

func (e *Emulator) getTAP(w http.ResponseWriter, _ *http.Request, u *User, p *tapMethod) {
	writeJSON(w, http.StatusOK, e.renderTAP(p, u, false))
}

func (e *Emulator) deleteTAP(w http.ResponseWriter, _ *http.Request, u *User, _ *tapMethod) {
	delete(e.taps, u.ID)
	w.WriteHeader(http.StatusNoContent)
}

// TemporaryAccessPassValue returns the value of a user's current pass, as the
// user who was handed it would know it; tests compare it with what reached
// its destination.
func (e *Emulator) TemporaryAccessPassValue(userID string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p := e.taps[userID]; p != nil {
		return p.secret
	}
	return ""
}

// IssuedTemporaryAccessPasses returns every pass value the emulator has
// issued, to the users named or to anyone, for tests that count passes and
// check that no value leaked.
func (e *Emulator) IssuedTemporaryAccessPasses(users ...string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, p := range e.issued {
		if len(users) == 0 || slices.Contains(users, p.user) {
			out = append(out, p.secret)
		}
	}
	return out
}

type issuedPass struct{ user, secret string }

// newPassValue makes a pass of n characters from letters, digits and marks.
func newPassValue(n int) string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789#$%&@"
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}
