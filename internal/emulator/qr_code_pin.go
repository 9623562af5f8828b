package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"image"
	"image/png"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// A user's QR code + PIN method (graph-behaviour.md#qr-code-pin-methods):
// created whole by PUT with a standard QR code and a PIN, the code's expiry
// changed by PATCH, the PIN reset by PATCH, deleted whole. The QR image
// and the PIN are in the answers to the create and the reset only.

type qrMethod struct {
	id, codeID          string
	start, expire       time.Time
	created, pinUpdated time.Time
	pin                 string
}

// maxQRCodeLifetime is the longest a standard QR code may live.
const maxQRCodeLifetime = 395 * 24 * time.Hour

func (e *Emulator) routeQRCodePin(mux *http.ServeMux) {
	base := "/users/{user}/authentication/qrCodePinMethod"
	mux.HandleFunc("PUT "+base, e.createQRCodePin)
	mux.HandleFunc("GET "+base, e.withQR(func(w http.ResponseWriter, _ *http.Request, _ *User, m *qrMethod) {
		writeJSON(w, http.StatusOK, renderQR(m, nil, false))
	}))
	mux.HandleFunc("DELETE "+base, e.withQR(func(w http.ResponseWriter, _ *http.Request, u *User, _ *qrMethod) {
		delete(e.qrCodes, u.ID)
		w.WriteHeader(http.StatusNoContent)
	}))
	mux.HandleFunc("PATCH "+base+"/standardQRCode", e.withQR(e.patchStandardQRCode))
	mux.HandleFunc("PATCH "+base+"/pin", e.withQR(e.resetQRPin))
}

// withQR resolves the path's user and their method, or writes a 404.
func (e *Emulator) withQR(h func(http.ResponseWriter, *http.Request, *User, *qrMethod)) http.HandlerFunc {
	return withMethod(e, "QR code PIN", func(u *User, _ string) (*qrMethod, time.Time) {
		if m := e.qrCodes[u.ID]; m != nil {
			return m, m.created
		}
		return nil, time.Time{}
	}, h)
}

// renderQR is the method as Graph returns it: image, when given, only in
// the answer to a create; the PIN's code only when withPin.
func renderQR(m *qrMethod, image []byte, withPin bool) map[string]any {
	code := map[string]any{
		"@odata.type": "#microsoft.graph.qrCode", "id": m.codeID,
		"startDateTime": m.start.Format(time.RFC3339), "expireDateTime": m.expire.Format(time.RFC3339),
		"createdDateTime": m.created.Format(time.RFC3339Nano), "lastUsedDateTime": "0001-01-01T00:00:00Z", "image": nil,
	}
	if image != nil {
		code["image"] = map[string]any{
			"@odata.type": "#microsoft.graph.qrCodeImageDetails", "binaryValue": base64.StdEncoding.EncodeToString(image),
			"version": 1, "errorCorrectionLevel": "l", "rawContent": base64.StdEncoding.EncodeToString([]byte(m.codeID)),
		}
	}
	return map[string]any{
		"@odata.type": "#microsoft.graph.qrCodePinAuthenticationMethod", "id": m.id,
		"createdDateTime": m.created.Format(time.RFC3339Nano), "standardQRCode": code, "temporaryQRCode": nil,
		"pin": renderPin(m, withPin),
	}
}

func renderPin(m *qrMethod, withCode bool) map[string]any {
	var code any
	if withCode {
		code = m.pin
	}
	return map[string]any{"@odata.type": "#microsoft.graph.qrPin", "code": code, "forceChangePinNextSignIn": true,
		"createdDateTime": m.pinUpdated.Format(time.RFC3339Nano), "updatedDateTime": m.pinUpdated.Format(time.RFC3339Nano)}
}

// createQRCodePin creates the method: the QR code PIN policy must target the
// user, the user may not have one already, the standard code needs a start
// and an expiry at most 395 days later, and a PIN given must be digits of at
// least the policy's length, up to 20; without one, Graph makes one.
func (e *Emulator) createQRCodePin(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req struct {
		StandardQRCode *struct{ StartDateTime, ExpireDateTime *time.Time }
		Pin            *struct{ Code *string }
	}
	if err := applyFields(body, "qrCodePinAuthenticationMethod", map[string]any{"standardQRCode": &req.StandardQRCode, "pin": &req.Pin}); err != nil {
		badRequest(w, err.Error())
		return
	}
	if req.StandardQRCode == nil || req.StandardQRCode.StartDateTime == nil || req.StandardQRCode.ExpireDateTime == nil {
		badRequest(w, "standardQRCode with startDateTime and expireDateTime is required.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	u := e.enrollee(w, r, "QRCodePin")
	if u == nil {
		return
	}
	// UNCONFIRMED messages below: the reference states the rules only.
	if e.qrCodes[u.ID] != nil {
		badRequest(w, "The user already has a QR code PIN authentication method. Delete it before creating a new one.")
		return
	}
	start, expire := req.StandardQRCode.StartDateTime.UTC(), req.StandardQRCode.ExpireDateTime.UTC()
	if err := checkQRCodeLifetime(start, expire); err != nil {
		badRequest(w, err.Error())
		return
	}
	pin := ""
	if req.Pin != nil && req.Pin.Code != nil {
		pin = *req.Pin.Code
	}
	pin, err := e.qrPin(pin)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	now := e.now()
	m := &qrMethod{id: newID(), codeID: newID(), start: start, expire: expire, created: now, pinUpdated: now, pin: pin}
	img := qrImage()
	e.qrCodes[u.ID] = m
	e.issuedQR = append(e.issuedQR, base64.StdEncoding.EncodeToString(img), pin)
	writeJSON(w, http.StatusCreated, renderQR(m, img, true))
}

func checkQRCodeLifetime(start, expire time.Time) error {
	switch {
	case !expire.After(start):
		return fmt.Errorf("The expireDateTime must be later than the startDateTime.")
	case expire.Sub(start) > maxQRCodeLifetime:
		return fmt.Errorf("The standard QR code lifetime cannot exceed 395 days.")
	}
	return nil
}

// qrPin checks a PIN given, or makes one of the policy's length.
func (e *Emulator) qrPin(pin string) (string, error) {
	length := e.policies.qrCodePin.PinLength
	if pin == "" {
		return randomDigits(length), nil
	}
	if strings.Trim(pin, "0123456789") != "" || len(pin) < length || len(pin) > 20 {
		return "", fmt.Errorf("The PIN must be %d to 20 digits, as the QR code PIN authentication method policy requires.", length)
	}
	return pin, nil
}

// patchStandardQRCode changes the standard code's expiry; its start cannot
// change.
func (e *Emulator) patchStandardQRCode(w http.ResponseWriter, r *http.Request, _ *User, m *qrMethod) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var start, expire *time.Time
	if err := applyFields(body, "qrCode", map[string]any{"startDateTime": &start, "expireDateTime": &expire}); err != nil {
		badRequest(w, err.Error())
		return
	}
	if start != nil && !start.Equal(m.start) {
		badRequest(w, "Only the expireDateTime of a standard QR code can be updated.")
		return
	}
	if expire != nil {
		if err := checkQRCodeLifetime(m.start, expire.UTC()); err != nil {
			badRequest(w, err.Error())
			return
		}
		m.expire = expire.UTC()
	}
	writeJSON(w, http.StatusOK, renderQR(m, nil, false)["standardQRCode"])
}

// resetQRPin gives the method a new temporary PIN: the one sent, or, with
// GeneratedResetPins, one Graph makes whatever was sent (the reference says
// both).
func (e *Emulator) resetQRPin(w http.ResponseWriter, r *http.Request, _ *User, m *qrMethod) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var code *string
	if err := applyFields(body, "qrPin", map[string]any{"code": &code}); err != nil {
		badRequest(w, err.Error())
		return
	}
	pin := ""
	if code != nil && !e.opts.GeneratedResetPins {
		pin = *code
	}
	pin, err := e.qrPin(pin)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	m.pin, m.pinUpdated = pin, e.now()
	e.issuedQR = append(e.issuedQR, pin)
	writeJSON(w, http.StatusCreated, renderPin(m, true))
}

// QRCodePin returns a user's current PIN, as the user handed it would know
// it, for tests that check where it went.
func (e *Emulator) QRCodePin(userID string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if m := e.qrCodes[userID]; m != nil {
		return m.pin
	}
	return ""
}

// IssuedQRCodeSecrets returns every QR image (base64) and PIN the emulator
// has issued, for tests that check none leaked.
func (e *Emulator) IssuedQRCodeSecrets() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.issuedQR...)
}

// qrImage stands in for a QR code image: a PNG of random modules.
func qrImage() []byte {
	const modules = 25
	img := image.NewGray(image.Rect(0, 0, modules, modules))
	for i := range img.Pix {
		if b, _ := rand.Int(rand.Reader, big.NewInt(2)); b.Int64() == 1 {
			img.Pix[i] = 255
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func randomDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		b[i] = byte('0' + d.Int64())
	}
	return string(b)
}
