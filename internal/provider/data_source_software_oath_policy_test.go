package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The data source reads a fresh tenant's software OATH policy: on.
func TestAccSoftwareOathPolicyDataSource(t *testing.T) {
	testFreshTenantDataSource(t, "entra_software_oath_policy",
		statecheck.ExpectKnownValue("data.entra_software_oath_policy.current", tfjsonpath.New("state"), knownvalue.StringExact("enabled")))
}
