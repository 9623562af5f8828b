package graph

import (
	"context"
	"net/url"
	"reflect"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// Method configurations beside the TAP and FIDO2 ones: text message (SMS)
// and voice call, which a passwordless rollout turns off or narrows; email
// one-time passcodes; software OATH tokens.

// Configuration ids.
const (
	SmsID          = "Sms"
	VoiceID        = "Voice"
	EmailID        = "Email"
	SoftwareOathID = "SoftwareOath"
	QRCodePinID    = "QRCodePin"
	// HardwareOathID is a configuration of Graph beta only.
	HardwareOathID = "HardwareOath"
)

// SmsTarget is an include target of the SMS policy: IsUsableForSignIn lets
// its users sign in with a text message code instead of a password.
type SmsTarget struct {
	ID                     string `json:"id"`
	TargetType             string `json:"targetType"`
	IsRegistrationRequired bool   `json:"isRegistrationRequired"`
	IsUsableForSignIn      bool   `json:"isUsableForSignIn"`
}

// SmsPolicy is the Sms method configuration.
type SmsPolicy struct {
	State          string          `json:"state"`
	IncludeTargets []SmsTarget     `json:"includeTargets"`
	ExcludeTargets []ExcludeTarget `json:"excludeTargets"`
}

// VoicePolicy is the Voice method configuration.
type VoicePolicy struct {
	State                string          `json:"state"`
	IsOfficePhoneAllowed bool            `json:"isOfficePhoneAllowed"`
	IncludeTargets       []Target        `json:"includeTargets"`
	ExcludeTargets       []ExcludeTarget `json:"excludeTargets"`
}

// DefaultSmsPolicy is the SMS configuration after a reset: Graph's reference
// shows it enabled for every user, sign-in included.
func DefaultSmsPolicy() SmsPolicy {
	return SmsPolicy{State: "enabled", IncludeTargets: []SmsTarget{{ID: "all_users", TargetType: "group", IsUsableForSignIn: true}}, ExcludeTargets: []ExcludeTarget{}}
}

// DefaultVoicePolicy is the voice configuration after a reset: disabled,
// office phones not allowed, targeting every user.
func DefaultVoicePolicy() VoicePolicy {
	return VoicePolicy{State: "disabled", IncludeTargets: []Target{{ID: "all_users", TargetType: "group"}}, ExcludeTargets: []ExcludeTarget{}}
}

// GetSmsPolicy reads the SMS method configuration.
func (c *Client) GetSmsPolicy(ctx context.Context) (*SmsPolicy, error) {
	return getConfiguration[SmsPolicy](ctx, c, SmsID)
}

// UpdateSmsPolicy PATCHes the SMS configuration: the
// properties of p that differ from those of from, the tenant's (all of p
// when from is nil).
func (c *Client) UpdateSmsPolicy(ctx context.Context, p SmsPolicy, from *SmsPolicy) error {
	return patchChanged(ctx, c.do, configurationsPath+SmsID, "#microsoft.graph.smsAuthenticationMethodConfiguration", p, from)
}

// GetVoicePolicy reads the voice method configuration.
func (c *Client) GetVoicePolicy(ctx context.Context) (*VoicePolicy, error) {
	return getConfiguration[VoicePolicy](ctx, c, VoiceID)
}

// UpdateVoicePolicy PATCHes the voice configuration: the
// properties of p that differ from those of from, the tenant's (all of p
// when from is nil).
func (c *Client) UpdateVoicePolicy(ctx context.Context, p VoicePolicy, from *VoicePolicy) error {
	return patchChanged(ctx, c.do, configurationsPath+VoiceID, "#microsoft.graph.voiceAuthenticationMethodConfiguration", p, from)
}

// EmailPolicy is the Email (one-time passcode) method configuration.
// AllowExternalIDToUseEmailOtp is default, enabled or disabled.
type EmailPolicy struct {
	State                        string          `json:"state"`
	AllowExternalIDToUseEmailOtp string          `json:"allowExternalIdToUseEmailOtp"`
	IncludeTargets               []Target        `json:"includeTargets"`
	ExcludeTargets               []ExcludeTarget `json:"excludeTargets"`
}

// TargetsPolicy is a method configuration of a state and targets only: the
// software OATH (v1.0) and hardware OATH (beta) configurations.
type TargetsPolicy struct {
	State          string          `json:"state"`
	IncludeTargets []Target        `json:"includeTargets"`
	ExcludeTargets []ExcludeTarget `json:"excludeTargets"`
}

// DefaultEmailPolicy is the email configuration after a reset, as Graph's
// reference shows it: enabled, external users per Microsoft's default, and
// no include targets.
func DefaultEmailPolicy() EmailPolicy {
	return EmailPolicy{State: "enabled", AllowExternalIDToUseEmailOtp: "default", IncludeTargets: []Target{}, ExcludeTargets: []ExcludeTarget{}}
}

// DefaultSoftwareOathPolicy is the software OATH configuration after a
// reset, as Graph's reference shows it: enabled for every user.
func DefaultSoftwareOathPolicy() TargetsPolicy {
	return TargetsPolicy{State: "enabled", IncludeTargets: []Target{{ID: "all_users", TargetType: "group"}}, ExcludeTargets: []ExcludeTarget{}}
}

// GetEmailPolicy reads the email method configuration.
func (c *Client) GetEmailPolicy(ctx context.Context) (*EmailPolicy, error) {
	return getConfiguration[EmailPolicy](ctx, c, EmailID)
}

// UpdateEmailPolicy PATCHes the email configuration: the
// properties of p that differ from those of from, the tenant's (all of p
// when from is nil).
func (c *Client) UpdateEmailPolicy(ctx context.Context, p EmailPolicy, from *EmailPolicy) error {
	return patchChanged(ctx, c.do, configurationsPath+EmailID, "#microsoft.graph.emailAuthenticationMethodConfiguration", p, from)
}

// GetSoftwareOathPolicy reads the software OATH method configuration.
func (c *Client) GetSoftwareOathPolicy(ctx context.Context) (*TargetsPolicy, error) {
	return getConfiguration[TargetsPolicy](ctx, c, SoftwareOathID)
}

// UpdateSoftwareOathPolicy PATCHes the software OATH configuration: the
// properties of p that differ from those of from, the tenant's (all of p
// when from is nil).
func (c *Client) UpdateSoftwareOathPolicy(ctx context.Context, p TargetsPolicy, from *TargetsPolicy) error {
	return patchChanged(ctx, c.do, configurationsPath+SoftwareOathID, "#microsoft.graph.softwareOathAuthenticationMethodConfiguration", p, from)
}

// MicrosoftAuthenticatorID is the Microsoft Authenticator configuration's id.
const MicrosoftAuthenticatorID = "MicrosoftAuthenticator"

// AuthenticatorTarget is an include target of the Microsoft Authenticator
// policy: AuthenticationMode is any, push or deviceBasedPush (passwordless
// phone sign-in only).
type AuthenticatorTarget struct {
	ID                     string `json:"id"`
	TargetType             string `json:"targetType"`
	IsRegistrationRequired bool   `json:"isRegistrationRequired"`
	AuthenticationMode     string `json:"authenticationMode"`
}

// FeatureTarget is who a Microsoft Authenticator feature applies to; Graph
// writes "no exclusion" as the all-zero id.
type FeatureTarget struct {
	ID         string `json:"id"`
	TargetType string `json:"targetType"`
}

// NoFeatureTarget is the all-zero id Graph gives an unset feature exclusion.
const NoFeatureTarget = "00000000-0000-0000-0000-000000000000"

// FeatureConfiguration is one Microsoft Authenticator feature: State is
// default (Microsoft's choice), enabled or disabled.
type FeatureConfiguration struct {
	State         string        `json:"state"`
	IncludeTarget FeatureTarget `json:"includeTarget"`
	ExcludeTarget FeatureTarget `json:"excludeTarget"`
}

// AuthenticatorFeatureSettings are the Microsoft Authenticator features of
// Graph v1.0: the app's name and the sign-in's location in notifications.
type AuthenticatorFeatureSettings struct {
	DisplayAppInformationRequiredState      FeatureConfiguration `json:"displayAppInformationRequiredState"`
	DisplayLocationInformationRequiredState FeatureConfiguration `json:"displayLocationInformationRequiredState"`
}

// MicrosoftAuthenticatorPolicy is the Microsoft Authenticator method
// configuration.
type MicrosoftAuthenticatorPolicy struct {
	State                 string                       `json:"state"`
	IsSoftwareOathEnabled bool                         `json:"isSoftwareOathEnabled"`
	FeatureSettings       AuthenticatorFeatureSettings `json:"featureSettings"`
	IncludeTargets        []AuthenticatorTarget        `json:"includeTargets"`
	ExcludeTargets        []ExcludeTarget              `json:"excludeTargets"`
}

// DefaultMicrosoftAuthenticatorPolicy is the configuration after a reset, as
// Graph's reference shows it: disabled, any mode for every user, features
// left to Microsoft's default.
func DefaultMicrosoftAuthenticatorPolicy() MicrosoftAuthenticatorPolicy {
	feature := FeatureConfiguration{State: "default", IncludeTarget: FeatureTarget{ID: "all_users", TargetType: "group"},
		ExcludeTarget: FeatureTarget{ID: NoFeatureTarget, TargetType: "group"}}
	return MicrosoftAuthenticatorPolicy{State: "disabled",
		FeatureSettings: AuthenticatorFeatureSettings{DisplayAppInformationRequiredState: feature, DisplayLocationInformationRequiredState: feature},
		IncludeTargets:  []AuthenticatorTarget{{ID: "all_users", TargetType: "group", AuthenticationMode: "any"}}, ExcludeTargets: []ExcludeTarget{}}
}

// AuthenticatorBetaFeatures are the Microsoft Authenticator features of
// Graph beta only: number matching and the companion app (Authenticator
// Lite in Outlook).
type AuthenticatorBetaFeatures struct {
	NumberMatchingRequiredState FeatureConfiguration `json:"numberMatchingRequiredState"`
	CompanionAppAllowedState    FeatureConfiguration `json:"companionAppAllowedState"`
}

// GetAuthenticatorBetaFeatures reads the Authenticator features of beta.
func (c *Client) GetAuthenticatorBetaFeatures(ctx context.Context) (*AuthenticatorBetaFeatures, error) {
	var p struct {
		FeatureSettings AuthenticatorBetaFeatures `json:"featureSettings"`
	}
	if err := c.doBeta(ctx, abs.GET, configurationsPath+MicrosoftAuthenticatorID, nil, &p); err != nil {
		return nil, err
	}
	return &p.FeatureSettings, nil
}

// UpdateAuthenticatorBetaFeatures PATCHes the beta features through beta,
// with the v1.0 features of p, since a PATCH replaces featureSettings whole;
// nothing when neither differs from from and fromBeta, the tenant's.
func (c *Client) UpdateAuthenticatorBetaFeatures(ctx context.Context, p MicrosoftAuthenticatorPolicy, beta AuthenticatorBetaFeatures,
	from *MicrosoftAuthenticatorPolicy, fromBeta *AuthenticatorBetaFeatures) error {
	if from != nil && fromBeta != nil && reflect.DeepEqual(p.FeatureSettings, from.FeatureSettings) && reflect.DeepEqual(beta, *fromBeta) {
		return nil
	}
	body := map[string]any{"@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
		"featureSettings": map[string]any{
			"displayAppInformationRequiredState":      p.FeatureSettings.DisplayAppInformationRequiredState,
			"displayLocationInformationRequiredState": p.FeatureSettings.DisplayLocationInformationRequiredState,
			"numberMatchingRequiredState":             beta.NumberMatchingRequiredState,
			"companionAppAllowedState":                beta.CompanionAppAllowedState,
		}}
	return c.doBeta(ctx, abs.PATCH, configurationsPath+MicrosoftAuthenticatorID, body, nil)
}

// GetMicrosoftAuthenticatorPolicy reads the Microsoft Authenticator method
// configuration.
func (c *Client) GetMicrosoftAuthenticatorPolicy(ctx context.Context) (*MicrosoftAuthenticatorPolicy, error) {
	return getConfiguration[MicrosoftAuthenticatorPolicy](ctx, c, MicrosoftAuthenticatorID)
}

// UpdateMicrosoftAuthenticatorPolicy PATCHes the Microsoft Authenticator configuration: the
// properties of p that differ from those of from, the tenant's (all of p
// when from is nil).
func (c *Client) UpdateMicrosoftAuthenticatorPolicy(ctx context.Context, p MicrosoftAuthenticatorPolicy, from *MicrosoftAuthenticatorPolicy) error {
	return patchChanged(ctx, c.do, configurationsPath+MicrosoftAuthenticatorID, "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", p, from)
}

// QRCodePinPolicy is the QR code + PIN method configuration, for frontline
// workers: PinLength 8 to 20 digits, StandardQRCodeLifetimeInDays 1 to 395.
type QRCodePinPolicy struct {
	State                        string          `json:"state"`
	PinLength                    int64           `json:"pinLength"`
	StandardQRCodeLifetimeInDays int64           `json:"standardQRCodeLifetimeInDays"`
	IncludeTargets               []Target        `json:"includeTargets"`
	ExcludeTargets               []ExcludeTarget `json:"excludeTargets"`
}

// DefaultQRCodePinPolicy is the configuration after a reset: disabled,
// 8-digit PINs, codes valid for 365 days (the reference's defaults).
func DefaultQRCodePinPolicy() QRCodePinPolicy {
	return QRCodePinPolicy{State: "disabled", PinLength: 8, StandardQRCodeLifetimeInDays: 365,
		IncludeTargets: []Target{{ID: "all_users", TargetType: "group"}}, ExcludeTargets: []ExcludeTarget{}}
}

// GetQRCodePinPolicy reads the QR code + PIN method configuration.
func (c *Client) GetQRCodePinPolicy(ctx context.Context) (*QRCodePinPolicy, error) {
	return getConfiguration[QRCodePinPolicy](ctx, c, QRCodePinID)
}

// UpdateQRCodePinPolicy PATCHes the QR code + PIN configuration: the
// properties of p that differ from those of from, the tenant's (all of p
// when from is nil).
func (c *Client) UpdateQRCodePinPolicy(ctx context.Context, p QRCodePinPolicy, from *QRCodePinPolicy) error {
	return patchChanged(ctx, c.do, configurationsPath+QRCodePinID, "#microsoft.graph.qrCodePinAuthenticationMethodConfiguration", p, from)
}

// DefaultHardwareOathPolicy is the configuration after a reset: disabled,
// for every user.
func DefaultHardwareOathPolicy() TargetsPolicy {
	return TargetsPolicy{State: "disabled", IncludeTargets: []Target{{ID: "all_users", TargetType: "group"}}, ExcludeTargets: []ExcludeTarget{}}
}

// GetHardwareOathPolicy reads the hardware OATH configuration, through beta.
func (c *Client) GetHardwareOathPolicy(ctx context.Context) (*TargetsPolicy, error) {
	var p TargetsPolicy
	return &p, c.doBeta(ctx, abs.GET, configurationsPath+HardwareOathID, nil, &p)
}

// UpdateHardwareOathPolicy PATCHes the hardware OATH configuration, through
// beta: the properties of p that differ from those of from, the tenant's
// (all of p when from is nil).
func (c *Client) UpdateHardwareOathPolicy(ctx context.Context, p TargetsPolicy, from *TargetsPolicy) error {
	return patchChanged(ctx, c.doBeta, configurationsPath+HardwareOathID, "#microsoft.graph.hardwareOathAuthenticationMethodConfiguration", p, from)
}

// ResetPolicyBeta is ResetPolicy for a configuration of Graph beta.
func (c *Client) ResetPolicyBeta(ctx context.Context, id string) error {
	return c.doBeta(ctx, abs.DELETE, configurationsPath+url.PathEscape(id), nil, nil)
}

const externalMethodType = "#microsoft.graph.externalAuthenticationMethodConfiguration"

// OpenIDConnectSetting is how Entra reaches an external MFA provider.
type OpenIDConnectSetting struct {
	ClientID     string `json:"clientId"`
	DiscoveryURL string `json:"discoveryUrl"`
}

// ExternalMethod is an external authentication method (external MFA): unlike
// the built-in methods it is created and deleted, and Graph gives its id.
type ExternalMethod struct {
	ID                   string               `json:"id,omitempty"`
	DisplayName          string               `json:"displayName"`
	AppID                string               `json:"appId"`
	OpenIDConnectSetting OpenIDConnectSetting `json:"openIdConnectSetting"`
	State                string               `json:"state"`
	IncludeTargets       []Target             `json:"includeTargets"`
	ExcludeTargets       []ExcludeTarget      `json:"excludeTargets"`
}

// CreateExternalMethod creates an external authentication method.
func (c *Client) CreateExternalMethod(ctx context.Context, m ExternalMethod) (*ExternalMethod, error) {
	body, err := jsonObject(m)
	if err != nil {
		return nil, err
	}
	body["@odata.type"] = externalMethodType
	var created ExternalMethod
	if err := c.do(ctx, abs.POST, strings.TrimSuffix(configurationsPath, "/"), body, &created); err != nil {
		return nil, err
	}
	return &created, nil
}

// GetExternalMethod reads an external authentication method.
func (c *Client) GetExternalMethod(ctx context.Context, id string) (*ExternalMethod, error) {
	var m ExternalMethod
	return &m, c.do(ctx, abs.GET, configurationsPath+url.PathEscape(id), nil, &m)
}

// UpdateExternalMethod PATCHes an external authentication method: the
// properties of m that differ from those of from (all of m when from is nil).
func (c *Client) UpdateExternalMethod(ctx context.Context, id string, m ExternalMethod, from *ExternalMethod) error {
	m.ID = ""
	if from != nil {
		f := *from
		f.ID = ""
		from = &f
	}
	return patchChanged(ctx, c.do, configurationsPath+url.PathEscape(id), externalMethodType, m, from)
}

// DeleteExternalMethod deletes an external authentication method: unlike a
// built-in method's configuration, it goes.
func (c *Client) DeleteExternalMethod(ctx context.Context, id string) error {
	return c.do(ctx, abs.DELETE, configurationsPath+url.PathEscape(id), nil, nil)
}

// FindExternalMethod finds the external authentication method of an app
// registration among the policy's configurations; nil if there is none.
func (c *Client) FindExternalMethod(ctx context.Context, appID string) (*ExternalMethod, error) {
	var p struct {
		Configurations []struct {
			ODataType string `json:"@odata.type"`
			ExternalMethod
		} `json:"authenticationMethodConfigurations"`
	}
	if err := c.do(ctx, abs.GET, methodsPolicyPath, nil, &p); err != nil {
		return nil, err
	}
	for _, m := range p.Configurations {
		if m.ODataType == externalMethodType && strings.EqualFold(m.AppID, appID) {
			return &m.ExternalMethod, nil
		}
	}
	return nil, nil
}

// X509CertificateID is the certificate-based authentication configuration.
const X509CertificateID = "X509Certificate"

// CertificateUserBinding maps a certificate field to a user property, in
// priority order; TrustAffinityLevel is low or high.
type CertificateUserBinding struct {
	X509CertificateField string `json:"x509CertificateField"`
	UserProperty         string `json:"userProperty"`
	Priority             int64  `json:"priority"`
	TrustAffinityLevel   string `json:"trustAffinityLevel"`
}

// CertificateRule makes certificates of an issuer or policy single- or
// multi-factor.
type CertificateRule struct {
	X509CertificateRuleType              string `json:"x509CertificateRuleType"`
	Identifier                           string `json:"identifier"`
	X509CertificateAuthenticationMode    string `json:"x509CertificateAuthenticationMode"`
	X509CertificateRequiredAffinityLevel string `json:"x509CertificateRequiredAffinityLevel"`
}

// CertificateAuthenticationModes are the default mode and its exceptions.
type CertificateAuthenticationModes struct {
	X509CertificateAuthenticationDefaultMode    string            `json:"x509CertificateAuthenticationDefaultMode"`
	X509CertificateDefaultRequiredAffinityLevel string            `json:"x509CertificateDefaultRequiredAffinityLevel"`
	Rules                                       []CertificateRule `json:"rules"`
}

// X509CertificatePolicy is the certificate-based authentication method
// configuration.
type X509CertificatePolicy struct {
	State                           string                         `json:"state"`
	CertificateUserBindings         []CertificateUserBinding       `json:"certificateUserBindings"`
	AuthenticationModeConfiguration CertificateAuthenticationModes `json:"authenticationModeConfiguration"`
	IncludeTargets                  []Target                       `json:"includeTargets"`
	ExcludeTargets                  []ExcludeTarget                `json:"excludeTargets"`
}

// DefaultX509CertificatePolicy is the configuration after a reset: off,
// Microsoft's default bindings (principal name and RFC 822 name to the user
// principal name, the subject key identifier to certificate user ids),
// single-factor.
func DefaultX509CertificatePolicy() X509CertificatePolicy {
	return X509CertificatePolicy{State: "disabled",
		CertificateUserBindings: []CertificateUserBinding{
			{X509CertificateField: "PrincipalName", UserProperty: "userPrincipalName", Priority: 1, TrustAffinityLevel: "low"},
			{X509CertificateField: "RFC822Name", UserProperty: "userPrincipalName", Priority: 2, TrustAffinityLevel: "low"},
			{X509CertificateField: "SubjectKeyIdentifier", UserProperty: "certificateUserIds", Priority: 3, TrustAffinityLevel: "high"},
		},
		AuthenticationModeConfiguration: CertificateAuthenticationModes{X509CertificateAuthenticationDefaultMode: "x509CertificateSingleFactor",
			X509CertificateDefaultRequiredAffinityLevel: "low", Rules: []CertificateRule{}},
		IncludeTargets: []Target{{ID: "all_users", TargetType: "group"}}, ExcludeTargets: []ExcludeTarget{}}
}

// GetX509CertificatePolicy reads the certificate-based authentication
// configuration.
func (c *Client) GetX509CertificatePolicy(ctx context.Context) (*X509CertificatePolicy, error) {
	return getConfiguration[X509CertificatePolicy](ctx, c, X509CertificateID)
}

// UpdateX509CertificatePolicy PATCHes the certificate-based authentication configuration: the
// properties of p that differ from those of from, the tenant's (all of p
// when from is nil).
func (c *Client) UpdateX509CertificatePolicy(ctx context.Context, p X509CertificatePolicy, from *X509CertificatePolicy) error {
	return patchChanged(ctx, c.do, configurationsPath+X509CertificateID, "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration", p, from)
}
