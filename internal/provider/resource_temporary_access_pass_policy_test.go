package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

func TestAccTemporaryAccessPassPolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	cfg := providerBlock(e) + `
resource "entra_temporary_access_pass_policy" "this" {
  state                       = "enabled"
  default_length              = 12
  minimum_lifetime_in_minutes = 60
  maximum_lifetime_in_minutes = 240
  default_lifetime_in_minutes = 120
  is_usable_once              = true
  include_targets = [{ id = "11111111-1111-1111-1111-111111111111" }]
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr("entra_temporary_access_pass_policy.this", "id", "TemporaryAccessPass"),
				resource.TestCheckResourceAttr("entra_temporary_access_pass_policy.this", "default_length", "12"),
			),
		}},
	})
}
