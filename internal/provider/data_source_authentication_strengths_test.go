package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

// The data source lists Microsoft's three built-in strengths, and a custom
// one with its FIDO2 models.
func TestAccAuthenticationStrengthsDataSource(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	strengths := "data.entra_authentication_strengths.custom"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(e) + strengthConfig(`"fido2"`, `"cb69481e-8ff7-4039-93ec-0a2729a154a8"`) + `
data "entra_authentication_strengths" "builtin" {
  policy_type = "builtIn"
}
data "entra_authentication_strengths" "custom" {
  policy_type = "custom"
  depends_on  = [entra_authentication_strength_policy.keys]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entra_authentication_strengths.builtin", tfjsonpath.New("strengths").AtSliceIndex(2).AtMapKey("display_name"),
					knownvalue.StringExact("Phishing-resistant MFA")),
				statecheck.ExpectKnownValue(strengths, tfjsonpath.New("strengths"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue(strengths, tfjsonpath.New("strengths").AtSliceIndex(0).AtMapKey("fido2_allowed_aaguids"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("cb69481e-8ff7-4039-93ec-0a2729a154a8")})),
			},
		}},
	})
}
