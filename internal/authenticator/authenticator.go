// Package authenticator is the platform side of FIDO2: what the provider asks
// of an authenticator (Backend, Authenticator), the libfido2 driver for keys
// attached to this machine, and the Guard that shares them among a run's
// resources. The software key (internal/softkey) is another Backend.
package authenticator

import (
	"context"
	"errors"
	"fmt"

	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

// Device describes an attached authenticator.
type Device struct {
	// Path identifies the device: a hidraw path for libfido2, or
	// "software:<state file>" for a software key.
	Path         string
	Manufacturer string
	Product      string
	AAGUID       string
	Versions     []string
	Extensions   []string
	Options      map[string]bool
	// PINRetries is how many PIN attempts are left; -1 when unknown.
	PINRetries int
	// ForcePINChange says the PIN must be changed before the device is
	// used again (CTAP 2.1), where the driver can tell.
	ForcePINChange bool
}

// HasPIN reports whether the device has a PIN set.
func (d Device) HasPIN() bool { return d.Options["clientPin"] }

// MakeCredentialRequest is what a registration asks of the authenticator.
type MakeCredentialRequest struct {
	ClientDataHash  []byte
	RPID, RPName    string
	UserID          []byte
	UserName        string
	UserDisplayName string
	// ExcludeList holds credential ids the user already has.
	ExcludeList [][]byte
	// Algorithms are the COSE algorithms the relying party accepts, most
	// preferred first; empty means ES256.
	Algorithms []int64
	// HMACSecret asks for the hmac-secret extension (Windows sign-in with a
	// key uses it), and CredProtect for a credProtect level (1 to 3), where
	// the authenticator supports them.
	HMACSecret  bool
	CredProtect int
	// PIN unlocks user verification; it never leaves this package.
	PIN string
}

// Credential is a new credential with its attestation.
type Credential struct {
	ID []byte
	// AttestationObject is the CBOR attestation object, as Graph wants it.
	AttestationObject []byte
}

// Authenticator is one opened device.
type Authenticator interface {
	// Info reads the device's CTAP2 information.
	Info(ctx context.Context) (*Device, error)
	// MakeCredential creates a resident, user-verified credential and
	// returns it with its attestation. It waits for the user's touch until
	// ctx ends.
	MakeCredential(ctx context.Context, req MakeCredentialRequest) (*Credential, error)
	// SetPIN sets the PIN of a device that has none.
	SetPIN(ctx context.Context, pin string) error
	// ForcePINChange makes the device require a new PIN before its next
	// use (CTAP 2.1 authenticatorConfig); ErrNoPINChange when it cannot.
	ForcePINChange(ctx context.Context, pin string) error
	// Close releases the device.
	Close() error
}

// Backend enumerates and opens devices of one kind.
type Backend interface {
	// Ready says whether the backend can be used at all, and why not.
	Ready() error
	Devices(ctx context.Context) ([]Device, error)
	Open(ctx context.Context, path string) (Authenticator, error)
}

// Errors a person can act on. Drivers wrap them with detail.
var (
	ErrNoDevice         = errors.New("no FIDO2 authenticator is attached")
	ErrPINRequired      = errors.New("the authenticator needs its PIN")
	ErrPINInvalid       = errors.New("wrong PIN")
	ErrPINBlocked       = errors.New("the PIN is blocked after too many wrong attempts: reset the authenticator (this erases its credentials)")
	ErrPINAuthBlocked   = errors.New("too many wrong PINs in a row: remove and reinsert the authenticator, then try again")
	ErrPINNotSet        = errors.New("the authenticator has no PIN yet")
	ErrPINPolicy        = errors.New("the PIN does not meet the authenticator's PIN policy (at least 4 characters, at most 63 bytes)")
	ErrTimeout          = errors.New("timed out waiting for the authenticator to be touched")
	ErrDenied           = errors.New("the operation was not allowed by the authenticator (touch declined or cancelled)")
	ErrExcluded         = errors.New("the authenticator already holds a credential for this user")
	ErrUnsupportedAlg   = errors.New("the authenticator supports none of the requested algorithms")
	ErrNoCredential     = errors.New("the authenticator holds none of the credentials asked for")
	ErrNotSupported     = errors.New("this build of the provider cannot drive hardware authenticators: it was built without libfido2 (cgo)")
	ErrDeviceDisappears = errors.New("the authenticator was removed during the operation")
	ErrNoPINChange      = errors.New("the authenticator cannot require a new PIN (it lacks CTAP 2.1 authenticatorConfig)")
)

// PINInvalidError is a wrong PIN, with the attempts left.
type PINInvalidError struct{ RetriesLeft int }

func (e *PINInvalidError) Error() string {
	if e.RetriesLeft < 0 {
		return ErrPINInvalid.Error()
	}
	return fmt.Sprintf("%s: %d attempts left before the PIN is blocked", ErrPINInvalid, e.RetriesLeft)
}

func (e *PINInvalidError) Unwrap() error { return ErrPINInvalid }

// AlgorithmsOrES256 are the request's algorithms, or ES256 when it names none.
func (req MakeCredentialRequest) AlgorithmsOrES256() []int64 {
	if len(req.Algorithms) == 0 {
		return []int64{webauthn.COSEAlgES256}
	}
	return req.Algorithms
}

// NewCredential builds the attestation object Graph wants from the parts an
// authenticator returns.
func NewCredential(format string, authData []byte, stmt webauthn.AttestationStatement) (*Credential, error) {
	ad, err := webauthn.ParseAuthenticatorData(authData)
	if err != nil {
		return nil, err
	}
	obj, err := (&webauthn.AttestationObject{Format: format, AttStmt: stmt, AuthData: authData}).Marshal()
	if err != nil {
		return nil, err
	}
	return &Credential{ID: ad.CredentialID, AttestationObject: obj}, nil
}

// CheckPIN applies CTAP's PIN rules: at least 4 characters, at most 63 bytes.
func CheckPIN(pin string) error {
	if len([]rune(pin)) < 4 || len(pin) > 63 {
		return ErrPINPolicy
	}
	return nil
}
