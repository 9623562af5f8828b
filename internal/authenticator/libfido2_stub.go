//go:build !cgo || nolibfido2

package authenticator

import "context"

// Libfido2Backend stands in for the libfido2 driver in builds without cgo:
// it says plainly that this build cannot drive hardware.
type Libfido2Backend struct{}

// Ready says this build cannot drive hardware.
func (Libfido2Backend) Ready() error { return ErrNotSupported }

func (Libfido2Backend) Devices(context.Context) ([]Device, error) { return nil, ErrNotSupported }

func (Libfido2Backend) Open(context.Context, string) (Authenticator, error) {
	return nil, ErrNotSupported
}
