package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

// lostLaptop gives Megan what a lost laptop and phone held: an
// Authenticator registration, Windows Hello for Business, a platform
// credential and a software OATH token, beside a phone that stays.
func lostLaptop(e *emulator.Emulator) {
	for _, m := range []emulator.HeldMethod{
		{Kind: "microsoftAuthenticator", ID: "6a2b9e1c-0000-4000-8000-00000000a001",
			Properties: map[string]any{"displayName": "Megan's iPhone", "deviceTag": "SoftwareTokenActivated", "phoneAppVersion": "6.8.12"}},
		{Kind: "windowsHelloForBusiness", ID: "6a2b9e1c-0000-4000-8000-00000000a002",
			Properties: map[string]any{"displayName": "MEGAN-LAPTOP", "keyStrength": "normal"}},
		{Kind: "platformCredential", ID: "6a2b9e1c-0000-4000-8000-00000000a003",
			Properties: map[string]any{"displayName": "Megan's MacBook", "keyStrength": "normal", "platform": "macOS"}},
		{Kind: "softwareOath", ID: "6a2b9e1c-0000-4000-8000-00000000a004", Properties: map[string]any{"secretKey": nil}},
	} {
		e.AddHeldMethod(megan.ID, m)
	}
}

// registeredConfig imports the methods lostLaptop seeds. An import block
// for a resource already in state is a no-op, so every step can use it.
func registeredConfig(e *emulator.Emulator) string {
	var b strings.Builder
	b.WriteString(providerBlock(e))
	for i, typ := range []string{"microsoft_authenticator_method", "windows_hello_for_business_method", "platform_credential_method", "software_oath_method"} {
		fmt.Fprintf(&b, `
import {
  to = entra_%[1]s.lost
  id = "%[2]s/6a2b9e1c-0000-4000-8000-00000000a00%[3]d"
}

resource "entra_%[1]s" "lost" {
  user_id = %[2]q
}
`, typ, megan.UserPrincipalName, i+1)
	}
	return b.String()
}

// What a lost device held is imported, read with its properties, shown as
// a revocation in the destroy plan, and revoked on destroy; a method
// revoked outside Terraform leaves state; creating one is refused at plan.
func TestAccRegisteredMethods_importAndRevoke(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	lostLaptop(e)
	admin := adminClient(t, e)
	ctx := context.Background()
	held := func() (map[string]bool, error) {
		methods, err := admin.ListAuthenticationMethods(ctx, megan.ID)
		out := map[string]bool{}
		for _, m := range methods {
			out[m.Type()] = true
		}
		return out, err
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: func(*terraform.State) error {
			types, err := held()
			if err != nil || types["microsoftAuthenticator"] || types["windowsHelloForBusiness"] || types["platformCredential"] || types["softwareOath"] || !types["password"] {
				return fmt.Errorf("destroy should revoke the four methods and nothing else; Megan holds %v (%v)", types, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: registeredConfig(e),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr("entra_microsoft_authenticator_method.lost", "display_name", "Megan's iPhone"),
					resource.TestCheckResourceAttr("entra_microsoft_authenticator_method.lost", "device_tag", "SoftwareTokenActivated"),
					resource.TestCheckResourceAttr("entra_microsoft_authenticator_method.lost", "phone_app_version", "6.8.12"),
					resource.TestCheckResourceAttrSet("entra_microsoft_authenticator_method.lost", "created_date_time"),
					resource.TestCheckResourceAttr("entra_windows_hello_for_business_method.lost", "display_name", "MEGAN-LAPTOP"),
					resource.TestCheckResourceAttr("entra_platform_credential_method.lost", "platform", "macOS"),
					resource.TestCheckResourceAttr("entra_software_oath_method.lost", "id", "6a2b9e1c-0000-4000-8000-00000000a004"),
				),
			},
			{Config: registeredConfig(e), PlanOnly: true},
			{
				// Revoked outside Terraform: the resource leaves state, and
				// the plan says it cannot be created again.
				PreConfig: func() {
					if err := admin.DeleteUserMethod(ctx, megan.ID, "platformCredentialMethods", "6a2b9e1c-0000-4000-8000-00000000a003"); err != nil {
						t.Fatal(err)
					}
				},
				Config:      registeredConfig(e),
				PlanOnly:    true,
				ExpectError: errorLike("Graph cannot create a platform credential: the user registers their Mac with Platform SSO."),
			},
			{
				Config: providerBlock(e) + `resource "entra_microsoft_authenticator_method" "new" { user_id = "` + megan.ID + `" }` + "\n",
				ExpectError: errorLike("Graph cannot create a Microsoft Authenticator registration: the user adds their account in the Microsoft Authenticator app. " +
					"Import an existing one instead"),
			},
		},
	})
}
