package graph

import (
	"context"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// The authentication methods policy itself, the root of the method
// configurations: the registration campaign that nudges users to a method,
// and the tenant's migration away from the legacy MFA and SSPR policies.

const methodsPolicyPath = "/policies/authenticationMethodsPolicy"

// MethodsPolicyID is the root policy's id.
const MethodsPolicyID = "authenticationMethodsPolicy"

// CampaignTarget is an include target of the registration campaign:
// TargetedAuthenticationMethod is the method its users are asked to
// register (microsoftAuthenticator, or fido2 where the tenant has it).
type CampaignTarget struct {
	ID                           string `json:"id"`
	TargetType                   string `json:"targetType"`
	TargetedAuthenticationMethod string `json:"targetedAuthenticationMethod"`
}

// RegistrationCampaign is registrationEnforcement's campaign. State is
// default (Microsoft's choice), enabled or disabled.
type RegistrationCampaign struct {
	State                string           `json:"state"`
	SnoozeDurationInDays int64            `json:"snoozeDurationInDays"`
	IncludeTargets       []CampaignTarget `json:"includeTargets"`
	ExcludeTargets       []ExcludeTarget  `json:"excludeTargets"`
}

// MethodsPolicy is the v1.0 part of the authentication methods policy this
// provider manages. PolicyMigrationState is preMigration,
// migrationInProgress or migrationComplete.
type MethodsPolicy struct {
	PolicyMigrationState    string `json:"policyMigrationState"`
	ReconfirmationInDays    int64  `json:"reconfirmationInDays"`
	RegistrationEnforcement struct {
		AuthenticationMethodsRegistrationCampaign RegistrationCampaign `json:"authenticationMethodsRegistrationCampaign"`
	} `json:"registrationEnforcement"`
}

// GetMethodsPolicy reads the authentication methods policy.
func (c *Client) GetMethodsPolicy(ctx context.Context) (*MethodsPolicy, error) {
	var p MethodsPolicy
	return &p, c.do(ctx, abs.GET, methodsPolicyPath, nil, &p)
}

// UpdateMethodsPolicy PATCHes the policy's managed properties that differ
// from those of from, the tenant's (all of them when from is nil).
func (c *Client) UpdateMethodsPolicy(ctx context.Context, p MethodsPolicy, from *MethodsPolicy) error {
	return patchChanged(ctx, c.do, methodsPolicyPath, "", p, from)
}

// ReportSuspiciousActivity lets users report an MFA prompt they did not
// expect (beta). State is default, enabled or disabled.
type ReportSuspiciousActivity struct {
	State              string        `json:"state"`
	IncludeTarget      FeatureTarget `json:"includeTarget"`
	VoiceReportingCode int64         `json:"voiceReportingCode"`
}

// SystemCredentialPreferences makes the system-preferred method be asked
// for first (beta). State is default, enabled or disabled.
type SystemCredentialPreferences struct {
	State          string          `json:"state"`
	IncludeTargets []FeatureTarget `json:"includeTargets"`
	ExcludeTargets []FeatureTarget `json:"excludeTargets"`
}

// MethodsPolicyBeta is the part of the authentication methods policy that
// only Graph beta has.
type MethodsPolicyBeta struct {
	ReportSuspiciousActivitySettings ReportSuspiciousActivity    `json:"reportSuspiciousActivitySettings"`
	SystemCredentialPreferences      SystemCredentialPreferences `json:"systemCredentialPreferences"`
}

// GetMethodsPolicyBeta reads the policy's beta part.
func (c *Client) GetMethodsPolicyBeta(ctx context.Context) (*MethodsPolicyBeta, error) {
	var p MethodsPolicyBeta
	return &p, c.doBeta(ctx, abs.GET, methodsPolicyPath, nil, &p)
}

// UpdateMethodsPolicyBeta PATCHes the policy's beta part, through beta: the
// properties that differ from those of from (all of them when from is nil).
func (c *Client) UpdateMethodsPolicyBeta(ctx context.Context, p MethodsPolicyBeta, from *MethodsPolicyBeta) error {
	return patchChanged(ctx, c.doBeta, methodsPolicyPath, "", p, from)
}
