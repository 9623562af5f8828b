package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Create adopts the tenant's QR code + PIN policy (off) and turns it on for
// frontline workers with longer PINs; an update shortens code lifetime;
// import, a change outside Terraform and the reset on destroy follow.
func TestAccQRCodePinPolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	res := "entra_qr_code_pin_policy.this"
	config := func(days int) string {
		return providerBlock(e) + fmt.Sprintf(`
resource "entra_qr_code_pin_policy" "this" {
  state                             = "enabled"
  pin_length                        = 10
  standard_qr_code_lifetime_in_days = %d
  include_targets                   = [{ id = "aaaaaaaa-1111-1111-1111-111111111111" }]
}
`, days)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetQRCodePinPolicy, func(p *graph.QRCodePinPolicy) error {
			if p.State != "disabled" || p.PinLength != 8 || p.StandardQRCodeLifetimeInDays != 365 {
				return fmt.Errorf("destroy should reset the policy to Microsoft's defaults, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config(365),
				Check: checkTenant(admin.GetQRCodePinPolicy, func(p *graph.QRCodePinPolicy) error {
					if p.State != "enabled" || p.PinLength != 10 {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					return nil
				}),
			},
			{Config: config(90), ConfigPlanChecks: expectUpdate(res)},
			{ResourceName: res, ImportState: true, ImportStateId: "QRCodePin", ImportStateVerify: true},
			{
				PreConfig: func() {
					p, err := admin.GetQRCodePinPolicy(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					p.PinLength = 8
					if err := admin.UpdateQRCodePinPolicy(context.Background(), *p, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config(90),
				ConfigPlanChecks: expectUpdate(res),
			},
		},
	})
}

// Shorter PINs are a weakening, with no EIDSCA control.
func TestQRCodePinPolicyWeakenings(t *testing.T) {
	policy := func(length int64) *qrCodePinPolicyModel {
		return &qrCodePinPolicyModel{State: types.StringValue("enabled"), PinLength: types.Int64Value(length)}
	}
	assertWarnings(t, "shorter", policy(8).weakenings(context.Background(), policy(12)), []string{"|shorter than the 12 digits"})
	assertWarnings(t, "longer", policy(12).weakenings(context.Background(), policy(8)), nil)
}
