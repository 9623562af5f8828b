package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The data source reads a fresh tenant's policy: not migrated, the campaign
// left to Microsoft.
func TestAccAuthenticationMethodsPolicyDataSource(t *testing.T) {
	testFreshTenantDataSource(t, "entra_authentication_methods_policy",
		statecheck.ExpectKnownValue("data.entra_authentication_methods_policy.current", tfjsonpath.New("policy_migration_state"), knownvalue.StringExact("preMigration")),
		statecheck.ExpectKnownValue("data.entra_authentication_methods_policy.current", tfjsonpath.New("registration_campaign").AtMapKey("state"), knownvalue.StringExact("default")))
}
