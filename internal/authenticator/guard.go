package authenticator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// DefaultMinPINRetries is the fewest PIN attempts a device may have left for
// a Guard to spend one: below it a mistake or two more would block the PIN,
// and a blocked key must be reset, which erases every credential on it.
const DefaultMinPINRetries = 3

// ErrPINRetriesLow is a device with too few PIN attempts left to risk one.
var ErrPINRetriesLow = errors.New("too few PIN attempts are left to risk another")

// Guard shares the devices of a Backend among operations that run at once in
// one process (the resources of a Terraform run): one operation per device at
// a time, enumeration that waits for a device in use rather than failing,
// and at most one wrong PIN per key. A wrong PIN is remembered for the key it
// was met on, the model (AAGUID) at its port, until that key is seen
// removed: a key attached there later (keys swapped through one port) gets
// its own attempt. The next process starts afresh.
type Guard struct {
	Backend
	// MinPINRetries: no PIN is tried on a device reporting this many
	// attempts left, or fewer.
	MinPINRetries int

	mu      sync.Mutex
	devices map[string]*guarded
	// released is closed, and replaced, each time a device is released.
	released chan struct{}
	held     int
}

type guarded struct {
	slot chan struct{} // one token: whoever holds it uses the device
	// wrong is the PIN error met on the key at this port, if any, and
	// wrongAAGUID that key's model.
	wrong       error
	wrongAAGUID string
}

// NewGuard guards b.
func NewGuard(b Backend, minPINRetries int) *Guard {
	return &Guard{Backend: b, MinPINRetries: minPINRetries, devices: map[string]*guarded{}, released: make(chan struct{})}
}

func (g *Guard) device(path string) *guarded {
	g.mu.Lock()
	defer g.mu.Unlock()
	d := g.devices[path]
	if d == nil {
		d = &guarded{slot: make(chan struct{}, 1)}
		g.devices[path] = d
	}
	return d
}

// Devices enumerates the attached devices. A device that another operation
// holds may refuse to be opened (libfido2 locks a device while it uses it):
// then enumeration waits for a release and tries again, until ctx ends.
func (g *Guard) Devices(ctx context.Context) ([]Device, error) {
	for {
		g.mu.Lock()
		busy, released := g.held > 0, g.released
		g.mu.Unlock()
		devices, err := g.Backend.Devices(ctx)
		if err == nil {
			g.forgetRemoved(devices)
		}
		if err == nil || !busy {
			return devices, err
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w (while another enrolment was using an authenticator)", err)
		case <-released:
		}
	}
}

// forgetRemoved drops what was remembered of keys no longer attached.
func (g *Guard) forgetRemoved(attached []Device) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for path, d := range g.devices {
		if !slices.ContainsFunc(attached, func(a Device) bool { return a.Path == path }) && len(d.slot) == 0 {
			d.wrong, d.wrongAAGUID = nil, ""
		}
	}
}

// Lease is the use of one device, until Release.
type Lease struct {
	g    *Guard
	path string
	d    *guarded
	once sync.Once
	// aaguid is the model CheckPIN was told of.
	aaguid string
}

// Acquire waits until no other operation uses the device at path, or ctx ends.
func (g *Guard) Acquire(ctx context.Context, path string) (*Lease, error) {
	d := g.device(path)
	select {
	case d.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the authenticator %s, which another enrolment is using: %w", path, ctx.Err())
	}
	g.mu.Lock()
	g.held++
	g.mu.Unlock()
	return &Lease{g: g, path: path, d: d}, nil
}

// Release lets the next operation use the device.
func (l *Lease) Release() {
	l.once.Do(func() {
		l.g.mu.Lock()
		l.g.held--
		close(l.g.released)
		l.g.released = make(chan struct{})
		l.g.mu.Unlock()
		<-l.d.slot
	})
}

// CheckPIN says whether a PIN may be tried on the device, described by info
// read under this lease: not after a wrong PIN met earlier in this process,
// nor when the device reports MinPINRetries attempts left or fewer.
func (l *Lease) CheckPIN(info *Device) error {
	l.aaguid = info.AAGUID
	if l.d.wrong != nil && strings.EqualFold(l.d.wrongAAGUID, info.AAGUID) {
		return fmt.Errorf("%w (met earlier in this run on %s; no further attempt is spent on it)", l.d.wrong, l.path)
	}
	if info.PINRetries >= 0 && info.PINRetries <= l.g.MinPINRetries {
		return fmt.Errorf("%w: %s has %d PIN attempts left, at or below the floor of %d; after 8 wrong PINs in all the key must be reset, which erases its credentials. "+
			"Check the PIN with the vendor's tool, which resets the count when it is right", ErrPINRetriesLow, l.path, info.PINRetries, l.g.MinPINRetries)
	}
	return nil
}

// Spent records the outcome of an operation that tried a PIN: a wrong or
// blocked PIN stops every later attempt on the device in this process.
func (l *Lease) Spent(err error) {
	if errors.Is(err, ErrPINInvalid) || errors.Is(err, ErrPINBlocked) || errors.Is(err, ErrPINAuthBlocked) {
		l.d.wrong, l.d.wrongAAGUID = err, l.aaguid
	}
}
