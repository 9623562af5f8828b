package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

func TestAccTemporaryAccessPassPolicyDataSource(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(e) + `data "entra_temporary_access_pass_policy" "current" {}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.entra_temporary_access_pass_policy.current", "state", "disabled"),
				resource.TestCheckResourceAttr("data.entra_temporary_access_pass_policy.current", "maximum_lifetime_in_minutes", "480"),
				resource.TestCheckResourceAttr("data.entra_temporary_access_pass_policy.current", "include_targets.0.id", "all_users"),
			),
		}},
	})
}
