package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const emailRes = "entra_email_method.adele"

func emailConfig(e *emulator.Emulator, address string) string {
	return providerBlock(e) + fmt.Sprintf(`
resource "entra_email_method" "adele" {
  user_id       = %q
  email_address = %q
}
`, adele.ID, address)
}

// checkEmail checks the address of Adele's email method in the tenant.
func checkEmail(admin *graph.Client, address string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		held, err := admin.ListEmailMethods(context.Background(), adele.ID)
		if err != nil || len(held) != 1 || held[0].EmailAddress != address {
			return fmt.Errorf("tenant holds %+v (%v), want %s", held, err, address)
		}
		return nil
	}
}

// The email method is added, changed in place, imported, put back after a
// change outside Terraform, added again after a deletion, and deleted on
// destroy.
func TestAccEmailMethod_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	ctx := context.Background()
	id := "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: func(*terraform.State) error {
			if held, err := admin.ListEmailMethods(ctx, adele.ID); err != nil || len(held) != 0 {
				return fmt.Errorf("destroy left %+v, %v", held, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: emailConfig(e, "adele@fabrikam.example"), Check: resource.ComposeAggregateTestCheckFunc(
				checkEmail(admin, "adele@fabrikam.example"), resource.TestCheckResourceAttr(emailRes, "id", id))},
			{
				Config:           emailConfig(e, "adele.vance@fabrikam.example"),
				ConfigPlanChecks: expectUpdate(emailRes, expectPlanned(emailRes, "email_address", "adele.vance@fabrikam.example")),
				Check:            checkEmail(admin, "adele.vance@fabrikam.example"),
			},
			{ResourceName: emailRes, ImportState: true, ImportStateVerify: true, ImportStateId: adele.ID + "/" + id},
			{
				PreConfig: func() {
					if err := admin.UpdateEmailAddress(ctx, adele.ID, id, "someone@elsewhere.example"); err != nil {
						t.Fatal(err)
					}
				},
				Config:           emailConfig(e, "adele.vance@fabrikam.example"),
				ConfigPlanChecks: expectUpdate(emailRes),
				Check:            checkEmail(admin, "adele.vance@fabrikam.example"),
			},
			{
				PreConfig: func() {
					if err := admin.DeleteUserMethod(ctx, adele.ID, "emailMethods", id); err != nil {
						t.Fatal(err)
					}
				},
				Config: emailConfig(e, "adele.vance@fabrikam.example"),
				Check:  checkEmail(admin, "adele.vance@fabrikam.example"),
			},
		},
	})
}

// The answer to adding the email method is lost after Graph added it: the
// provider finds the user's one email method with this address.
func TestAccEmailMethod_lostCreateAnswer(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	e.Inject(emulator.Fault{Method: "POST", PathContains: "emailMethods", Action: "reset-after", Times: 1})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps:                    []resource.TestStep{{Config: emailConfig(e, "adele@fabrikam.example"), Check: checkEmail(admin, "adele@fabrikam.example")}},
	})
}
