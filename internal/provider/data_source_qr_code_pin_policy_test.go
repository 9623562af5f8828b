package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The data source reads a fresh tenant's QR code + PIN policy: off, 8-digit
// PINs, codes for a year.
func TestAccQRCodePinPolicyDataSource(t *testing.T) {
	testFreshTenantDataSource(t, "entra_qr_code_pin_policy",
		statecheck.ExpectKnownValue("data.entra_qr_code_pin_policy.current", tfjsonpath.New("pin_length"), knownvalue.Int64Exact(8)),
		statecheck.ExpectKnownValue("data.entra_qr_code_pin_policy.current", tfjsonpath.New("standard_qr_code_lifetime_in_days"), knownvalue.Int64Exact(365)))
}
