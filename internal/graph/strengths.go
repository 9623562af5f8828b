package graph

import (
	"context"
	"net/url"

	abs "github.com/microsoft/kiota-abstractions-go"
)

// Authentication strengths: named sets of method combinations that
// Conditional Access can require. Built-in ones (MFA, passwordless MFA,
// phishing-resistant MFA) are read-only; custom ones are created, changed
// and deleted. A FIDO2 combination configuration narrows fido2 to some
// authenticator models (AAGUIDs).

const strengthsPath = "/policies/authenticationStrengthPolicies"

const fido2CombinationType = "#microsoft.graph.fido2CombinationConfiguration"

// AuthenticationStrength is an authentication strength policy.
type AuthenticationStrength struct {
	ID                        string                     `json:"id,omitempty"`
	DisplayName               string                     `json:"displayName"`
	Description               string                     `json:"description"`
	PolicyType                string                     `json:"policyType,omitempty"`
	RequirementsSatisfied     string                     `json:"requirementsSatisfied,omitempty"`
	AllowedCombinations       []string                   `json:"allowedCombinations"`
	CombinationConfigurations []CombinationConfiguration `json:"combinationConfigurations,omitempty"`
}

// CombinationConfiguration restricts a combination: for fido2, to the
// AAGUIDs listed.
type CombinationConfiguration struct {
	ODataType             string   `json:"@odata.type"`
	ID                    string   `json:"id,omitempty"`
	AppliesToCombinations []string `json:"appliesToCombinations"`
	AllowedAAGUIDs        []string `json:"allowedAAGUIDs,omitempty"`
}

// Fido2Combination is a FIDO2 combination configuration for the AAGUIDs.
func Fido2Combination(aaguids []string) CombinationConfiguration {
	return CombinationConfiguration{ODataType: fido2CombinationType, AppliesToCombinations: []string{"fido2"}, AllowedAAGUIDs: aaguids}
}

// IsFido2 reports whether c is a FIDO2 combination configuration.
func (c CombinationConfiguration) IsFido2() bool { return c.ODataType == fido2CombinationType }

// ListAuthenticationStrengths lists every strength, built-in and custom.
func (c *Client) ListAuthenticationStrengths(ctx context.Context) ([]AuthenticationStrength, error) {
	return listAll[AuthenticationStrength](ctx, c, strengthsPath)
}

// GetAuthenticationStrength reads a strength with its combination
// configurations (a navigation property, so expanded).
func (c *Client) GetAuthenticationStrength(ctx context.Context, id string) (*AuthenticationStrength, error) {
	var s AuthenticationStrength
	return &s, c.do(ctx, abs.GET, strengthsPath+"/"+url.PathEscape(id)+"?$expand=combinationConfigurations", nil, &s)
}

// CreateAuthenticationStrength creates a custom strength, then its
// combination configurations.
func (c *Client) CreateAuthenticationStrength(ctx context.Context, s AuthenticationStrength) (*AuthenticationStrength, error) {
	configs := s.CombinationConfigurations
	s.CombinationConfigurations = nil
	var created AuthenticationStrength
	if err := c.do(ctx, abs.POST, strengthsPath, s, &created); err != nil {
		return nil, err
	}
	for _, cc := range configs {
		if err := c.do(ctx, abs.POST, strengthsPath+"/"+url.PathEscape(created.ID)+"/combinationConfigurations", cc, nil); err != nil {
			return &created, err
		}
	}
	return &created, nil
}

// UpdateAuthenticationStrength changes a custom strength to s: its name and
// description, its allowed combinations (through updateAllowedCombinations,
// the only way Graph takes them), and its combination configurations, the
// current ones being held.
func (c *Client) UpdateAuthenticationStrength(ctx context.Context, id string, s AuthenticationStrength, held []CombinationConfiguration) error {
	names := struct {
		DisplayName string `json:"displayName"`
		Description string `json:"description"`
	}{s.DisplayName, s.Description}
	if err := c.do(ctx, abs.PATCH, strengthsPath+"/"+url.PathEscape(id), names, nil); err != nil {
		return err
	}
	combos := struct {
		AllowedCombinations []string `json:"allowedCombinations"`
	}{s.AllowedCombinations}
	if err := c.do(ctx, abs.POST, strengthsPath+"/"+url.PathEscape(id)+"/updateAllowedCombinations", combos, nil); err != nil {
		return err
	}
	// Configurations are matched by the combinations they apply to.
	byCombination := map[string]CombinationConfiguration{}
	for _, h := range held {
		byCombination[h.ODataType+h.AppliesToCombinations[0]] = h
	}
	for _, cc := range s.CombinationConfigurations {
		key := cc.ODataType + cc.AppliesToCombinations[0]
		if h, ok := byCombination[key]; ok {
			delete(byCombination, key)
			if err := c.do(ctx, abs.PATCH, strengthsPath+"/"+url.PathEscape(id)+"/combinationConfigurations/"+url.PathEscape(h.ID), cc, nil); err != nil {
				return err
			}
			continue
		}
		if err := c.do(ctx, abs.POST, strengthsPath+"/"+url.PathEscape(id)+"/combinationConfigurations", cc, nil); err != nil {
			return err
		}
	}
	for _, h := range byCombination {
		if err := c.do(ctx, abs.DELETE, strengthsPath+"/"+url.PathEscape(id)+"/combinationConfigurations/"+url.PathEscape(h.ID), nil, nil); err != nil && !IsNotFound(err) {
			return err
		}
	}
	return nil
}

// DeleteAuthenticationStrength deletes a custom strength.
func (c *Client) DeleteAuthenticationStrength(ctx context.Context, id string) error {
	return c.do(ctx, abs.DELETE, strengthsPath+"/"+url.PathEscape(id), nil, nil)
}
