package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const (
	mobileRes    = "entra_phone_method.mobile"
	alternateRes = "entra_phone_method.alternate"
	mobileID     = "3179e48a-750b-4051-897c-87b9720928f7"
)

// phoneConfig gives Adele a mobile phone (with extra arguments) and an
// alternate mobile phone, which needs the mobile one first.
func phoneConfig(e *emulator.Emulator, number, mobileArgs string) string {
	return providerBlock(e) + fmt.Sprintf(`
resource "entra_phone_method" "mobile" {
  user_id      = %q
  phone_type   = "mobile"
  phone_number = %q
%s
}

resource "entra_phone_method" "alternate" {
  user_id      = entra_phone_method.mobile.user_id
  phone_type   = "alternateMobile"
  phone_number = "+44 7700900123"
}
`, adele.UserPrincipalName, number, mobileArgs)
}

// adelesPhones is what the tenant holds for Adele, by phone type.
func adelesPhones(admin *graph.Client) (map[string]graph.PhoneMethod, error) {
	phones, err := admin.ListPhoneMethods(context.Background(), adele.ID)
	out := map[string]graph.PhoneMethod{}
	for _, p := range phones {
		out[p.PhoneType] = p
	}
	return out, err
}

// checkMobile checks Adele's mobile phone in the tenant.
func checkMobile(admin *graph.Client, number, smsState string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		phones, err := adelesPhones(admin)
		if m := phones["mobile"]; err != nil || m.PhoneNumber != number || m.SmsSignInState != smsState {
			return fmt.Errorf("tenant holds mobile %+v (%v), want %s with SMS sign-in %s", m, err, number, smsState)
		}
		return nil
	}
}

// Two phones are added (the alternate after the mobile), the mobile number
// changed and SMS sign-in switched off in place, the phone imported by
// type, re-added after a deletion outside Terraform, its changed number
// seen as drift, and both deleted on destroy (the alternate first).
func TestAccPhoneMethod_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	ctx := context.Background()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: func(*terraform.State) error {
			if phones, err := adelesPhones(admin); err != nil || len(phones) != 0 {
				return fmt.Errorf("destroy left phones: %+v, %v", phones, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// The default SMS policy lets everyone sign in by SMS: Graph
				// registers the new mobile number for it.
				Config: phoneConfig(e, "+1 2065550100", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mobileRes, tfjsonpath.New("id"), knownvalue.StringExact(mobileID)),
					statecheck.ExpectKnownValue(mobileRes, tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("ready")),
					statecheck.ExpectKnownValue(mobileRes, tfjsonpath.New("sms_sign_in_enabled"), knownvalue.Null()),
					statecheck.ExpectKnownValue(alternateRes, tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("notSupported")),
				},
				Check: checkMobile(admin, "+1 2065550100", "ready"),
			},
			{
				Config: phoneConfig(e, "+1 2065550199x42", "  sms_sign_in_enabled = false"),
				ConfigPlanChecks: expectUpdate(mobileRes, expectPlanned(mobileRes, "phone_number", "+1 2065550199x42"),
					expectPlanned(mobileRes, "id", mobileID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(mobileRes, tfjsonpath.New("sms_sign_in_state"), knownvalue.StringExact("notEnabled")),
				},
				Check: checkMobile(admin, "+1 2065550199x42", "notEnabled"),
			},
			{
				ResourceName: mobileRes, ImportState: true, ImportStateVerify: true,
				ImportStateId:           adele.UserPrincipalName + "/mobile",
				ImportStateVerifyIgnore: []string{"sms_sign_in_enabled"},
			},
			{
				// Switched on outside Terraform: drift, switched off again.
				PreConfig: func() {
					if err := admin.SetSmsSignIn(ctx, adele.ID, mobileID, true); err != nil {
						t.Fatal(err)
					}
				},
				Config:           phoneConfig(e, "+1 2065550199x42", "  sms_sign_in_enabled = false"),
				ConfigPlanChecks: expectUpdate(mobileRes),
				Check:            checkMobile(admin, "+1 2065550199x42", "notEnabled"),
			},
			{
				// The number changed outside Terraform: the plan puts it back.
				PreConfig: func() {
					if err := admin.UpdatePhoneNumber(ctx, adele.ID, mobileID, "+1 4255550100"); err != nil {
						t.Fatal(err)
					}
				},
				Config:           phoneConfig(e, "+1 2065550199x42", "  sms_sign_in_enabled = false"),
				ConfigPlanChecks: expectUpdate(mobileRes, expectPlanned(mobileRes, "phone_number", "+1 2065550199x42")),
				Check:            checkMobile(admin, "+1 2065550199x42", "notEnabled"),
			},
			{
				// The alternate phone deleted outside Terraform is added again.
				PreConfig: func() {
					if err := admin.DeleteUserMethod(ctx, adele.ID, "phoneMethods", "b6332ec1-7057-4abe-9331-3d72feddfe41"); err != nil {
						t.Fatal(err)
					}
				},
				Config: phoneConfig(e, "+1 2065550199x42", "  sms_sign_in_enabled = false"),
				Check: func(*terraform.State) error {
					if phones, err := adelesPhones(admin); err != nil || phones["alternateMobile"].PhoneNumber != "+44 7700900123" {
						return fmt.Errorf("the alternate phone was not added again: %+v, %v", phones, err)
					}
					return nil
				},
			},
		},
	})
}

// An Authentication Administrator reads numbers masked: a masked read that
// fits the configured number is no drift, and an import records the
// masked number, which the next plan replaces with the configured one.
func TestAccPhoneMethod_maskedReads(t *testing.T) {
	e := startEmulator(t, emulator.Options{MaskedPhoneNumbers: true})
	admin := adminClient(t, e)
	config := providerBlock(e) + fmt.Sprintf(`
resource "entra_phone_method" "office" {
  user_id      = %q
  phone_type   = "office"
  phone_number = "+1 2065550100x77"
}
`, megan.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: config, Check: func(*terraform.State) error {
				p, err := admin.GetPhoneMethod(context.Background(), megan.ID, "e37fc753-ff3b-4958-9484-eaa9425c82bc")
				if err != nil || p.PhoneNumber != "+1 XXXXXXXXXXx77" {
					return fmt.Errorf("the emulator should mask the number: %+v, %v", p, err)
				}
				return nil
			}},
			{Config: config, PlanOnly: true},
			{
				ResourceName: "entra_phone_method.office", ImportState: true, ImportStateId: megan.ID + "/office",
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					if got := s[0].Attributes["phone_number"]; got != "+1 XXXXXXXXXXx77" {
						return fmt.Errorf("import recorded %q, want the masked number", got)
					}
					return nil
				},
			},
		},
	})
}

// The answer to the create is lost after Graph added the phone: the
// provider finds the phone of that type with that number and records it,
// instead of failing on a second add of the same type.
func TestAccPhoneMethod_lostCreateAnswer(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	e.Inject(emulator.Fault{Method: "POST", PathContains: "phoneMethods", Action: "reset-after", Times: 1})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: phoneConfig(e, "+1 2065550100", ""),
			Check:  resource.TestCheckResourceAttr(mobileRes, "id", mobileID),
		}},
	})
}
