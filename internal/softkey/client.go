package softkey

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"

	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

// ctapClient is the platform side of CTAP2 over any transport that carries
// CTAP2 messages: it runs the PIN protocol and builds attestation objects.
type ctapClient struct {
	path    string
	product string
	// protocol is the PIN/UV auth protocol in use: the device's first.
	protocol uint64
	transact func(ctx context.Context, msg []byte) ([]byte, error)
	close    func() error
}

func (c *ctapClient) call(ctx context.Context, cmd byte, params, resp any) error {
	msg := []byte{cmd}
	if params != nil {
		b, err := webauthn.Marshal(params)
		if err != nil {
			return err
		}
		msg = append(msg, b...)
	}
	out, err := c.transact(ctx, msg)
	if err != nil {
		return err
	}
	if len(out) == 0 {
		return errors.New("empty CTAP2 response")
	}
	if err := statusErr(out[0]); err != nil {
		return err
	}
	if resp == nil {
		return nil
	}
	if err := webauthn.Unmarshal(out[1:], resp); err != nil {
		return fmt.Errorf("decoding the authenticator's answer: %w", err)
	}
	return nil
}

func (c *ctapClient) Close() error {
	if c.close != nil {
		return c.close()
	}
	return nil
}

func (c *ctapClient) Info(ctx context.Context) (*authenticator.Device, error) {
	var info infoResponse
	if err := c.call(ctx, cmdGetInfo, nil, &info); err != nil {
		return nil, err
	}
	c.protocol = pinProtocolVersion2
	if len(info.PinUvAuthProtocols) > 0 {
		c.protocol = info.PinUvAuthProtocols[0]
	}
	d := &authenticator.Device{Path: c.path, Product: c.product, AAGUID: webauthn.FormatAAGUID(info.AAGUID),
		Versions: info.Versions, Extensions: info.Extensions, Options: info.Options, PINRetries: -1, ForcePINChange: info.ForcePINChange}
	if d.HasPIN() {
		d.PINRetries = c.retries(ctx)
	}
	return d, nil
}

// retries asks how many PIN attempts are left; -1 if the device won't say.
func (c *ctapClient) retries(ctx context.Context) int {
	var r clientPINResponse
	if err := c.call(ctx, cmdClientPIN, clientPINParams{PinUvAuthProtocol: c.protocol, SubCommand: subGetPINRetries}, &r); err != nil || r.PinRetries == nil {
		return -1
	}
	return int(*r.PinRetries)
}

// agree runs the key agreement and returns the platform key and the shared
// secret.
func (c *ctapClient) agree(ctx context.Context) (*coseKey, *sharedSecret, error) {
	var r clientPINResponse
	if err := c.call(ctx, cmdClientPIN, clientPINParams{PinUvAuthProtocol: c.protocol, SubCommand: subGetKeyAgreement}, &r); err != nil {
		return nil, nil, err
	}
	if r.KeyAgreement == nil {
		return nil, nil, errors.New("the authenticator sent no key agreement key")
	}
	peer, err := r.KeyAgreement.ecdh()
	if err != nil {
		return nil, nil, err
	}
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	ss, err := deriveSharedVersion(c.protocol, priv, peer)
	if err != nil {
		return nil, nil, err
	}
	k := coseFromECDH(priv.PublicKey(), coseAlgECDHESHKDF)
	return &k, ss, nil
}

func (c *ctapClient) SetPIN(ctx context.Context, pin string) error {
	padded, err := padPIN(pin)
	if err != nil {
		return err
	}
	if _, err := c.Info(ctx); err != nil {
		return err
	}
	key, ss, err := c.agree(ctx)
	if err != nil {
		return err
	}
	enc, err := ss.encrypt(padded)
	if err != nil {
		return err
	}
	return c.call(ctx, cmdClientPIN, clientPINParams{PinUvAuthProtocol: c.protocol, SubCommand: subSetPIN,
		KeyAgreement: key, NewPinEnc: enc, PinUvAuthParam: authenticateVersion(c.protocol, ss.hmacKey, enc)}, nil)
}

// token exchanges the PIN for a pinUvAuthToken with permissions, for rpID
// when making credentials.
func (c *ctapClient) token(ctx context.Context, pin, rpID string, permissions uint64) ([]byte, error) {
	key, ss, err := c.agree(ctx)
	if err != nil {
		return nil, err
	}
	hashEnc, err := ss.encrypt(pinHash(pin))
	if err != nil {
		return nil, err
	}
	var r clientPINResponse
	err = c.call(ctx, cmdClientPIN, clientPINParams{PinUvAuthProtocol: c.protocol, SubCommand: subGetTokenPerms,
		KeyAgreement: key, PinHashEnc: hashEnc, Permissions: permissions, RPID: rpID}, &r)
	var wrong *authenticator.PINInvalidError
	if errors.As(err, &wrong) {
		return nil, &authenticator.PINInvalidError{RetriesLeft: c.retries(ctx)}
	}
	if err != nil {
		return nil, err
	}
	return ss.decrypt(r.PinUvAuthToken)
}

func (c *ctapClient) MakeCredential(ctx context.Context, req authenticator.MakeCredentialRequest) (*authenticator.Credential, error) {
	info, err := c.Info(ctx)
	if err != nil {
		return nil, err
	}
	p := makeCredentialParams{
		ClientDataHash: req.ClientDataHash,
		RP:             rpEntity{ID: req.RPID, Name: req.RPName},
		User:           userEntity{ID: req.UserID, Name: req.UserName, DisplayName: req.UserDisplayName},
		Options:        map[string]bool{"rk": true},
	}
	// The relying party's order: the authenticator takes the first it can.
	for _, alg := range req.AlgorithmsOrES256() {
		p.PubKeyCredParams = append(p.PubKeyCredParams, credParam{Type: "public-key", Alg: alg})
	}
	// Extensions go only to an authenticator that lists them: one that does
	// not may refuse the request.
	if req.HMACSecret && slices.Contains(info.Extensions, "hmac-secret") {
		p.Extensions = map[string]any{"hmac-secret": true}
	}
	if req.CredProtect > 0 && slices.Contains(info.Extensions, "credProtect") {
		if p.Extensions == nil {
			p.Extensions = map[string]any{}
		}
		p.Extensions["credProtect"] = req.CredProtect
	}
	for _, id := range req.ExcludeList {
		p.ExcludeList = append(p.ExcludeList, credDescriptor{Type: "public-key", ID: id})
	}
	if !info.HasPIN() {
		return nil, authenticator.ErrPINNotSet // Graph requires user verification
	}
	if req.PIN == "" {
		return nil, authenticator.ErrPINRequired
	}
	tok, err := c.token(ctx, req.PIN, req.RPID, permMakeCredential)
	if err != nil {
		return nil, err
	}
	p.PinUvAuthParam, p.PinUvAuthProtocol = authenticateVersion(c.protocol, tok, req.ClientDataHash), c.protocol
	var r makeCredentialResponse
	if err := c.call(ctx, cmdMakeCredential, p, &r); err != nil {
		return nil, err
	}
	return authenticator.NewCredential(r.Fmt, r.AuthData, r.AttStmt)
}

// ForcePINChange has the authenticator require a new PIN before it issues
// another token: authenticatorConfig's setMinPINLength with forceChangePin.
func (c *ctapClient) ForcePINChange(ctx context.Context, pin string) error {
	info, err := c.Info(ctx)
	if err != nil {
		return err
	}
	if !info.Options["authnrCfg"] || !info.Options["setMinPINLength"] {
		return authenticator.ErrNoPINChange
	}
	tok, err := c.token(ctx, pin, "", permConfig)
	if err != nil {
		return err
	}
	params, err := webauthn.Marshal(minPINLengthParams{ForceChangePin: true})
	if err != nil {
		return err
	}
	return c.call(ctx, cmdConfig, configParams{SubCommand: subSetMinPINLength, SubCommandParams: params, PinUvAuthProtocol: c.protocol,
		PinUvAuthParam: authenticateVersion(c.protocol, tok, configMessage(subSetMinPINLength, params))}, nil)
}
