package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// Authentication strengths (graph-behaviour.md#authentication-strengths):
// three built-in, read-only strengths, and custom ones with unique names
// whose allowed combinations change only through updateAllowedCombinations.
// Combination configurations (FIDO2 and certificate ones) are a navigation
// property, listed only when expanded.

// authenticationModes are the methods a combination is made of.
var authenticationModes = []string{"password", "voice", "hardwareOath", "softwareOath", "sms", "fido2", "windowsHelloForBusiness",
	"microsoftAuthenticatorPush", "deviceBasedPush", "temporaryAccessPassOneTime", "temporaryAccessPassMultiUse", "email",
	"x509CertificateSingleFactor", "x509CertificateMultiFactor", "federatedSingleFactor", "federatedMultiFactor", "qrCodePin"}

type combinationConfig struct {
	ODataType             string   `json:"@odata.type"`
	ID                    string   `json:"id"`
	AppliesToCombinations []string `json:"appliesToCombinations"`
	AllowedAAGUIDs        []string `json:"allowedAAGUIDs,omitempty"`
}

type strength struct {
	ID                    string   `json:"id"`
	DisplayName           string   `json:"displayName"`
	Description           string   `json:"description"`
	PolicyType            string   `json:"policyType"`
	RequirementsSatisfied string   `json:"requirementsSatisfied"`
	AllowedCombinations   []string `json:"allowedCombinations"`
	CreatedDateTime       string   `json:"createdDateTime"`
	configs               []combinationConfig
}

// builtInStrengths are the strengths every tenant has.
func builtInStrengths() []*strength {
	builtIn := func(id, name, desc string, combos ...string) *strength {
		return &strength{ID: id, DisplayName: name, Description: desc, PolicyType: "builtIn", RequirementsSatisfied: "mfa", AllowedCombinations: combos,
			CreatedDateTime: "2021-12-01T00:00:00Z"}
	}
	return []*strength{
		builtIn("00000000-0000-0000-0000-000000000002", "Multifactor authentication", "Combinations of methods that satisfy strong authentication, such as a password + SMS",
			"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush", "temporaryAccessPassOneTime", "temporaryAccessPassMultiUse",
			"password,microsoftAuthenticatorPush", "password,softwareOath", "password,hardwareOath", "password,sms", "password,voice",
			"federatedMultiFactor", "microsoftAuthenticatorPush,federatedSingleFactor", "softwareOath,federatedSingleFactor",
			"hardwareOath,federatedSingleFactor", "sms,federatedSingleFactor", "voice,federatedSingleFactor"),
		builtIn("00000000-0000-0000-0000-000000000003", "Passwordless MFA", "Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator",
			"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor", "deviceBasedPush"),
		builtIn("00000000-0000-0000-0000-000000000004", "Phishing-resistant MFA", "Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key",
			"windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"),
	}
}

func (e *Emulator) routeStrengths(mux *http.ServeMux) {
	base := "/policies/authenticationStrengthPolicies"
	mux.HandleFunc("GET "+base, e.listStrengths)
	mux.HandleFunc("POST "+base, e.createStrength)
	mux.HandleFunc("GET "+base+"/{id}", e.getStrength)
	mux.HandleFunc("PATCH "+base+"/{id}", strengthWrite(e, e.patchStrength))
	mux.HandleFunc("DELETE "+base+"/{id}", strengthWrite(e, e.deleteStrength))
	mux.HandleFunc("POST "+base+"/{id}/updateAllowedCombinations", strengthWrite(e, updateCombinations))
	mux.HandleFunc("POST "+base+"/{id}/combinationConfigurations", strengthWrite(e, createCombinationConfig))
	mux.HandleFunc("PATCH "+base+"/{id}/combinationConfigurations/{cid}", strengthWrite(e, patchCombinationConfig))
	mux.HandleFunc("DELETE "+base+"/{id}/combinationConfigurations/{cid}", strengthWrite(e, deleteCombinationConfig))
}

func (e *Emulator) renderStrength(s *strength, expand bool) map[string]any {
	raw, _ := json.Marshal(s)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	out["@odata.type"] = "#microsoft.graph.authenticationStrengthPolicy"
	if expand {
		out["combinationConfigurations"] = s.configs
		if s.configs == nil {
			out["combinationConfigurations"] = []combinationConfig{}
		}
	}
	return out
}

func (e *Emulator) listStrengths(w http.ResponseWriter, _ *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]any, 0, len(e.strengths))
	for _, s := range e.strengths {
		out = append(out, e.renderStrength(s, false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"value": out})
}

// strengthAt finds the path's strength; a built-in one may only be read.
// The caller holds e.mu.
func (e *Emulator) strengthAt(w http.ResponseWriter, r *http.Request, write bool) *strength {
	for _, s := range e.strengths {
		if strings.EqualFold(s.ID, r.PathValue("id")) {
			if write && s.PolicyType == "builtIn" {
				writeError(w, http.StatusBadRequest, "badRequest", "Built-in authentication strength policies cannot be modified or deleted.")
				return nil
			}
			return s
		}
	}
	writeError(w, http.StatusNotFound, "itemNotFound", fmt.Sprintf("The authentication strength policy '%s' was not found.", r.PathValue("id")))
	return nil
}

func (e *Emulator) getStrength(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s := e.strengthAt(w, r, false); s != nil {
		writeJSON(w, http.StatusOK, e.renderStrength(s, strings.Contains(r.URL.Query().Get("$expand"), "combinationConfigurations")))
	}
}

func checkCombinations(combos []string) error {
	if len(combos) == 0 {
		return fmt.Errorf("allowedCombinations cannot be empty.")
	}
	for _, c := range combos {
		for _, mode := range strings.Split(c, ",") {
			if !slices.Contains(authenticationModes, mode) {
				return fmt.Errorf("Requested value '%s' was not found in enum 'authenticationMethodModes'.", mode)
			}
		}
	}
	return nil
}

// checkName refuses a name another strength holds. The caller holds e.mu.
func (e *Emulator) checkName(name, self string) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("displayName is required.")
	}
	for _, s := range e.strengths {
		if s.ID != self && strings.EqualFold(s.DisplayName, name) {
			return fmt.Errorf("An authentication strength policy with the display name '%s' already exists.", name)
		}
	}
	return nil
}

func (e *Emulator) createStrength(w http.ResponseWriter, r *http.Request) {
	var s strength
	if err := json.NewDecoder(r.Body).Decode(&s); err != nil {
		badRequest(w, "Unable to read JSON request payload.")
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.checkName(s.DisplayName, ""); err != nil {
		badRequest(w, err.Error())
		return
	}
	if err := checkCombinations(s.AllowedCombinations); err != nil {
		badRequest(w, err.Error())
		return
	}
	s.ID, s.PolicyType, s.RequirementsSatisfied, s.CreatedDateTime = newID(), "custom", "mfa", e.now().Format("2006-01-02T15:04:05Z")
	e.strengths = append(e.strengths, &s)
	writeJSON(w, http.StatusCreated, e.renderStrength(&s, false))
}

func (e *Emulator) patchStrength(w http.ResponseWriter, _ *http.Request, s *strength, fields *map[string]json.RawMessage) {
	body := *fields
	if _, ok := body["allowedCombinations"]; ok {
		badRequest(w, "allowedCombinations cannot be updated with PATCH: use updateAllowedCombinations.")
		return
	}
	c := *s
	if err := applyFields(body, "authenticationStrengthPolicy", map[string]any{"displayName": &c.DisplayName, "description": &c.Description}); err != nil {
		badRequest(w, err.Error())
		return
	}
	if err := e.checkName(c.DisplayName, s.ID); err != nil {
		badRequest(w, err.Error())
		return
	}
	*s = c
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) deleteStrength(w http.ResponseWriter, _ *http.Request, s *strength, _ *struct{}) {
	e.strengths = slices.DeleteFunc(e.strengths, func(x *strength) bool { return x == s })
	w.WriteHeader(http.StatusNoContent)
}

func updateCombinations(w http.ResponseWriter, _ *http.Request, s *strength, body *struct {
	AllowedCombinations []string `json:"allowedCombinations"`
}) {
	if err := checkCombinations(body.AllowedCombinations); err != nil {
		badRequest(w, err.Error())
		return
	}
	for _, cc := range s.configs {
		if !slices.Contains(body.AllowedCombinations, cc.AppliesToCombinations[0]) {
			badRequest(w, fmt.Sprintf("The combination '%s' has a combination configuration: delete it first.", cc.AppliesToCombinations[0]))
			return
		}
	}
	s.AllowedCombinations = body.AllowedCombinations
	writeJSON(w, http.StatusOK, map[string]any{"policyType": s.PolicyType, "requirementsSatisfied": s.RequirementsSatisfied, "allowedCombinations": s.AllowedCombinations})
}

// strengthWrite serves a change to the path's custom strength: the body (if
// the handler takes one, else struct{}) decoded into a T, e.mu held, the
// strength resolved or Graph's error written.
func strengthWrite[T any](e *Emulator, h func(w http.ResponseWriter, r *http.Request, s *strength, body *T)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body T
		if _, none := any(body).(struct{}); !none {
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				badRequest(w, "Unable to read JSON request payload.")
				return
			}
		}
		e.mu.Lock()
		defer e.mu.Unlock()
		if s := e.strengthAt(w, r, true); s != nil {
			h(w, r, s, &body)
		}
	}
}

// checkCombinationConfig applies Graph's rules: a FIDO2 configuration
// applies to fido2, which the strength must allow, and lists AAGUIDs.
func checkCombinationConfig(s *strength, c *combinationConfig) error {
	if c.ODataType != "#microsoft.graph.fido2CombinationConfiguration" {
		return fmt.Errorf("Combination configurations of type '%s' are not supported by this emulator.", c.ODataType)
	}
	if len(c.AppliesToCombinations) != 1 || c.AppliesToCombinations[0] != "fido2" {
		return fmt.Errorf("A FIDO2 combination configuration applies to the 'fido2' combination only.")
	}
	if !slices.Contains(s.AllowedCombinations, "fido2") {
		return fmt.Errorf("The combination 'fido2' is not allowed by this authentication strength.")
	}
	for i, g := range c.AllowedAAGUIDs {
		if !uuidRE.MatchString(g) {
			return fmt.Errorf("Invalid AAGUID '%s'.", g)
		}
		c.AllowedAAGUIDs[i] = strings.ToLower(g)
	}
	return nil
}

func createCombinationConfig(w http.ResponseWriter, _ *http.Request, s *strength, body *combinationConfig) {
	c := *body
	if err := checkCombinationConfig(s, &c); err != nil {
		badRequest(w, err.Error())
		return
	}
	for _, held := range s.configs {
		if held.AppliesToCombinations[0] == c.AppliesToCombinations[0] {
			badRequest(w, "A combination configuration for 'fido2' already exists.")
			return
		}
	}
	c.ID = newID()
	s.configs = append(s.configs, c)
	writeJSON(w, http.StatusCreated, c)
}

func patchCombinationConfig(w http.ResponseWriter, r *http.Request, s *strength, body *combinationConfig) {
	c := *body
	for i, held := range s.configs {
		if held.ID == r.PathValue("cid") {
			c.ID, c.ODataType = held.ID, held.ODataType
			if err := checkCombinationConfig(s, &c); err != nil {
				badRequest(w, err.Error())
				return
			}
			s.configs[i] = c
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	writeError(w, http.StatusNotFound, "itemNotFound", "The combination configuration was not found.")
}

func deleteCombinationConfig(w http.ResponseWriter, r *http.Request, s *strength, _ *struct{}) {
	n := len(s.configs)
	s.configs = slices.DeleteFunc(s.configs, func(c combinationConfig) bool { return c.ID == r.PathValue("cid") })
	if len(s.configs) == n {
		writeError(w, http.StatusNotFound, "itemNotFound", "The combination configuration was not found.")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
