package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The data source reads a fresh tenant's voice policy: off, no office phones.
func TestAccVoicePolicyDataSource(t *testing.T) {
	testFreshTenantDataSource(t, "entra_voice_policy",
		statecheck.ExpectKnownValue("data.entra_voice_policy.current", tfjsonpath.New("state"), knownvalue.StringExact("disabled")),
		statecheck.ExpectKnownValue("data.entra_voice_policy.current", tfjsonpath.New("is_office_phone_allowed"), knownvalue.Bool(false)))
}
