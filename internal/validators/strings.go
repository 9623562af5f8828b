package validators

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

type funcValidator struct {
	desc  string
	check func(string) error
}

func (v funcValidator) Description(context.Context) string             { return v.desc }
func (v funcValidator) MarkdownDescription(ctx context.Context) string { return v.desc }

func (v funcValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value", err.Error())
	}
}

// RFC3339 accepts a timestamp such as 2030-01-01T08:00:00Z.
func RFC3339() validator.String {
	return funcValidator{desc: "must be an RFC 3339 timestamp", check: func(s string) error {
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return fmt.Errorf("%q is not an RFC 3339 timestamp such as 2030-01-01T08:00:00Z", s)
		}
		return nil
	}}
}

// NotBlank refuses an empty or all-space string.
func NotBlank() validator.String {
	return funcValidator{desc: "must not be empty", check: func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("the value must not be empty")
		}
		return nil
	}}
}

// Duration accepts a positive Go duration such as 90s or 2m.
func Duration() validator.String { return DurationAtMost(0, "") }

// DurationAtMost accepts a positive Go duration of at most max (no bound
// when max is zero); why says what the bound is.
func DurationAtMost(max time.Duration, why string) validator.String {
	return funcValidator{desc: "must be a positive duration such as 90s or 2m", check: func(s string) error {
		d, err := time.ParseDuration(s)
		switch {
		case err != nil || d <= 0:
			return fmt.Errorf("%q is not a positive duration such as 90s or 2m", s)
		case max > 0 && d > max:
			return fmt.Errorf("%q is longer than %s: %s", s, max, why)
		}
		return nil
	}}
}

// authenticationModes are the methods an authentication strength's
// combination is made of.
var authenticationModes = []string{"password", "voice", "hardwareOath", "softwareOath", "sms", "fido2", "windowsHelloForBusiness",
	"microsoftAuthenticatorPush", "deviceBasedPush", "temporaryAccessPassOneTime", "temporaryAccessPassMultiUse", "email",
	"x509CertificateSingleFactor", "x509CertificateMultiFactor", "federatedSingleFactor", "federatedMultiFactor", "qrCodePin"}

// Combination checks an authentication strength's combination: methods
// joined by commas, such as "password,microsoftAuthenticatorPush".
func Combination() validator.String {
	return funcValidator{desc: "must be methods joined by commas, such as password,microsoftAuthenticatorPush", check: func(s string) error {
		for _, mode := range strings.Split(s, ",") {
			if !slices.Contains(authenticationModes, mode) {
				return fmt.Errorf("%q in %q is not an authentication method: expected one of %s", mode, s, strings.Join(authenticationModes, ", "))
			}
		}
		return nil
	}}
}

// phoneNumberRE is Graph's phone number form: +{country code} {number},
// optionally x{extension}.
var phoneNumberRE = regexp.MustCompile(`^\+[0-9]{1,3} [0-9]{4,15}(x[0-9]{1,10})?$`)

// PhoneNumber accepts a number as Graph takes it, such as "+1 2065550100"
// or "+1 2065550100x123".
func PhoneNumber() validator.String {
	return funcValidator{desc: `must be "+{country code} {number}", optionally followed by "x{extension}"`, check: func(s string) error {
		if !phoneNumberRE.MatchString(s) {
			return fmt.Errorf(`%q is not a phone number as Graph takes it: "+{country code} {number}" with one space and digits only, `+
				`optionally followed by "x{extension}", such as "+1 2065550100" or "+1 2065550100x123"`, s)
		}
		return nil
	}}
}

// EmailAddress accepts a plain address, such as "adele@fabrikam.example".
func EmailAddress() validator.String {
	return funcValidator{desc: "must be an email address", check: func(s string) error {
		a, err := mail.ParseAddress(s)
		if err != nil || a.Address != s || a.Name != "" {
			return fmt.Errorf("%q is not a plain email address such as adele@fabrikam.example", s)
		}
		if _, domain, _ := strings.Cut(s, "@"); !strings.Contains(domain, ".") {
			return fmt.Errorf("%q has no domain such as fabrikam.example after the @", s)
		}
		return nil
	}}
}

// SecretDigits accepts min to max digits, such as a PIN, and never repeats
// the value in its error: it is a secret.
func SecretDigits(min, max int) validator.String {
	desc := fmt.Sprintf("must be %d to %d digits", min, max)
	return funcValidator{desc: desc, check: func(s string) error {
		if len(s) < min || len(s) > max || strings.Trim(s, "0123456789") != "" {
			return fmt.Errorf("the value %s (it has %d characters; the value itself is not shown)", desc, len(s))
		}
		return nil
	}}
}
