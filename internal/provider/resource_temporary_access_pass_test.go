package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const passRes = "entra_temporary_access_pass.adele"

var (
	adele = emulator.SeedUsers[0]
	megan = emulator.SeedUsers[1]
	alex  = emulator.SeedUsers[2]
)

func passConfig(e *emulator.Emulator, args string) string {
	return providerBlock(e) + fmt.Sprintf(`
resource "entra_temporary_access_pass" "adele" {
  user_id = %q
%s
}
`, adele.UserPrincipalName, args)
}

// checkPassValue checks that state holds the value the user was handed.
func checkPassValue(e *emulator.Emulator) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		want := e.TemporaryAccessPassValue(adele.ID)
		got := s.RootModule().Resources[passRes].Primary.Attributes["temporary_access_pass"]
		if want == "" || got != want {
			return fmt.Errorf("state holds pass %q, the user's current pass is %q", got, want)
		}
		return nil
	}
}

func TestAccTemporaryAccessPass_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	enableTAPPolicy(t, admin, nil)
	var firstID string
	// reissued is a step where the pass vanished before the plan, which
	// therefore issues a new one.
	reissued := func(vanish func()) resource.TestStep {
		return resource.TestStep{
			PreConfig: vanish,
			Config: passConfig(e, `  lifetime_in_minutes = 60
  is_usable_once      = true`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(passRes, plancheck.ResourceActionCreate),
			}},
			Check: checkPassValue(e),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: func(*terraform.State) error {
			passes, err := admin.ListTemporaryAccessPasses(context.Background(), adele.ID)
			if err != nil || len(passes) != 0 {
				return fmt.Errorf("destroy should delete the pass: %v %v", passes, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: passConfig(e, `  lifetime_in_minutes = 120
  is_usable_once      = true`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(passRes, "user_id", adele.UserPrincipalName),
					resource.TestCheckResourceAttr(passRes, "lifetime_in_minutes", "120"),
					resource.TestCheckResourceAttr(passRes, "is_usable", "true"),
					resource.TestCheckResourceAttr(passRes, "method_usability_reason", "EnabledByPolicy"),
					resource.TestCheckResourceAttrSet(passRes, "start_date_time"),
					resource.TestCheckResourceAttrSet(passRes, "created_date_time"),
					checkPassValue(e),
					func(s *terraform.State) error { firstID = s.RootModule().Resources[passRes].Primary.ID; return nil },
				),
			},
			{
				ResourceName:            passRes,
				ImportState:             true,
				ImportStateIdFunc:       func(s *terraform.State) (string, error) { return adele.UserPrincipalName + "/" + firstID, nil },
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"temporary_access_pass"},
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if v := states[0].Attributes["temporary_access_pass"]; v != "" {
						return fmt.Errorf("an imported pass cannot know its value, got %q", v)
					}
					return nil
				},
			},
			{
				// Past its lifetime the pass is still there, no longer usable.
				PreConfig:    func() { e.Advance(121 * time.Minute) },
				RefreshState: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(passRes, "is_usable", "false"),
					resource.TestCheckResourceAttr(passRes, "method_usability_reason", "Expired"),
				),
			},
			{
				// Graph cannot change a pass: a new lifetime issues a new one.
				Config: passConfig(e, `  lifetime_in_minutes = 60
  is_usable_once      = true`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(passRes, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(passRes, "lifetime_in_minutes", "60"),
					resource.TestCheckResourceAttr(passRes, "method_usability_reason", "EnabledByPolicy"),
					checkPassValue(e),
				),
			},
			// Deleted outside Terraform: removed from state, planned again.
			reissued(func() {
				p, _ := admin.ListTemporaryAccessPasses(context.Background(), adele.ID)
				if err := admin.DeleteTemporaryAccessPass(context.Background(), adele.ID, p[0].ID); err != nil {
					t.Fatal(err)
				}
			}),
			// Replaced by a pass issued elsewhere (one pass per user).
			reissued(func() {
				if _, err := admin.CreateTemporaryAccessPass(context.Background(), adele.ID, graph.NewTemporaryAccessPass{}); err != nil {
					t.Fatal(err)
				}
			}),
		},
	})
}

// The warning a vanished pass leaves says why it vanished.
func TestTemporaryAccessPassGoneReason(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	enableTAPPolicy(t, admin, nil)
	ctx := context.Background()
	first, err := admin.CreateTemporaryAccessPass(ctx, adele.ID, graph.NewTemporaryAccessPass{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := admin.CreateTemporaryAccessPass(ctx, adele.ID, graph.NewTemporaryAccessPass{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ user, id, want string }{
		{adele.ID, first.ID, fmt.Sprintf("was replaced by another pass (%s) issued outside this resource", second.ID)},
		{megan.ID, "5d7c2f3e-0000-4000-8000-000000000001", "was deleted outside Terraform"},
		{"gone@contoso.example", "5d7c2f3e-0000-4000-8000-000000000001", "The user gone@contoso.example no longer exists"},
	}
	for _, c := range cases {
		if got := goneReason(ctx, admin, c.user, c.id); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want it to contain %q", c.user, got, c.want)
		}
	}
}

// A disabled policy only warns at plan (this apply may enable it); Graph's
// refusal then stops the apply with nothing created.
func TestAccTemporaryAccessPass_disabledPolicy(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      passConfig(e, ""),
			ExpectError: errorLike("Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass]."),
		}},
	})
}
