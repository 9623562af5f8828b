package graph

import (
	"context"
	"encoding/json"
	"net/url"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// PhoneMethod is one of a user's phones.
type PhoneMethod struct {
	ID             string `json:"id,omitempty"`
	PhoneNumber    string `json:"phoneNumber"`
	PhoneType      string `json:"phoneType"`
	SmsSignInState string `json:"smsSignInState,omitempty"`
}

// EmailMethod is a user's email method.
type EmailMethod struct {
	ID           string `json:"id,omitempty"`
	EmailAddress string `json:"emailAddress"`
}

func methodPath(user, collection, id string) string {
	p := userPath(user) + collection
	if id != "" {
		p += "/" + url.PathEscape(id)
	}
	return p
}

// CreatePhoneMethod adds a phone: its number and type.
func (c *Client) CreatePhoneMethod(ctx context.Context, user string, p PhoneMethod) (*PhoneMethod, error) {
	var out PhoneMethod
	return &out, c.do(ctx, abs.POST, methodPath(user, "phoneMethods", ""), PhoneMethod{PhoneNumber: p.PhoneNumber, PhoneType: p.PhoneType}, &out)
}

// ListPhoneMethods lists a user's phones.
func (c *Client) ListPhoneMethods(ctx context.Context, user string) ([]PhoneMethod, error) {
	return listAll[PhoneMethod](ctx, c, methodPath(user, "phoneMethods", ""))
}

// GetPhoneMethod reads one phone.
func (c *Client) GetPhoneMethod(ctx context.Context, user, id string) (*PhoneMethod, error) {
	var out PhoneMethod
	return &out, c.do(ctx, abs.GET, methodPath(user, "phoneMethods", id), nil, &out)
}

// UpdatePhoneNumber changes a phone's number; its type cannot change.
func (c *Client) UpdatePhoneNumber(ctx context.Context, user, id, number string) error {
	return c.do(ctx, abs.PATCH, methodPath(user, "phoneMethods", id), map[string]string{"phoneNumber": number}, nil)
}

// SetSmsSignIn enables or disables sign-in by text message with a mobile
// phone.
func (c *Client) SetSmsSignIn(ctx context.Context, user, id string, enabled bool) error {
	action := "/disableSmsSignIn"
	if enabled {
		action = "/enableSmsSignIn"
	}
	return c.do(ctx, abs.POST, methodPath(user, "phoneMethods", id)+action, nil, nil)
}

// CreateEmailMethod adds the user's email method.
func (c *Client) CreateEmailMethod(ctx context.Context, user, address string) (*EmailMethod, error) {
	var out EmailMethod
	return &out, c.do(ctx, abs.POST, methodPath(user, "emailMethods", ""), EmailMethod{EmailAddress: address}, &out)
}

// GetEmailMethod reads the user's email method.
func (c *Client) GetEmailMethod(ctx context.Context, user, id string) (*EmailMethod, error) {
	var out EmailMethod
	return &out, c.do(ctx, abs.GET, methodPath(user, "emailMethods", id), nil, &out)
}

// ListEmailMethods lists the user's email methods: none or one.
func (c *Client) ListEmailMethods(ctx context.Context, user string) ([]EmailMethod, error) {
	return listAll[EmailMethod](ctx, c, methodPath(user, "emailMethods", ""))
}

// UpdateEmailAddress changes the address of the user's email method.
func (c *Client) UpdateEmailAddress(ctx context.Context, user, id, address string) error {
	return c.do(ctx, abs.PATCH, methodPath(user, "emailMethods", id), EmailMethod{EmailAddress: address}, nil)
}

// GetUserMethod reads one method of a user's collection ("phoneMethods",
// "microsoftAuthenticatorMethods", ...), every property as JSON.
func (c *Client) GetUserMethod(ctx context.Context, user, collection, id string) (map[string]json.RawMessage, error) {
	var out map[string]json.RawMessage
	return out, c.do(ctx, abs.GET, methodPath(user, collection, id), nil, &out)
}

// ListUserMethods lists a user's collection, every property as JSON.
func (c *Client) ListUserMethods(ctx context.Context, user, collection string) ([]map[string]json.RawMessage, error) {
	return listAll[map[string]json.RawMessage](ctx, c, methodPath(user, collection, ""))
}

// DeleteUserMethod deletes one method of a user's collection; for a method
// the user registered, that revokes it.
func (c *Client) DeleteUserMethod(ctx context.Context, user, collection, id string) error {
	return c.do(ctx, abs.DELETE, methodPath(user, collection, id), nil, nil)
}

// QRCodePinMethod is a user's QR code + PIN method. Image and PIN are set
// only in the answer to its creation (and the PIN in a reset's).
type QRCodePinMethod struct {
	ID              string    `json:"id"`
	CreatedDateTime time.Time `json:"createdDateTime"`
	StandardQRCode  QRCode    `json:"standardQRCode"`
	Pin             QRPin     `json:"pin"`
}

// QRCode is a QR code of the method.
type QRCode struct {
	ID             string    `json:"id,omitempty"`
	StartDateTime  time.Time `json:"startDateTime"`
	ExpireDateTime time.Time `json:"expireDateTime"`
	Image          *struct {
		BinaryValue []byte `json:"binaryValue"`
	} `json:"image,omitempty"`
}

// QRPin is the method's PIN.
type QRPin struct {
	Code                     *string `json:"code,omitempty"`
	ForceChangePinNextSignIn bool    `json:"forceChangePinNextSignIn,omitempty"`
}

const qrCodePinPath = "qrCodePinMethod"

// CreateQRCodePinMethod creates the user's method with its standard QR code
// and PIN; it is sent once, whatever the answer (see sentOnce).
func (c *Client) CreateQRCodePinMethod(ctx context.Context, user string, start, expire time.Time, pin string) (*QRCodePinMethod, error) {
	body := map[string]any{
		"standardQRCode": map[string]time.Time{"startDateTime": start, "expireDateTime": expire},
		"pin":            map[string]string{"code": pin},
	}
	var out QRCodePinMethod
	return &out, c.do(sentOnce(ctx), abs.PUT, userPath(user)+qrCodePinPath, body, &out)
}

// GetQRCodePinMethod reads the user's method.
func (c *Client) GetQRCodePinMethod(ctx context.Context, user string) (*QRCodePinMethod, error) {
	var out QRCodePinMethod
	return &out, c.do(ctx, abs.GET, userPath(user)+qrCodePinPath, nil, &out)
}

// UpdateQRCodeExpiry changes when the standard QR code expires.
func (c *Client) UpdateQRCodeExpiry(ctx context.Context, user string, expire time.Time) error {
	return c.do(ctx, abs.PATCH, userPath(user)+qrCodePinPath+"/standardQRCode", map[string]time.Time{"expireDateTime": expire}, nil)
}

// ResetQRCodePin gives the method a new temporary PIN and returns the PIN
// Graph set, which may be one it made itself.
func (c *Client) ResetQRCodePin(ctx context.Context, user, pin string) (string, error) {
	var out QRPin
	if err := c.do(ctx, abs.PATCH, userPath(user)+qrCodePinPath+"/pin", map[string]string{"code": pin}, &out); err != nil {
		return "", err
	}
	if out.Code == nil {
		return "", nil
	}
	return *out.Code, nil
}

// DeleteQRCodePinMethod deletes the user's method.
func (c *Client) DeleteQRCodePinMethod(ctx context.Context, user string) error {
	return c.do(ctx, abs.DELETE, userPath(user)+qrCodePinPath, nil, nil)
}
