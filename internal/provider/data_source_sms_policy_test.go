package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The data source reads a fresh tenant's SMS policy: on for everyone, codes
// usable for sign-in.
func TestAccSmsPolicyDataSource(t *testing.T) {
	testFreshTenantDataSource(t, "entra_sms_policy",
		statecheck.ExpectKnownValue("data.entra_sms_policy.current", tfjsonpath.New("state"), knownvalue.StringExact("enabled")),
		statecheck.ExpectKnownValue("data.entra_sms_policy.current", tfjsonpath.New("include_targets"), knownvalue.SetExact([]knownvalue.Check{
			knownvalue.ObjectExact(map[string]knownvalue.Check{
				"id": knownvalue.StringExact("all_users"), "target_type": knownvalue.StringExact("group"), "is_usable_for_sign_in": knownvalue.Bool(true),
			}),
		})))
}
