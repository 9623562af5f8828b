package graph

import (
	"context"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// The text message (SMS) and voice call method configurations: phone-based
// methods a passwordless rollout turns off or narrows.

// Configuration ids of the phone methods.
const (
	SmsID   = "Sms"
	VoiceID = "Voice"
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
	var p SmsPolicy
	return &p, c.do(ctx, abs.GET, configurationsPath+SmsID, nil, &p)
}

// UpdateSmsPolicy PATCHes the whole SMS configuration.
func (c *Client) UpdateSmsPolicy(ctx context.Context, p SmsPolicy) error {
	return c.patchConfiguration(ctx, SmsID, "#microsoft.graph.smsAuthenticationMethodConfiguration", p)
}

// GetVoicePolicy reads the voice method configuration.
func (c *Client) GetVoicePolicy(ctx context.Context) (*VoicePolicy, error) {
	var p VoicePolicy
	return &p, c.do(ctx, abs.GET, configurationsPath+VoiceID, nil, &p)
}

// UpdateVoicePolicy PATCHes the whole voice configuration.
func (c *Client) UpdateVoicePolicy(ctx context.Context, p VoicePolicy) error {
	return c.patchConfiguration(ctx, VoiceID, "#microsoft.graph.voiceAuthenticationMethodConfiguration", p)
}
