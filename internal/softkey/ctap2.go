package softkey

import (
	"bytes"
	"fmt"

	"github.com/fxamacker/cbor/v2"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"

	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

// CTAP2 command codes (CTAP 2.1 §6).
const (
	cmdMakeCredential = 0x01
	cmdGetAssertion   = 0x02
	cmdGetInfo        = 0x04
	cmdClientPIN      = 0x06
	cmdConfig         = 0x0D
)

// clientPIN subcommands.
const (
	subGetPINRetries   = 0x01
	subGetKeyAgreement = 0x02
	subSetPIN          = 0x03
	subGetPINToken     = 0x05
	subGetTokenPerms   = 0x09
)

// Permissions of a pinUvAuthToken: to make credentials, and to configure
// the authenticator.
const (
	permMakeCredential = 0x01
	permConfig         = 0x20
)

// authenticatorConfig's subcommand that sets the minimum PIN length and can
// force a PIN change (CTAP 2.1 §6.11.4).
const subSetMinPINLength = 0x03

// CTAP status codes (CTAP 2.1 §8.2).
const (
	statusOK                 = 0x00
	statusInvalidCommand     = 0x01
	statusInvalidParameter   = 0x02
	statusInvalidLength      = 0x03
	statusInvalidCBOR        = 0x12
	statusMissingParameter   = 0x14
	statusNoCredentials      = 0x2E
	statusCredentialExcluded = 0x19
	statusUnsupportedAlg     = 0x26
	statusOperationDenied    = 0x27
	statusKeepaliveCancel    = 0x2D
	statusUnsupportedOption  = 0x2B
	statusInvalidOption      = 0x2C
	statusUserActionTimeout  = 0x2F
	statusPINInvalid         = 0x31
	statusPINBlocked         = 0x32
	statusPINAuthInvalid     = 0x33
	statusPINAuthBlocked     = 0x34
	statusPINNotSet          = 0x35
	statusPINRequired        = 0x36
	statusPINPolicyViolation = 0x37
)

// StatusError is a CTAP status other than success.
type StatusError byte

func (s StatusError) Error() string { return fmt.Sprintf("CTAP2 error 0x%02x", byte(s)) }

// statusErr maps a CTAP status to the error a person can act on.
func statusErr(status byte) error {
	switch status {
	case statusOK:
		return nil
	case statusPINInvalid:
		return &authenticator.PINInvalidError{RetriesLeft: -1}
	case statusPINBlocked:
		return authenticator.ErrPINBlocked
	case statusPINAuthBlocked:
		return authenticator.ErrPINAuthBlocked
	case statusPINNotSet:
		return authenticator.ErrPINNotSet
	case statusPINRequired, statusPINAuthInvalid:
		return authenticator.ErrPINRequired
	case statusPINPolicyViolation:
		return authenticator.ErrPINPolicy
	case statusUserActionTimeout:
		return authenticator.ErrTimeout
	case statusOperationDenied, statusKeepaliveCancel:
		return authenticator.ErrDenied
	case statusCredentialExcluded:
		return authenticator.ErrExcluded
	case statusUnsupportedAlg:
		return authenticator.ErrUnsupportedAlg
	case statusNoCredentials:
		return authenticator.ErrNoCredential
	}
	return StatusError(status)
}

type rpEntity struct {
	ID   string `cbor:"id"`
	Name string `cbor:"name,omitempty"`
}

type userEntity struct {
	ID          []byte `cbor:"id"`
	Name        string `cbor:"name,omitempty"`
	DisplayName string `cbor:"displayName,omitempty"`
}

type credParam struct {
	Type string `cbor:"type"`
	Alg  int64  `cbor:"alg"`
}

type credDescriptor struct {
	Type string `cbor:"type"`
	ID   []byte `cbor:"id"`
}

type makeCredentialParams struct {
	ClientDataHash    []byte           `cbor:"1,keyasint"`
	RP                rpEntity         `cbor:"2,keyasint"`
	User              userEntity       `cbor:"3,keyasint"`
	PubKeyCredParams  []credParam      `cbor:"4,keyasint"`
	ExcludeList       []credDescriptor `cbor:"5,keyasint,omitempty"`
	Extensions        map[string]any   `cbor:"6,keyasint,omitempty"`
	Options           map[string]bool  `cbor:"7,keyasint,omitempty"`
	PinUvAuthParam    []byte           `cbor:"8,keyasint,omitempty"`
	PinUvAuthProtocol uint64           `cbor:"9,keyasint,omitempty"`
}

type getAssertionParams struct {
	RPID           string           `cbor:"1,keyasint"`
	ClientDataHash []byte           `cbor:"2,keyasint"`
	AllowList      []credDescriptor `cbor:"3,keyasint,omitempty"`
	Options        map[string]bool  `cbor:"5,keyasint,omitempty"`
}

type getAssertionResponse struct {
	Credential credDescriptor `cbor:"1,keyasint"`
	AuthData   []byte         `cbor:"2,keyasint"`
	Signature  []byte         `cbor:"3,keyasint"`
}

type makeCredentialResponse struct {
	Fmt      string                        `cbor:"1,keyasint"`
	AuthData []byte                        `cbor:"2,keyasint"`
	AttStmt  webauthn.AttestationStatement `cbor:"3,keyasint"`
}

type clientPINParams struct {
	PinUvAuthProtocol uint64   `cbor:"1,keyasint,omitempty"`
	SubCommand        uint64   `cbor:"2,keyasint"`
	KeyAgreement      *coseKey `cbor:"3,keyasint,omitempty"`
	PinUvAuthParam    []byte   `cbor:"4,keyasint,omitempty"`
	NewPinEnc         []byte   `cbor:"5,keyasint,omitempty"`
	PinHashEnc        []byte   `cbor:"6,keyasint,omitempty"`
	Permissions       uint64   `cbor:"9,keyasint,omitempty"`
	RPID              string   `cbor:"10,keyasint,omitempty"`
}

type clientPINResponse struct {
	KeyAgreement   *coseKey `cbor:"1,keyasint,omitempty"`
	PinUvAuthToken []byte   `cbor:"2,keyasint,omitempty"`
	PinRetries     *uint64  `cbor:"3,keyasint,omitempty"`
}

// configParams is authenticatorConfig's request. SubCommandParams stays
// as sent: the PIN/UV auth parameter covers its bytes.
type configParams struct {
	SubCommand        uint64          `cbor:"1,keyasint"`
	SubCommandParams  cbor.RawMessage `cbor:"2,keyasint,omitempty"`
	PinUvAuthProtocol uint64          `cbor:"3,keyasint,omitempty"`
	PinUvAuthParam    []byte          `cbor:"4,keyasint,omitempty"`
}

type minPINLengthParams struct {
	NewMinPINLength uint64 `cbor:"1,keyasint,omitempty"`
	ForceChangePin  bool   `cbor:"3,keyasint,omitempty"`
}

// configMessage is what authenticatorConfig's PIN/UV auth parameter
// authenticates: 32 bytes of 0xff, the command, the subcommand and its
// parameters.
func configMessage(sub uint64, params []byte) []byte {
	msg := bytes.Repeat([]byte{0xff}, 32)
	return append(append(msg, cmdConfig, byte(sub)), params...)
}

type infoResponse struct {
	Versions           []string        `cbor:"1,keyasint"`
	Extensions         []string        `cbor:"2,keyasint,omitempty"`
	AAGUID             []byte          `cbor:"3,keyasint"`
	Options            map[string]bool `cbor:"4,keyasint,omitempty"`
	MaxMsgSize         uint64          `cbor:"5,keyasint,omitempty"`
	PinUvAuthProtocols []uint64        `cbor:"6,keyasint,omitempty"`
	Transports         []string        `cbor:"9,keyasint,omitempty"`
	ForcePINChange     bool            `cbor:"12,keyasint,omitempty"`
	MinPINLength       uint64          `cbor:"13,keyasint,omitempty"`
}
