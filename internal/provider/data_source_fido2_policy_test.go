package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

func TestAccFido2PolicyDataSource(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	ds := "data.entra_fido2_policy.current"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: providerBlock(e) + `data "entra_fido2_policy" "current" {}`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(ds, "default_passkey_profile", defaultProfile),
				resource.TestCheckResourceAttr(ds, "passkey_profiles."+defaultProfile+".name", "Default passkey profile"),
				resource.TestCheckResourceAttr(ds, "passkey_profiles."+defaultProfile+".passkey_types.0", "deviceBound"),
				resource.TestCheckResourceAttr(ds, "include_targets.0.allowed_passkey_profiles.0", defaultProfile),
				resource.TestCheckResourceAttr(ds, "is_attestation_enforced", "true"),
			),
		}},
	})
}
