package emulator

import "time"

// Entra replicates writes asynchronously: for a while after a write, a read
// may be served by a replica that has not seen it. Microsoft Graph's
// documentation says so of directory data ("eventual consistency": a new
// object can be missing from reads, a changed property can read stale), and
// the azuread provider waits for consistent reads after its writes for the
// same reason. SetLag models it: for d after a write,
//   - a GET of a pass or key created within d answers 404,
//   - a user's lists of methods leave out those created within d,
//   - a GET of a method configuration answers what it held before the
//     write (PATCH or DELETE) that opened the window.
func (e *Emulator) SetLag(d time.Duration) {
	e.mu.Lock()
	e.lag = d
	e.mu.Unlock()
}

// lagWindow is the lag in force: SetLag's, or a storm's if longer. The
// caller holds e.mu.
func (e *Emulator) lagWindow() time.Duration {
	d := e.lag
	if e.storm != nil && e.storm.Lag > d {
		d = e.storm.Lag
	}
	return d
}

// lagging reports whether an object created at t is not yet seen by reads.
// The caller holds e.mu.
func (e *Emulator) lagging(t time.Time) bool {
	return e.now().Sub(t) < e.lagWindow()
}

// staleRead is what a configuration read answered before a write.
type staleRead struct {
	body  map[string]any
	until time.Time
}

// beforeWrite keeps what configuration id reads as, for the lag window that
// a write about to happen opens; within a window already open, the oldest
// answer stays. The caller holds e.mu.
func (e *Emulator) beforeWrite(id string) {
	d := e.lagWindow()
	if d <= 0 {
		return
	}
	if s, ok := e.stale[id]; ok && e.now().Before(s.until) {
		return
	}
	e.stale[id] = staleRead{body: e.policies.render(id), until: e.now().Add(d)}
}

// read is what a GET of configuration id answers. The caller holds e.mu.
func (e *Emulator) read(id string) map[string]any {
	if s, ok := e.stale[id]; ok && e.now().Before(s.until) {
		return s.body
	}
	return e.policies.render(id)
}
