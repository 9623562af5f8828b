package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

const (
	tokenRes = "entra_hardware_oath_token.t1"
	// tokenSeed is the token's seed from the vendor's file; it reaches
	// the configuration through the ephemeral variable seed.
	tokenSeed = "6PJ4UKIW33NNXYZAEHQNFUFTZF7WFTFB"
)

// enableHardwareOathPolicy turns the hardware OATH policy on for everyone.
func enableHardwareOathPolicy(t *testing.T, admin *graph.Client) {
	t.Helper()
	if err := admin.UpdateHardwareOathPolicy(context.Background(), graph.TargetsPolicy{
		State: "enabled", IncludeTargets: []graph.Target{{ID: "all_users", TargetType: "group"}}, ExcludeTargets: []graph.ExcludeTarget{},
	}, nil); err != nil {
		t.Fatal(err)
	}
}

func tokenConfig(e *emulator.Emulator, args string) string {
	return providerBlock(e) + fmt.Sprintf(`
variable "seed" {
  type      = string
  ephemeral = true
}

resource "entra_hardware_oath_token" "t1" {
  serial_number = "TOTP123456"
  manufacturer  = "Contoso"
  model         = "Hardware Token 1000"
  secret_key_wo = var.seed
%s
}
`, args)
}

// checkToken checks the token in the tenant: its holder and status.
func checkToken(admin *graph.Client, holder, status string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		t, err := admin.FindOathToken(context.Background(), "TOTP123456")
		got := ""
		if t != nil && t.AssignedTo != nil {
			got = t.AssignedTo.ID
		}
		if err != nil || t == nil || got != holder || t.Status != status {
			return fmt.Errorf("tenant holds %+v (%v), want assigned to %q and %s", t, err, holder, status)
		}
		return nil
	}
}

// A token is added, assigned to Adele and activated in one apply (the
// provider computes the code from the seed), renamed in place, moved to
// Megan (activated again), imported by its serial number, assigned and
// activated again after being taken back outside Terraform, and removed
// from the inventory on destroy. The seed is in neither state nor a
// TF_LOG=trace log.
func TestAccHardwareOathToken_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	enableHardwareOathPolicy(t, admin)
	t.Setenv("TF_VAR_seed", tokenSeed)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	defer func() {
		log, err := os.ReadFile(logFile)
		if err != nil || !strings.Contains(string(log), "activated a hardware OATH token") {
			t.Errorf("the trace log lacks the provider's record of the activation: TF_LOG=trace did not capture the run (%v)", err)
		}
		if strings.Contains(string(log), tokenSeed) {
			t.Error("the seed appears in the TF_LOG=trace output")
		}
	}()
	ctx := context.Background()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: func(*terraform.State) error {
			if all, err := admin.ListOathTokens(ctx); err != nil || len(all) != 0 {
				return fmt.Errorf("destroy left %+v, %v", all, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: tokenConfig(e, fmt.Sprintf("  user_id = %q", adele.UserPrincipalName)),
				Check: resource.ComposeAggregateTestCheckFunc(checkToken(admin, adele.ID, "activated"),
					resource.TestCheckResourceAttr(tokenRes, "status", "activated"),
					resource.TestCheckResourceAttr(tokenRes, "user_id", adele.UserPrincipalName),
					resource.TestCheckNoResourceAttr(tokenRes, "secret_key_wo"),
					stateHoldsNone(func() []string { return []string{tokenSeed} })),
			},
			{
				Config:           tokenConfig(e, fmt.Sprintf("  user_id = %q\n  display_name = \"Adele's token\"", adele.UserPrincipalName)),
				ConfigPlanChecks: expectUpdate(tokenRes, expectPlanned(tokenRes, "display_name", "Adele's token")),
			},
			{
				Config:           tokenConfig(e, fmt.Sprintf("  user_id = %q\n  display_name = \"Megan's token\"", megan.ID)),
				ConfigPlanChecks: expectUpdate(tokenRes),
				Check:            checkToken(admin, megan.ID, "activated"),
			},
			{ResourceName: tokenRes, ImportState: true, ImportStateVerify: true, ImportStateId: "TOTP123456", ImportStateVerifyIgnore: []string{"secret_key_wo"}},
			{
				// Taken back outside Terraform: assigned and activated again.
				PreConfig: func() {
					methods, err := admin.ListOathMethods(ctx, megan.ID)
					if err != nil || len(methods) != 1 {
						t.Fatalf("Megan's tokens: %+v, %v", methods, err)
					}
					if err := admin.UnassignOathToken(ctx, megan.ID, methods[0].ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:           tokenConfig(e, fmt.Sprintf("  user_id = %q\n  display_name = \"Megan's token\"", megan.ID)),
				ConfigPlanChecks: expectUpdate(tokenRes),
				Check:            checkToken(admin, megan.ID, "activated"),
			},
			{
				// Assigned but not activated: the plan activates it.
				PreConfig: func() {
					methods, _ := admin.ListOathMethods(ctx, megan.ID)
					token, _ := admin.FindOathToken(ctx, "TOTP123456")
					if err := admin.UnassignOathToken(ctx, megan.ID, methods[0].ID); err != nil {
						t.Fatal(err)
					}
					if _, err := admin.AssignOathToken(ctx, megan.ID, token.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:           tokenConfig(e, fmt.Sprintf("  user_id = %q\n  display_name = \"Megan's token\"", megan.ID)),
				ConfigPlanChecks: expectUpdate(tokenRes),
				Check:            checkToken(admin, megan.ID, "activated"),
			},
		},
	})
}

// The machine's clock is off by more than a step (here the tenant's runs
// ten minutes ahead): Graph refuses the code, the apply says what to check,
// and the token is recorded as failedActivation, to be activated by the
// next apply once the clocks agree.
func TestAccHardwareOathToken_clockSkewFailsActivation(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	enableHardwareOathPolicy(t, admin)
	t.Setenv("TF_VAR_seed", tokenSeed)
	e.Advance(10 * time.Minute)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      tokenConfig(e, fmt.Sprintf("  user_id = %q", adele.ID)),
			ExpectError: errorLike("Graph refused the code computed from secret_key_wo. Check the secret, time_interval_in_seconds and hash_function against the vendor's file, and this machine's clock"),
		}, {
			PreConfig: func() { e.Advance(-10 * time.Minute) },
			Config:    tokenConfig(e, fmt.Sprintf("  user_id = %q", adele.ID)),
			Check:     checkToken(admin, adele.ID, "activated"),
		}},
	})
}

// A token someone assigned to Megan outside this configuration is not taken
// from her by a configuration that names Adele: the plan refuses and says
// how to proceed; naming Megan keeps it with her.
func TestAccHardwareOathToken_heldByAnotherUser(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	enableHardwareOathPolicy(t, admin)
	t.Setenv("TF_VAR_seed", tokenSeed)
	if _, err := admin.CreateOathToken(context.Background(), graph.OathToken{SerialNumber: "TOTP123456", Manufacturer: "Contoso", Model: "Hardware Token 1000",
		SecretKey: tokenSeed, TimeIntervalInSeconds: 30, AssignTo: &graph.IdentityRef{ID: megan.ID}}); err != nil {
		t.Fatal(err)
	}
	importBlock := "\nimport {\n  to = entra_hardware_oath_token.t1\n  id = \"TOTP123456\"\n}\n"
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config:      tokenConfig(e, fmt.Sprintf("  user_id = %q\n  activate = false", adele.ID)) + importBlock,
				ExpectError: errorLike(fmt.Sprintf("Token TOTP123456 is assigned to %s, by someone other than this configuration; this plan would take it from them", megan.ID)),
			},
			{
				Config: tokenConfig(e, fmt.Sprintf("  user_id = %q\n  activate = false", megan.ID)) + importBlock,
				Check:  checkToken(admin, megan.ID, "assigned"),
			},
		},
	})
}

// The answer to adding the token is lost after Graph added it: the
// provider finds it by its serial number and goes on to assign and
// activate it, instead of failing on a second add of the same serial.
func TestAccHardwareOathToken_lostCreateAnswer(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	enableHardwareOathPolicy(t, admin)
	t.Setenv("TF_VAR_seed", tokenSeed)
	e.Inject(emulator.Fault{Method: "POST", PathContains: "hardwareOathDevices", Action: "reset-after", Times: 1})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: tokenConfig(e, fmt.Sprintf("  user_id = %q", adele.ID)),
			Check:  checkToken(admin, adele.ID, "activated"),
		}},
	})
}
