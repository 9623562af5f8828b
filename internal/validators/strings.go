package validators

import (
	"context"
	"fmt"
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
