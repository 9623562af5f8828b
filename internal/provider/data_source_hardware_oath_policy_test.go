package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The data source reads a fresh tenant's hardware OATH policy through beta:
// off.
func TestAccHardwareOathPolicyDataSource(t *testing.T) {
	testFreshTenantDataSource(t, "entra_hardware_oath_policy",
		statecheck.ExpectKnownValue("data.entra_hardware_oath_policy.current", tfjsonpath.New("state"), knownvalue.StringExact("disabled")))
}
