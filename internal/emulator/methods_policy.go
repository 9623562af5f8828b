package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// The authentication methods policy, the root of the method configurations
// (graph-behaviour.md#the-authentication-methods-policy): GET answers it with
// every configuration inline; PATCH changes the properties it sends and
// answers 200 with the whole policy.

const methodsPolicyType = "#microsoft.graph.authenticationMethodsPolicy"

type campaignTarget struct {
	ID                           string `json:"id"`
	TargetType                   string `json:"targetType"`
	TargetedAuthenticationMethod string `json:"targetedAuthenticationMethod"`
}

type registrationCampaign struct {
	SnoozeDurationInDays int              `json:"snoozeDurationInDays"`
	State                string           `json:"state"`
	IncludeTargets       []campaignTarget `json:"includeTargets"`
	ExcludeTargets       []excludeTarget  `json:"excludeTargets"`
}

type methodsPolicy struct {
	PolicyMigrationState    string `json:"policyMigrationState"`
	ReconfirmationInDays    int    `json:"reconfirmationInDays"`
	RegistrationEnforcement struct {
		AuthenticationMethodsRegistrationCampaign registrationCampaign `json:"authenticationMethodsRegistrationCampaign"`
	} `json:"registrationEnforcement"`
}

// methodsPolicyBeta is what only Graph beta has of the policy: it appears,
// and may be written, only through /beta.
type methodsPolicyBeta struct {
	ReportSuspiciousActivitySettings struct {
		State              string        `json:"state"`
		IncludeTarget      featureTarget `json:"includeTarget"`
		VoiceReportingCode int           `json:"voiceReportingCode"`
	} `json:"reportSuspiciousActivitySettings"`
	SystemCredentialPreferences struct {
		State          string          `json:"state"`
		IncludeTargets []featureTarget `json:"includeTargets"`
		ExcludeTargets []featureTarget `json:"excludeTargets"`
	} `json:"systemCredentialPreferences"`
}

func defaultMethodsPolicyBeta() methodsPolicyBeta {
	var b methodsPolicyBeta
	b.ReportSuspiciousActivitySettings.State = "default"
	b.ReportSuspiciousActivitySettings.IncludeTarget = featureTarget{ID: "all_users", TargetType: "group"}
	b.SystemCredentialPreferences.State = "default"
	b.SystemCredentialPreferences.IncludeTargets = []featureTarget{{ID: "all_users", TargetType: "group"}}
	b.SystemCredentialPreferences.ExcludeTargets = []featureTarget{}
	return b
}

// defaultMethodsPolicy is Graph's reference example of a fresh tenant.
func defaultMethodsPolicy() methodsPolicy {
	var p methodsPolicy
	p.PolicyMigrationState = "preMigration"
	p.RegistrationEnforcement.AuthenticationMethodsRegistrationCampaign = registrationCampaign{SnoozeDurationInDays: 1, State: "default",
		IncludeTargets: []campaignTarget{{ID: "all_users", TargetType: "group", TargetedAuthenticationMethod: "microsoftAuthenticator"}}, ExcludeTargets: []excludeTarget{}}
	return p
}

// campaignMethods are the methods a campaign may target: Microsoft extended
// the campaign to passkeys (fido2) in 2026; Options.CampaignWithoutFido2
// plays a tenant that still refuses them.
func (e *Emulator) campaignMethods() []string {
	if e.opts.CampaignWithoutFido2 {
		return []string{"microsoftAuthenticator"}
	}
	return []string{"microsoftAuthenticator", "fido2"}
}

func (e *Emulator) renderMethodsPolicy(beta bool) map[string]any {
	raw, _ := json.Marshal(e.policies.root)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	if beta {
		raw, _ = json.Marshal(e.policies.rootBeta)
		_ = json.Unmarshal(raw, &out)
	}
	out["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/$entity"
	out["@odata.type"] = methodsPolicyType
	out["id"] = "authenticationMethodsPolicy"
	out["displayName"] = "Authentication Methods Policy"
	out["policyVersion"] = "1.5"
	ids := make([]string, 0)
	for id, c := range e.policies.configurations() {
		if !c.beta || beta {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	configs := make([]any, 0, len(ids))
	all := e.policies.configurations()
	for _, id := range ids {
		body := e.policies.render(id)
		if !beta && len(all[id].betaProperties) > 0 {
			body = withoutBetaFeatures(body, all[id].betaProperties)
		}
		configs = append(configs, body)
	}
	out["authenticationMethodConfigurations"] = configs
	return out
}

func (e *Emulator) getMethodsPolicy(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	writeJSON(w, http.StatusOK, e.renderMethodsPolicy(isBeta(r)))
}

// isBeta reports whether a request came through Graph beta.
func isBeta(r *http.Request) bool { return r.Header.Get(betaHeader) != "" }

func (e *Emulator) patchMethodsPolicy(w http.ResponseWriter, r *http.Request) {
	var body map[string]json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		badRequest(w, "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return
	}
	delete(body, "@odata.type")
	e.mu.Lock()
	defer e.mu.Unlock()
	p, b := e.policies.root, e.policies.rootBeta
	fields := map[string]any{
		"policyMigrationState": &p.PolicyMigrationState, "reconfirmationInDays": &p.ReconfirmationInDays, "registrationEnforcement": &p.RegistrationEnforcement,
	}
	if isBeta(r) {
		fields["reportSuspiciousActivitySettings"] = &b.ReportSuspiciousActivitySettings
		fields["systemCredentialPreferences"] = &b.SystemCredentialPreferences
	}
	if err := applyFields(body, "authenticationMethodsPolicy", fields); err != nil {
		badRequest(w, err.Error())
		return
	}
	if err := e.validateMethodsPolicy(&p); err != nil {
		badRequest(w, err.Error())
		return
	}
	if err := validateMethodsPolicyBeta(&b); err != nil {
		badRequest(w, err.Error())
		return
	}
	e.policies.root, e.policies.rootBeta = p, b
	writeJSON(w, http.StatusOK, e.renderMethodsPolicy(isBeta(r)))
}

// validateMethodsPolicy applies the documented ranges: snooze 0 to 14 days,
// the campaign's and the migration's enums; a migration once complete is
// not undone (UNCONFIRMED in the reference; third-party tools describe it so).
func (e *Emulator) validateMethodsPolicy(p *methodsPolicy) error {
	switch p.PolicyMigrationState {
	case "preMigration", "migrationInProgress", "migrationComplete":
	default:
		return fmt.Errorf("Requested value '%s' was not found in enum 'authenticationMethodsPolicyMigrationState'.", p.PolicyMigrationState)
	}
	if e.policies.root.PolicyMigrationState == "migrationComplete" && p.PolicyMigrationState != "migrationComplete" {
		return fmt.Errorf("The policy migration is complete and cannot be reverted.")
	}
	if p.ReconfirmationInDays < 0 {
		return fmt.Errorf("Invalid ReconfirmationInDays specified.")
	}
	c := p.RegistrationEnforcement.AuthenticationMethodsRegistrationCampaign
	switch c.State {
	case "default", "enabled", "disabled":
	default:
		return fmt.Errorf("Requested value '%s' was not found in enum 'advancedConfigState'.", c.State)
	}
	if c.SnoozeDurationInDays < 0 || c.SnoozeDurationInDays > 14 {
		return fmt.Errorf("Invalid SnoozeDurationInDays specified. The valid range is between 0 and 14.")
	}
	include := make([]target, len(c.IncludeTargets))
	for i, t := range c.IncludeTargets {
		// Graph's reference spells the passkey value "Fido2" in one place and
		// lists "fido2" in another: an enum member is matched in any case,
		// and Options.CampaignFido2Spelling says how Graph answers it.
		j := slices.IndexFunc(e.campaignMethods(), func(m string) bool { return strings.EqualFold(m, t.TargetedAuthenticationMethod) })
		if j < 0 {
			return fmt.Errorf("The targetedAuthenticationMethod '%s' is not supported for the registration campaign.", t.TargetedAuthenticationMethod)
		}
		c.IncludeTargets[i].TargetedAuthenticationMethod = e.campaignMethods()[j]
		if e.campaignMethods()[j] == "fido2" && e.opts.CampaignFido2Spelling != "" {
			c.IncludeTargets[i].TargetedAuthenticationMethod = e.opts.CampaignFido2Spelling
		}
		include[i] = target{ID: t.ID, TargetType: t.TargetType}
	}
	return validateTargets(include, c.ExcludeTargets, false)
}

func validateMethodsPolicyBeta(b *methodsPolicyBeta) error {
	for _, state := range []string{b.ReportSuspiciousActivitySettings.State, b.SystemCredentialPreferences.State} {
		switch state {
		case "default", "enabled", "disabled":
		default:
			return fmt.Errorf("Requested value '%s' was not found in enum 'advancedConfigState'.", state)
		}
	}
	if t := b.ReportSuspiciousActivitySettings.IncludeTarget; t.ID != "all_users" && !uuidRE.MatchString(t.ID) {
		return fmt.Errorf("Invalid target id '%s': expected an object id or all_users.", t.ID)
	}
	return nil
}
