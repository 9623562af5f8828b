package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The data source reads a fresh tenant's Authenticator policy: off, features
// left to Microsoft, no exclusion.
func TestAccMicrosoftAuthenticatorPolicyDataSource(t *testing.T) {
	testFreshTenantDataSource(t, "entra_microsoft_authenticator_policy",
		statecheck.ExpectKnownValue("data.entra_microsoft_authenticator_policy.current", tfjsonpath.New("display_app_information").AtMapKey("state"), knownvalue.StringExact("default")),
		statecheck.ExpectKnownValue("data.entra_microsoft_authenticator_policy.current", tfjsonpath.New("display_app_information").AtMapKey("exclude_target_id"), knownvalue.Null()))
}
