// Package softkey is a FIDO2 security key in software, the device side of
// CTAP2: the authenticator itself (P-256 resident credentials, a PIN, packed
// attestation, in a state file), its transports (CTAP2 messages, CTAPHID
// framing, a Linux uhid device), and the Backend that lets the provider use
// such keys from a directory (software_authenticator_dir). Tests, the demo,
// the emulator and the QEMU guest tier use it; its errors name no Terraform
// argument.
package softkey

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

// Software is a CTAP2 authenticator in software: P-256 resident
// credentials, a PIN with PIN/UV auth protocol 2, and packed attestation
// signed by a certificate of its own attestation CA. It works at the CTAP2
// command level (Transact takes and returns CTAP2 messages), so a HID
// transport can sit in front of the same core. Its state lives in a file.
type Software struct {
	path string

	mu    sync.Mutex
	state softwareState
	// Per power-up: the key agreement key and the current token.
	agreement     *ecdh.PrivateKey
	token         []byte
	tokenProtocol uint64
	tokenRPID     string
	tokenPerms    uint64
	wrongInARow   int
}

// Touch behaviours of a software key, standing in for a person.
const (
	TouchAuto  = "auto"  // every request is touched at once
	TouchNever = "never" // nobody touches: requests wait until cancelled
	TouchDeny  = "deny"  // the touch is declined
)

type softwareState struct {
	AAGUID          string   `json:"aaguid"`
	Product         string   `json:"product"`
	AttestationKey  []byte   `json:"attestation_key"`
	AttestationCert []byte   `json:"attestation_cert"`
	AttestationCA   []byte   `json:"attestation_ca"`
	PINHash         []byte   `json:"pin_hash,omitempty"`
	PINRetries      int      `json:"pin_retries"`
	SignCount       uint32   `json:"sign_count"`
	Touch           string   `json:"touch"`
	PINProtocols    []uint64 `json:"pin_protocols"`
	// NoConfig plays a key without authenticatorConfig (CTAP 2.0).
	NoConfig bool `json:"no_config,omitempty"`
	// ForcePINChange is CTAP 2.1's flag: the PIN must be changed before
	// the key issues another token.
	ForcePINChange bool               `json:"force_pin_change,omitempty"`
	Credentials    []storedCredential `json:"credentials"`
}

type storedCredential struct {
	ID          []byte `json:"id"`
	RPID        string `json:"rp_id"`
	UserID      []byte `json:"user_id"`
	UserName    string `json:"user_name"`
	Key         []byte `json:"key"`
	CredProtect uint64 `json:"cred_protect,omitempty"`
	HMACSecret  bool   `json:"hmac_secret,omitempty"`
}

const maxPINRetries = 8

// minPINLength is CTAP's minimum PIN length, which the software key keeps.
const minPINLength = 4

// SoftwareOptions describe a new software key.
type SoftwareOptions struct {
	AAGUID  string
	Product string
	// PIN, when set, is the key's initial PIN.
	PIN string
	// CA signs the attestation certificate; nil makes a CA for this key.
	CA *AttestationCA
	// Touch is TouchAuto (default), TouchNever or TouchDeny.
	Touch string
	// PINProtocols are the PIN/UV auth protocols offered, in order of
	// preference; default 2 then 1.
	PINProtocols []uint64
	// NoConfig leaves out authenticatorConfig, as CTAP 2.0 keys do: such
	// a key cannot be made to require a new PIN.
	NoConfig bool
}

// AttestationCA issues software keys' attestation certificates. A relying
// party that trusts its certificate accepts their attestations.
type AttestationCA struct {
	Cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// NewAttestationCA makes a CA.
func NewAttestationCA(name string) (*AttestationCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name, Organization: []string{"terraform-provider-entra"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(20, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return &AttestationCA{Cert: cert, key: key}, err
}

// idFidoGenCeAAGUID is the certificate extension naming the AAGUID.
var idFidoGenCeAAGUID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 45724, 1, 1, 4}

// issue makes an attestation certificate as WebAuthn §8.2.1 requires of
// packed attestation: subject C, O, OU "Authenticator Attestation", CN; not a
// CA; the AAGUID extension.
func (ca *AttestationCA) issue(aaguid []byte, pub *ecdsa.PublicKey) ([]byte, error) {
	ext, err := asn1.Marshal(aaguid)
	if err != nil {
		return nil, err
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{Country: []string{"US"}, Organization: []string{"terraform-provider-entra"},
			OrganizationalUnit: []string{"Authenticator Attestation"}, CommonName: "Software FIDO2 authenticator"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(10, 0, 0),
		BasicConstraintsValid: true, IsCA: false, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{Id: idFidoGenCeAAGUID, Value: ext}},
	}
	return x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, pub, ca.key)
}

// DefaultSoftwareAAGUID identifies the software authenticator's model.
const DefaultSoftwareAAGUID = "7e3f3d30-3557-4c3b-9d2a-6b1f0e5d4c3a"

// CreateSoftware writes a new software key's state file.
func CreateSoftware(path string, o SoftwareOptions) (*Software, error) {
	if o.AAGUID == "" {
		o.AAGUID = DefaultSoftwareAAGUID
	}
	if o.Product == "" {
		o.Product = "Software FIDO2 authenticator"
	}
	if o.Touch == "" {
		o.Touch = TouchAuto
	}
	if len(o.PINProtocols) == 0 {
		o.PINProtocols = []uint64{pinProtocolVersion2, pinProtocolVersion1}
	}
	aaguid, err := webauthn.ParseAAGUID(o.AAGUID)
	if err != nil {
		return nil, err
	}
	if o.CA == nil {
		if o.CA, err = NewAttestationCA("Software FIDO2 attestation CA"); err != nil {
			return nil, err
		}
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	cert, err := o.CA.issue(aaguid, &key.PublicKey)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	s := &Software{path: path, state: softwareState{
		AAGUID: webauthn.FormatAAGUID(aaguid), Product: o.Product, AttestationKey: keyDER, AttestationCert: cert,
		AttestationCA: o.CA.Cert.Raw, PINRetries: maxPINRetries, Touch: o.Touch, PINProtocols: o.PINProtocols, NoConfig: o.NoConfig,
	}}
	if o.PIN != "" {
		if _, err := padPIN(o.PIN); err != nil {
			return nil, err
		}
		s.state.PINHash = pinHash(o.PIN)
	}
	return s, s.save()
}

// OpenSoftware loads a software key from its state file.
func OpenSoftware(path string) (*Software, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := &Software{path: path}
	if err := json.Unmarshal(b, &s.state); err != nil {
		return nil, fmt.Errorf("software authenticator %s: %w", path, err)
	}
	if len(s.state.PINProtocols) == 0 {
		s.state.PINProtocols = []uint64{pinProtocolVersion2, pinProtocolVersion1}
	}
	return s, nil
}

// AttestationCA returns the certificate of the CA behind the key's
// attestation, for a relying party to trust.
func (s *Software) AttestationCA() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.AttestationCA
}

// CredentialCount is how many resident credentials the key holds.
func (s *Software) CredentialCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.state.Credentials)
}

// SetTouch changes how the simulated person responds to touch requests.
func (s *Software) SetTouch(touch string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state.Touch = touch
	return s.save()
}

// save writes the state atomically. The caller holds s.mu (or owns s).
func (s *Software) save() error {
	b, err := json.MarshalIndent(s.state, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".softkey-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.path)
}

// Transact handles one CTAP2 message: a command byte and its CBOR
// parameters; it answers a status byte and CBOR. ctx ends a wait for touch.
func (s *Software) Transact(ctx context.Context, msg []byte) []byte {
	if len(msg) == 0 {
		return []byte{statusInvalidLength}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var resp any
	var status byte
	switch msg[0] {
	case cmdGetInfo:
		resp = s.info()
	case cmdClientPIN:
		resp, status = s.clientPIN(msg[1:])
	case cmdMakeCredential:
		resp, status = s.makeCredential(ctx, msg[1:])
	case cmdGetAssertion:
		resp, status = s.getAssertion(ctx, msg[1:])
	case cmdConfig:
		status = statusInvalidCommand
		if !s.state.NoConfig {
			status = s.config(msg[1:])
		}
	default:
		status = statusInvalidCommand
	}
	if status != statusOK {
		return []byte{status}
	}
	out, err := webauthn.Marshal(resp)
	if err != nil {
		return []byte{statusInvalidCBOR}
	}
	return append([]byte{statusOK}, out...)
}

func (s *Software) info() infoResponse {
	aaguid, _ := webauthn.ParseAAGUID(s.state.AAGUID)
	return infoResponse{
		Versions: []string{"FIDO_2_0", "FIDO_2_1"}, Extensions: []string{"credProtect", "hmac-secret"}, AAGUID: aaguid,
		Options: map[string]bool{"rk": true, "up": true, "plat": false, "clientPin": s.state.PINHash != nil,
			"pinUvAuthToken": true, "makeCredUvNotRqd": false, "authnrCfg": !s.state.NoConfig, "setMinPINLength": !s.state.NoConfig},
		MaxMsgSize: 1200, PinUvAuthProtocols: s.state.PINProtocols, Transports: []string{"usb"},
		ForcePINChange: s.state.ForcePINChange, MinPINLength: minPINLength,
	}
}

func (s *Software) clientPIN(body []byte) (any, byte) {
	var p clientPINParams
	if err := webauthn.Unmarshal(body, &p); err != nil {
		return nil, statusInvalidCBOR
	}
	if p.SubCommand != subGetPINRetries && !slices.Contains(s.state.PINProtocols, p.PinUvAuthProtocol) {
		return nil, statusInvalidParameter
	}
	switch p.SubCommand {
	case subGetPINRetries:
		n := uint64(s.state.PINRetries)
		return clientPINResponse{PinRetries: &n}, statusOK
	case subGetKeyAgreement:
		if s.agreement == nil {
			var err error
			if s.agreement, err = ecdh.P256().GenerateKey(rand.Reader); err != nil {
				return nil, statusInvalidParameter
			}
		}
		k := coseFromECDH(s.agreement.PublicKey(), coseAlgECDHESHKDF)
		return clientPINResponse{KeyAgreement: &k}, statusOK
	case subSetPIN:
		return nil, s.setPIN(p)
	case subGetTokenPerms:
		return s.getToken(p)
	case subGetPINToken:
		// The CTAP 2.0 form: no permissions, so the token may make credentials.
		p.Permissions = permMakeCredential
		return s.getToken(p)
	}
	return nil, statusInvalidParameter
}

func (s *Software) shared(p clientPINParams) (*sharedSecret, byte) {
	if p.KeyAgreement == nil || s.agreement == nil {
		return nil, statusMissingParameter
	}
	peer, err := p.KeyAgreement.ecdh()
	if err != nil {
		return nil, statusInvalidParameter
	}
	ss, err := deriveSharedVersion(p.PinUvAuthProtocol, s.agreement, peer)
	if err != nil {
		return nil, statusInvalidParameter
	}
	return ss, statusOK
}

func (s *Software) setPIN(p clientPINParams) byte {
	if s.state.PINHash != nil {
		return statusPINAuthInvalid // changing a PIN is not supported here
	}
	ss, st := s.shared(p)
	if st != statusOK {
		return st
	}
	if !hmac.Equal(authenticateVersion(ss.version, ss.hmacKey, p.NewPinEnc), p.PinUvAuthParam) {
		return statusPINAuthInvalid
	}
	padded, err := ss.decrypt(p.NewPinEnc)
	if err != nil || len(padded) < 64 {
		return statusPINPolicyViolation
	}
	pin := string(bytes.TrimRight(padded, "\x00"))
	if _, err := padPIN(pin); err != nil {
		return statusPINPolicyViolation
	}
	s.state.PINHash, s.state.PINRetries = pinHash(pin), maxPINRetries
	if s.save() != nil {
		return statusInvalidParameter
	}
	return statusOK
}

// getToken checks the PIN and issues a pinUvAuthToken. Wrong PINs count
// down the retries; three in a row need a power cycle (CTAP 2.1 §6.5.5.7).
func (s *Software) getToken(p clientPINParams) (any, byte) {
	if s.state.PINHash == nil {
		return nil, statusPINNotSet
	}
	if s.state.PINRetries <= 0 {
		return nil, statusPINBlocked
	}
	if s.wrongInARow >= 3 {
		return nil, statusPINAuthBlocked
	}
	ss, st := s.shared(p)
	if st != statusOK {
		return nil, st
	}
	s.state.PINRetries--
	hash, err := ss.decrypt(p.PinHashEnc)
	if err != nil || len(hash) < 16 || !hmac.Equal(hash[:16], s.state.PINHash) {
		s.agreement = nil // a new key agreement after a failure
		s.wrongInARow++
		_ = s.save()
		switch {
		case s.state.PINRetries <= 0:
			return nil, statusPINBlocked
		case s.wrongInARow >= 3:
			return nil, statusPINAuthBlocked
		}
		return nil, statusPINInvalid
	}
	s.state.PINRetries, s.wrongInARow = maxPINRetries, 0
	if s.save() != nil {
		return nil, statusInvalidParameter
	}
	if s.state.ForcePINChange {
		return nil, statusPINPolicyViolation // the PIN must be changed first
	}
	if p.Permissions == 0 || p.Permissions&^(permMakeCredential|permConfig) != 0 {
		return nil, statusUnsupportedOption
	}
	s.token = make([]byte, 32)
	_, _ = rand.Read(s.token)
	s.tokenRPID, s.tokenProtocol, s.tokenPerms = p.RPID, ss.version, p.Permissions
	enc, err := ss.encrypt(s.token)
	if err != nil {
		return nil, statusInvalidParameter
	}
	return clientPINResponse{PinUvAuthToken: enc}, statusOK
}

// config runs authenticatorConfig's setMinPINLength, the subcommand that
// can force a PIN change, with a token allowed to configure.
func (s *Software) config(body []byte) byte {
	var p configParams
	if err := webauthn.Unmarshal(body, &p); err != nil {
		return statusInvalidCBOR
	}
	if p.SubCommand != subSetMinPINLength {
		return statusInvalidParameter
	}
	if p.PinUvAuthParam == nil {
		return statusPINRequired
	}
	if s.token == nil || s.tokenPerms&permConfig == 0 || p.PinUvAuthProtocol != s.tokenProtocol ||
		!hmac.Equal(authenticateVersion(s.tokenProtocol, s.token, configMessage(p.SubCommand, p.SubCommandParams)), p.PinUvAuthParam) {
		return statusPINAuthInvalid
	}
	var params minPINLengthParams
	if len(p.SubCommandParams) > 0 {
		if err := webauthn.Unmarshal(p.SubCommandParams, &params); err != nil {
			return statusInvalidCBOR
		}
	}
	if params.NewMinPINLength != 0 && params.NewMinPINLength != minPINLength {
		return statusPINPolicyViolation // the software key keeps CTAP's minimum
	}
	if params.ForceChangePin {
		if s.state.PINHash == nil {
			return statusPINNotSet
		}
		s.state.ForcePINChange = true
	}
	if s.save() != nil {
		return statusInvalidParameter
	}
	return statusOK
}

func (s *Software) makeCredential(ctx context.Context, body []byte) (any, byte) {
	var p makeCredentialParams
	if err := webauthn.Unmarshal(body, &p); err != nil {
		return nil, statusInvalidCBOR
	}
	if len(p.ClientDataHash) != 32 || p.RP.ID == "" || len(p.User.ID) == 0 || len(p.PubKeyCredParams) == 0 {
		return nil, statusMissingParameter
	}
	es256 := false
	for _, c := range p.PubKeyCredParams {
		es256 = es256 || (c.Type == "public-key" && c.Alg == coseAlgES256)
	}
	if !es256 {
		return nil, statusUnsupportedAlg
	}
	if p.Options["uv"] {
		return nil, statusInvalidOption // no built-in user verification: the PIN token stands for it
	}
	uv := false
	switch {
	case p.PinUvAuthParam != nil:
		if p.PinUvAuthProtocol != s.tokenProtocol {
			return nil, statusPINAuthInvalid
		}
		if s.token == nil || s.tokenPerms&permMakeCredential == 0 || !hmac.Equal(authenticateVersion(s.tokenProtocol, s.token, p.ClientDataHash), p.PinUvAuthParam) ||
			(s.tokenRPID != "" && s.tokenRPID != p.RP.ID) {
			return nil, statusPINAuthInvalid
		}
		uv = true
	case s.state.PINHash != nil:
		return nil, statusPINRequired
	}
	for _, ex := range p.ExcludeList {
		for _, c := range s.state.Credentials {
			if c.RPID == p.RP.ID && bytes.Equal(c.ID, ex.ID) {
				if st := s.awaitTouch(ctx); st != statusOK {
					return nil, st
				}
				return nil, statusCredentialExcluded
			}
		}
	}
	if st := s.awaitTouch(ctx); st != statusOK {
		return nil, st
	}
	s.token = nil // one token, one credential
	return s.newCredential(p, uv)
}

// getAssertion answers an assertion for a credential of the allow list, so
// far as a WebAuthn client's silent check that a key already holds one needs
// it (up = false, no user verification): credProtect level 3 credentials
// are not disclosed without verification (CTAP 2.1 §12.1).
func (s *Software) getAssertion(ctx context.Context, body []byte) (any, byte) {
	var p getAssertionParams
	if err := webauthn.Unmarshal(body, &p); err != nil {
		return nil, statusInvalidCBOR
	}
	if p.RPID == "" || len(p.ClientDataHash) != 32 {
		return nil, statusMissingParameter
	}
	if p.Options["uv"] {
		return nil, statusUnsupportedOption
	}
	for _, allowed := range p.AllowList {
		for _, c := range s.state.Credentials {
			if c.RPID != p.RPID || !bytes.Equal(c.ID, allowed.ID) || c.CredProtect == 3 {
				continue
			}
			up, ok := p.Options["up"]
			flags := byte(0)
			if !ok || up {
				if st := s.awaitTouch(ctx); st != statusOK {
					return nil, st
				}
				flags = webauthn.FlagUserPresent
			}
			key, err := x509.ParsePKCS8PrivateKey(c.Key)
			if err != nil {
				return nil, statusInvalidParameter
			}
			rpHash := sha256.Sum256([]byte(p.RPID))
			s.state.SignCount++
			authData := binary.BigEndian.AppendUint32(append(append([]byte{}, rpHash[:]...), flags), s.state.SignCount)
			digest := sha256.Sum256(append(append([]byte{}, authData...), p.ClientDataHash...))
			sig, err := ecdsa.SignASN1(rand.Reader, key.(*ecdsa.PrivateKey), digest[:])
			if err != nil || s.save() != nil {
				return nil, statusInvalidParameter
			}
			return getAssertionResponse{Credential: credDescriptor{Type: "public-key", ID: c.ID}, AuthData: authData, Signature: sig}, statusOK
		}
	}
	return nil, statusNoCredentials
}

// awaitTouch simulates the person at the key.
func (s *Software) awaitTouch(ctx context.Context) byte {
	switch s.state.Touch {
	case TouchDeny:
		return statusOperationDenied
	case TouchNever:
		s.mu.Unlock()
		<-ctx.Done()
		s.mu.Lock()
		if errors.Is(ctx.Err(), context.Canceled) {
			return statusKeepaliveCancel
		}
		return statusUserActionTimeout
	}
	return statusOK
}

func (s *Software) newCredential(p makeCredentialParams, uv bool) (any, byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, statusInvalidParameter
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	id := make([]byte, 32)
	_, _ = rand.Read(id)
	ecdhPub, _ := key.PublicKey.ECDH()
	cose := coseFromECDH(ecdhPub, coseAlgES256)
	coseBytes, err := webauthn.Marshal(cose)
	if err != nil {
		return nil, statusInvalidParameter
	}
	aaguid, _ := webauthn.ParseAAGUID(s.state.AAGUID)
	rpHash := sha256.Sum256([]byte(p.RP.ID))
	flags := byte(webauthn.FlagUserPresent | webauthn.FlagAttested)
	if uv {
		flags |= webauthn.FlagUserVerified
	}
	// Extension outputs (CTAP 2.1 §12): credProtect answers the level the
	// credential got, hmac-secret that the credential can derive secrets.
	stored := storedCredential{ID: id, RPID: p.RP.ID, UserID: p.User.ID, UserName: p.User.Name, Key: keyDER}
	outputs := map[string]any{}
	if level, ok := p.Extensions["credProtect"].(uint64); ok && level >= 1 && level <= 3 {
		stored.CredProtect, outputs["credProtect"] = level, level
	}
	if on, ok := p.Extensions["hmac-secret"].(bool); ok && on {
		stored.HMACSecret, outputs["hmac-secret"] = true, true
	}
	var extensions []byte
	if len(outputs) > 0 {
		flags |= webauthn.FlagExtensions
		if extensions, err = webauthn.Marshal(outputs); err != nil {
			return nil, statusInvalidParameter
		}
	}
	s.state.SignCount++
	authData := append(append([]byte{}, rpHash[:]...), flags)
	authData = binary.BigEndian.AppendUint32(authData, s.state.SignCount)
	authData = append(authData, aaguid...)
	authData = binary.BigEndian.AppendUint16(authData, uint16(len(id)))
	authData = append(append(append(authData, id...), coseBytes...), extensions...)

	attKey, err := x509.ParsePKCS8PrivateKey(s.state.AttestationKey)
	if err != nil {
		return nil, statusInvalidParameter
	}
	digest := sha256.Sum256(append(append([]byte{}, authData...), p.ClientDataHash...))
	sig, err := ecdsa.SignASN1(rand.Reader, attKey.(*ecdsa.PrivateKey), digest[:])
	if err != nil {
		return nil, statusInvalidParameter
	}
	// A resident credential for the same user replaces the older one.
	creds := s.state.Credentials[:0]
	for _, c := range s.state.Credentials {
		if c.RPID != p.RP.ID || !bytes.Equal(c.UserID, p.User.ID) {
			creds = append(creds, c)
		}
	}
	s.state.Credentials = append(creds, stored)
	if s.save() != nil {
		return nil, statusInvalidParameter
	}
	return makeCredentialResponse{Fmt: "packed", AuthData: authData,
		AttStmt: webauthn.AttestationStatement{Alg: coseAlgES256, Sig: sig, X5C: [][]byte{s.state.AttestationCert}}}, statusOK
}
