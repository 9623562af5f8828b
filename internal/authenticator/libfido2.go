//go:build cgo && !nolibfido2

package authenticator

/*
#cgo linux windows LDFLAGS: -lfido2
#include <stdlib.h>

// Linux and Windows release builds link libfido2shim, whose
// entra_libfido2_load loads libfido2 at run time. A Linux build linked to
// libfido2 itself has no such function (weak: null), and go-libfido2 links
// libfido2 statically on macOS: there libfido2 is present from the start.
#if defined(__linux__)
#pragma weak entra_libfido2_load
#endif
#if defined(__linux__) || defined(_WIN32)
int entra_libfido2_load(const char *path);
static int entra_lazy(void) { return entra_libfido2_load != 0; }
static int entra_load(const char *path) { return entra_lazy() ? entra_libfido2_load(path) : 1; }
#else
static int entra_lazy(void) { return 0; }
static int entra_load(const char *path) { return 1; }
#endif

// go-libfido2 does not wrap fido_dev_force_pin_change (libfido2 1.7 and
// later); its declarations, as fido.h gives them.
typedef struct fido_dev fido_dev_t;
fido_dev_t *fido_dev_new(void);
int fido_dev_open(fido_dev_t *, const char *);
int fido_dev_close(fido_dev_t *);
void fido_dev_free(fido_dev_t **);
int fido_dev_force_pin_change(fido_dev_t *, const char *);
typedef struct fido_cbor_info fido_cbor_info_t;
fido_cbor_info_t *fido_cbor_info_new(void);
void fido_cbor_info_free(fido_cbor_info_t **);
int fido_dev_get_cbor_info(fido_dev_t *, fido_cbor_info_t *);
_Bool fido_cbor_info_new_pin_required(const fido_cbor_info_t *);

static int entra_force_pin_change(const char *path, const char *pin) {
	fido_dev_t *dev = fido_dev_new();
	if (dev == NULL)
		return -9; // FIDO_ERR_INTERNAL
	int r = fido_dev_open(dev, path);
	if (r == 0) {
		r = fido_dev_force_pin_change(dev, pin);
		fido_dev_close(dev);
	}
	fido_dev_free(&dev);
	return r;
}

// entra_new_pin_required reads getInfo's forcePINChange (libfido2 1.11 and
// later), which go-libfido2's Info leaves out.
static int entra_new_pin_required(const char *path, int *required) {
	fido_dev_t *dev = fido_dev_new();
	if (dev == NULL)
		return -9;
	int r = fido_dev_open(dev, path);
	if (r == 0) {
		fido_cbor_info_t *ci = fido_cbor_info_new();
		r = ci == NULL ? -9 : fido_dev_get_cbor_info(dev, ci);
		if (r == 0)
			*required = fido_cbor_info_new_pin_required(ci) ? 1 : 0;
		fido_cbor_info_free(&ci);
		fido_dev_close(dev);
	}
	fido_dev_free(&dev);
	return r;
}
*/
import "C"

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"unsafe"

	"github.com/keys-pub/go-libfido2"

	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

// Libfido2Backend drives authenticators attached to this machine through
// libfido2.
type Libfido2Backend struct{}

// libfido2Loaded loads libfido2 once: from ENTRA_LIBFIDO2_PATH when set,
// else from where it is installed.
var libfido2Loaded = sync.OnceValue(func() error {
	path := os.Getenv("ENTRA_LIBFIDO2_PATH")
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))
	if C.entra_load(cpath) == 1 {
		return nil
	}
	return libfido2Missing(path)
})

// libfido2Lazy reports whether this build loads libfido2 at run time (it
// links libfido2shim) rather than at start.
func libfido2Lazy() bool { return C.entra_lazy() == 1 }

// Ready says whether libfido2 can be used, and what to install if not.
func (Libfido2Backend) Ready() error { return libfido2Loaded() }

func (Libfido2Backend) Devices(ctx context.Context) ([]Device, error) {
	if err := libfido2Loaded(); err != nil {
		return nil, err
	}
	locs, err := libfido2.DeviceLocations()
	if err != nil {
		return nil, mapLibfido2Error(err)
	}
	var out []Device
	for _, l := range locs {
		a, err := Libfido2Backend{}.Open(ctx, l.Path)
		if err != nil {
			return nil, err
		}
		d, err := a.Info(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", l.Path, err)
		}
		d.Manufacturer, d.Product = l.Manufacturer, l.Product
		out = append(out, *d)
	}
	return out, nil
}

func (Libfido2Backend) Open(_ context.Context, path string) (Authenticator, error) {
	if err := libfido2Loaded(); err != nil {
		return nil, err
	}
	dev, err := libfido2.NewDevice(path)
	if err != nil {
		return nil, mapLibfido2Error(err)
	}
	return &libfido2Device{path: path, dev: dev}, nil
}

type libfido2Device struct {
	path string
	dev  *libfido2.Device
}

func (d *libfido2Device) Close() error { return nil } // go-libfido2 opens per call

func (d *libfido2Device) Info(context.Context) (*Device, error) {
	info, err := d.dev.Info()
	if err != nil {
		return nil, mapLibfido2Error(err)
	}
	out := &Device{Path: d.path, AAGUID: webauthn.FormatAAGUID(info.AAGUID), Versions: info.Versions,
		Extensions: info.Extensions, Options: map[string]bool{}, PINRetries: -1}
	for _, o := range info.Options {
		out.Options[o.Name] = o.Value == libfido2.True
	}
	if out.HasPIN() {
		if n, err := d.dev.RetryCount(); err == nil {
			out.PINRetries = n
		}
		cpath := C.CString(d.path)
		defer C.free(unsafe.Pointer(cpath))
		var required C.int
		if C.entra_new_pin_required(cpath, &required) == 0 {
			out.ForcePINChange = required == 1
		}
	}
	return out, nil
}

func (d *libfido2Device) SetPIN(_ context.Context, pin string) error {
	if err := CheckPIN(pin); err != nil {
		return err
	}
	return mapLibfido2Error(d.dev.SetPIN(pin, ""))
}

// ForcePINChange has libfido2 send authenticatorConfig's setMinPINLength
// with forceChangePin, to a key that lists the option.
func (d *libfido2Device) ForcePINChange(_ context.Context, pin string) error {
	info, err := d.dev.Info()
	if err != nil {
		return mapLibfido2Error(err)
	}
	supported := map[string]bool{}
	for _, o := range info.Options {
		supported[o.Name] = o.Value == libfido2.True
	}
	if !supported["authnrCfg"] || !supported["setMinPINLength"] {
		return ErrNoPINChange
	}
	cpath, cpin := C.CString(d.path), C.CString(pin)
	defer C.free(unsafe.Pointer(cpath))
	defer C.free(unsafe.Pointer(cpin))
	switch r := C.entra_force_pin_change(cpath, cpin); r {
	case 0:
		return nil
	case 0x31: // CTAP2_ERR_PIN_INVALID
		return mapLibfido2Error(libfido2.ErrPinInvalid)
	default:
		return fmt.Errorf("libfido2: forcing a PIN change: error %d", int(r))
	}
}

// libfido2Types are the credential types go-libfido2 makes, by COSE
// algorithm.
var libfido2Types = map[int64]libfido2.CredentialType{-7: libfido2.ES256, -8: libfido2.EDDSA, -257: libfido2.RS256}

// credProtectLevels are go-libfido2's names of credProtect levels 1 to 3.
var credProtectLevels = map[int]libfido2.CredProtect{1: libfido2.CredProtectUVOptional, 2: libfido2.CredProtectUVOptionalWithID, 3: libfido2.CredProtectUVRequired}

// MakeCredential runs libfido2's makeCredential; ctx's end cancels the wait
// for a touch. go-libfido2 takes one algorithm and no exclude list, so the
// request's algorithms are tried in its order, and each excluded credential
// is looked for first, with a silent assertion, as WebAuthn clients do with
// CTAP 2.0 keys: a key that holds one is not asked to make another.
func (d *libfido2Device) MakeCredential(ctx context.Context, req MakeCredentialRequest) (*Credential, error) {
	if req.PIN == "" {
		return nil, ErrPINRequired
	}
	info, err := d.dev.Info()
	if err != nil {
		return nil, mapLibfido2Error(err)
	}
	for _, id := range req.ExcludeList {
		_, err := d.dev.Assertion(req.RPID, req.ClientDataHash, [][]byte{id}, "", &libfido2.AssertionOpts{UP: libfido2.False})
		if err == nil {
			return nil, ErrExcluded
		}
	}
	opts := &libfido2.MakeCredentialOpts{RK: libfido2.True}
	if req.HMACSecret && slices.Contains(info.Extensions, string(libfido2.HMACSecretExtension)) {
		opts.Extensions = append(opts.Extensions, libfido2.HMACSecretExtension)
	}
	if level, ok := credProtectLevels[req.CredProtect]; ok && slices.Contains(info.Extensions, string(libfido2.CredProtectExtension)) {
		opts.CredProtect = level
	}
	stop := context.AfterFunc(ctx, func() { _ = d.dev.Cancel() })
	defer stop()
	var att *libfido2.Attestation
	err = ErrUnsupportedAlg
	for _, alg := range req.AlgorithmsOrES256() {
		typ, ok := libfido2Types[alg]
		if !ok {
			continue
		}
		att, err = d.dev.MakeCredential(req.ClientDataHash,
			libfido2.RelyingParty{ID: req.RPID, Name: req.RPName},
			libfido2.User{ID: req.UserID, Name: req.UserName, DisplayName: req.UserDisplayName},
			typ, req.PIN, opts)
		var code libfido2.Error
		if !errors.As(err, &code) || code.Code != ctapUnsupportedAlgorithm {
			break
		}
		err = ErrUnsupportedAlg
	}
	if err != nil {
		if ctx.Err() != nil && errors.Is(err, libfido2.ErrKeepaliveCancel) {
			return nil, ErrTimeout
		}
		err = mapLibfido2Error(err)
		if errors.Is(err, ErrPINInvalid) {
			n, rerr := d.dev.RetryCount()
			if rerr != nil {
				n = -1
			}
			return nil, &PINInvalidError{RetriesLeft: n}
		}
		return nil, err
	}
	stmt := webauthn.AttestationStatement{Alg: int64(att.CredentialType), Sig: att.Sig}
	if len(att.Cert) > 0 {
		stmt.X5C = [][]byte{att.Cert}
	}
	return NewCredential(att.Format, webauthn.UnwrapAuthData(att.AuthData), stmt)
}

// mapLibfido2Error turns libfido2's errors into ones a person can act on.
func mapLibfido2Error(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, libfido2.ErrPinInvalid):
		return &PINInvalidError{RetriesLeft: -1}
	case errors.Is(err, libfido2.ErrPinRequired):
		return ErrPINRequired
	case errors.Is(err, libfido2.ErrPinAuthBlocked):
		return ErrPINAuthBlocked
	case errors.Is(err, libfido2.ErrPinNotSet):
		return ErrPINNotSet
	case errors.Is(err, libfido2.ErrPinPolicyViolation):
		return ErrPINPolicy
	case errors.Is(err, libfido2.ErrActionTimeout), errors.Is(err, libfido2.ErrUserPresenceRequired):
		return ErrTimeout
	case errors.Is(err, libfido2.ErrNotAllowed), errors.Is(err, libfido2.ErrOperationDenied), errors.Is(err, libfido2.ErrKeepaliveCancel):
		return ErrDenied
	case errors.Is(err, libfido2.ErrTX), errors.Is(err, libfido2.ErrRX):
		return fmt.Errorf("%w (%v)", ErrDeviceDisappears, err)
	}
	var code libfido2.Error
	if errors.As(err, &code) && code.Code == 0x32 { // CTAP2_ERR_PIN_BLOCKED
		return ErrPINBlocked
	}
	return fmt.Errorf("libfido2: %w", err)
}

// ctapUnsupportedAlgorithm is CTAP2_ERR_UNSUPPORTED_ALGORITHM (CTAP 2.1 §8.2).
const ctapUnsupportedAlgorithm = 0x26
