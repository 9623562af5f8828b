package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The data source reads a fresh tenant's certificate policy: off, with
// Microsoft's three default bindings.
func TestAccX509CertificatePolicyDataSource(t *testing.T) {
	testFreshTenantDataSource(t, "entra_x509_certificate_policy",
		statecheck.ExpectKnownValue("data.entra_x509_certificate_policy.current", tfjsonpath.New("certificate_user_bindings"), knownvalue.SetSizeExact(3)))
}
