package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

func TestAccAttachedAuthenticatorsAndFido2Methods(t *testing.T) {
	// The relying party real tenants return: the provider uses whatever
	// creation options name.
	l := newKeyLabWith(t, true, emulator.Options{RPID: "login.microsoft.com"})
	first := l.addKey(t, "a", softkey.SoftwareOptions{PIN: testPIN})
	l.addKey(t, "b", softkey.SoftwareOptions{AAGUID: feitianAAGUID})
	t.Setenv(pinEnv, testPIN)
	attached := "data.entra_attached_authenticators.here"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: l.config(adele.ID, fmt.Sprintf("  device_path = %q", first)) + fmt.Sprintf(`
data "entra_attached_authenticators" "here" {}
data "entra_fido2_methods" "adele" {
  user_id    = %q
  depends_on = [entra_security_key.adele]
}`, adele.ID),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(attached, "authenticators.#", "2"),
				resource.TestCheckResourceAttr(attached, "authenticators.0.path", first),
				resource.TestCheckResourceAttr(attached, "authenticators.0.aaguid", softkey.DefaultSoftwareAAGUID),
				resource.TestCheckResourceAttr(attached, "authenticators.0.options.clientPin", "true"),
				resource.TestCheckResourceAttr(attached, "authenticators.0.pin_retries", "8"),
				resource.TestCheckResourceAttr(attached, "authenticators.1.aaguid", feitianAAGUID),
				resource.TestCheckResourceAttr(attached, "authenticators.1.options.clientPin", "false"),
				resource.TestCheckResourceAttr(attached, "authenticators.1.pin_retries", "-1"),
				resource.TestCheckResourceAttr("data.entra_fido2_methods.adele", "methods.#", "1"),
				resource.TestCheckResourceAttrPair("data.entra_fido2_methods.adele", "methods.0.id", keyRes, "id"),
				resource.TestCheckResourceAttr("data.entra_fido2_methods.adele", "methods.0.display_name", "Adele's key"),
			),
		}},
	})
}
