package authenticator_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

// lockingBackend refuses to enumerate while a device is in use, as libfido2
// does when another handle holds a key's lock.
type lockingBackend struct {
	softkey.SoftwareBackend
	inUse *atomic.Bool
}

var errBusy = errors.New("device busy")

func (b lockingBackend) Devices(ctx context.Context) ([]authenticator.Device, error) {
	if b.inUse.Load() {
		return nil, errBusy
	}
	return b.SoftwareBackend.Devices(ctx)
}

func TestGuardEnumerationWaitsForDeviceInUse(t *testing.T) {
	dir := t.TempDir()
	if _, err := softkey.CreateSoftware(dir+"/k.json", softkey.SoftwareOptions{PIN: "1234"}); err != nil {
		t.Fatal(err)
	}
	inUse := &atomic.Bool{}
	g := authenticator.NewGuard(lockingBackend{softkey.SoftwareBackend{Dir: dir}, inUse}, authenticator.DefaultMinPINRetries)
	ctx := context.Background()
	lease, err := g.Acquire(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	inUse.Store(true)
	go func() {
		time.Sleep(100 * time.Millisecond)
		inUse.Store(false)
		lease.Release()
	}()
	devices, err := g.Devices(ctx)
	if err != nil || len(devices) != 1 {
		t.Fatalf("enumeration while a device was in use: %v, %v", devices, err)
	}

	// With nothing held, a failing enumeration fails at once.
	inUse.Store(true)
	if _, err := g.Devices(ctx); !errors.Is(err, errBusy) {
		t.Fatalf("got %v, want the backend's error", err)
	}
}

func TestGuardAcquireTakesTurns(t *testing.T) {
	g := authenticator.NewGuard(softkey.SoftwareBackend{}, authenticator.DefaultMinPINRetries)
	first, err := g.Acquire(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := g.Acquire(ctx, "k"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lease while the first is held: %v", err)
	}
	if other, err := g.Acquire(context.Background(), "other"); err != nil {
		t.Fatalf("another device: %v", err)
	} else {
		other.Release()
	}
	first.Release()
	first.Release() // releasing twice is harmless
	second, err := g.Acquire(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	second.Release()
}

func TestGuardPINRules(t *testing.T) {
	g := authenticator.NewGuard(softkey.SoftwareBackend{}, 3)
	lease, _ := g.Acquire(context.Background(), "k")
	for _, c := range []struct {
		retries int
		want    error
	}{{8, nil}, {4, nil}, {-1, nil}, {3, authenticator.ErrPINRetriesLow}, {0, authenticator.ErrPINRetriesLow}} {
		if err := lease.CheckPIN(&authenticator.Device{PINRetries: c.retries}); !errors.Is(err, c.want) {
			t.Errorf("%d retries left: %v, want %v", c.retries, err, c.want)
		}
	}
	lease.Spent(authenticator.ErrTimeout) // not a PIN error: nothing remembered
	lease.Spent(&authenticator.PINInvalidError{RetriesLeft: 7})
	lease.Release()

	next, _ := g.Acquire(context.Background(), "k")
	defer next.Release()
	if err := next.CheckPIN(&authenticator.Device{PINRetries: 7}); !errors.Is(err, authenticator.ErrPINInvalid) {
		t.Fatalf("after a wrong PIN: %v, want the wrong-PIN error again", err)
	}
	other, _ := g.Acquire(context.Background(), "other")
	defer other.Release()
	if err := other.CheckPIN(&authenticator.Device{PINRetries: 8}); err != nil {
		t.Fatalf("another device is not affected: %v", err)
	}
}

// A wrong PIN is remembered for the key it was met on: another model at the
// port, or any key attached there after the first was seen removed, gets
// its own attempt.
func TestGuardWrongPINIsTheKeys(t *testing.T) {
	dir := t.TempDir()
	g := authenticator.NewGuard(softkey.SoftwareBackend{Dir: dir}, 3)
	ctx := context.Background()
	a := &authenticator.Device{PINRetries: 7, AAGUID: "aaaaaaaa-0000-4000-8000-000000000001"}
	lease, _ := g.Acquire(ctx, "k")
	_ = lease.CheckPIN(a)
	lease.Spent(&authenticator.PINInvalidError{RetriesLeft: 7})
	lease.Release()

	next, _ := g.Acquire(ctx, "k")
	if err := next.CheckPIN(a); !errors.Is(err, authenticator.ErrPINInvalid) {
		t.Fatalf("the same key again: %v, want the wrong-PIN error", err)
	}
	if err := next.CheckPIN(&authenticator.Device{PINRetries: 8, AAGUID: "bbbbbbbb-0000-4000-8000-000000000002"}); err != nil {
		t.Fatalf("another model at the port: %v", err)
	}
	next.Release()
	// Nothing attached: the key was removed.
	if _, err := g.Devices(ctx); err != nil {
		t.Fatal(err)
	}
	again, _ := g.Acquire(ctx, "k")
	defer again.Release()
	if err := again.CheckPIN(a); err != nil {
		t.Fatalf("a key attached after the first was removed: %v", err)
	}
}
