package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The data source reads a fresh tenant's email policy: on, no include
// targets, external users per Microsoft's default.
func TestAccEmailPolicyDataSource(t *testing.T) {
	testFreshTenantDataSource(t, "entra_email_policy",
		statecheck.ExpectKnownValue("data.entra_email_policy.current", tfjsonpath.New("allow_external_id_to_use_email_otp"), knownvalue.StringExact("default")),
		statecheck.ExpectKnownValue("data.entra_email_policy.current", tfjsonpath.New("include_targets"), knownvalue.SetSizeExact(0)))
}
