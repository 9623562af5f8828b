package provider

import (
	"bytes"
	"context"
	"encoding/base64"
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

const qrRes = "entra_qr_code_pin_method.adele"

// enableQRCodePinPolicy turns the QR code PIN policy on for everyone with
// 8-digit PINs, as an administrator would before issuing badges.
func enableQRCodePinPolicy(t *testing.T, admin *graph.Client) {
	t.Helper()
	p, err := admin.GetQRCodePinPolicy(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	p.State, p.PinLength = "enabled", 8
	if err := admin.UpdateQRCodePinPolicy(context.Background(), *p, nil); err != nil {
		t.Fatal(err)
	}
}

// qrConfig is Adele's badge; its PIN comes from the ephemeral variable
// pin (TF_VAR_pin), as it would from a secret store, so that no test log
// of the configuration holds it.
func qrConfig(e *emulator.Emulator, image, args string) string {
	return providerBlock(e) + fmt.Sprintf(`
variable "pin" {
  type      = string
  ephemeral = true
}

resource "entra_qr_code_pin_method" "adele" {
  pin_wo             = var.pin
  user_id            = %q
  qr_code_image_path = %q
%s
}
`, adele.ID, image, args)
}

// checkBadge checks the image file against the image Graph issued: the
// same bytes, a PNG, readable by its owner only.
func checkBadge(e *emulator.Emulator, image string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got, err := os.ReadFile(image)
		if err != nil {
			return err
		}
		info, _ := os.Stat(image)
		issued := e.IssuedQRCodeSecrets()
		if len(issued) == 0 || !bytes.HasPrefix(got, []byte("\x89PNG")) || base64.StdEncoding.EncodeToString(got) != issued[len(issued)-2] ||
			info.Mode().Perm() != 0o600 {
			return fmt.Errorf("%s is not the issued image (mode %v)", image, info.Mode())
		}
		return nil
	}
}

// The badge is issued with a PIN from the write-only argument and its image
// written to a file, the code's expiry changed in place, the PIN reset,
// the method imported, drift in the expiry put back, and the method
// deleted on destroy. Neither image nor PIN reaches the state or a
// TF_LOG=trace log.
func TestAccQRCodePinMethod_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	enableQRCodePinPolicy(t, admin)
	image := filepath.Join(t.TempDir(), "badges", "adele.png")
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	t.Setenv("TF_VAR_pin", "40172935")
	ctx := context.Background()
	expiry := func(want string) resource.TestCheckFunc {
		return checkTenant(func(ctx context.Context) (*graph.QRCodePinMethod, error) {
			return admin.GetQRCodePinMethod(ctx, adele.ID)
		},
			func(m *graph.QRCodePinMethod) error {
				if got := m.StandardQRCode.ExpireDateTime.Format(time.RFC3339); got != want {
					return fmt.Errorf("the QR code expires %s, want %s", got, want)
				}
				return nil
			})
	}
	pin := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := e.QRCodePin(adele.ID); got != want {
				return fmt.Errorf("the user's PIN is not the one written to pin_wo")
			}
			return nil
		}
	}
	noSecrets := stateHoldsNone(e.IssuedQRCodeSecrets)
	var badge string // the QR code's id, which a PIN reset keeps
	sameBadge := func(s *terraform.State) error {
		id := s.RootModule().Resources[qrRes].Primary.Attributes["qr_code_id"]
		if badge == "" {
			badge = id
		}
		if id == "" || id != badge {
			return fmt.Errorf("the QR code changed from %q to %q", badge, id)
		}
		return nil
	}
	start := "2026-12-01T08:00:00Z"
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: func(*terraform.State) error {
			if _, err := admin.GetQRCodePinMethod(ctx, adele.ID); !graph.IsNotFound(err) {
				return fmt.Errorf("destroy left the method: %v", err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// The expiry defaults to the policy's lifetime, 365 days.
				Config: qrConfig(e, image, fmt.Sprintf("  start_date_time = %q", start)),
				Check: resource.ComposeAggregateTestCheckFunc(checkBadge(e, image), pin("40172935"), noSecrets, expiry("2027-12-01T08:00:00Z"), sameBadge,
					resource.TestCheckResourceAttr(qrRes, "expire_date_time", "2027-12-01T08:00:00Z"),
					resource.TestCheckNoResourceAttr(qrRes, "pin_wo")),
			},
			{
				Config:           qrConfig(e, image, fmt.Sprintf("  start_date_time = %q\n  expire_date_time = \"2027-06-30T17:00:00Z\"", start)),
				ConfigPlanChecks: expectUpdate(qrRes, expectPlanned(qrRes, "expire_date_time", "2027-06-30T17:00:00Z")),
				Check:            resource.ComposeAggregateTestCheckFunc(expiry("2027-06-30T17:00:00Z"), pin("40172935")),
			},
			{
				// The user forgot the PIN: a new one, and the badge stays.
				PreConfig: func() { t.Setenv("TF_VAR_pin", "55550000") },
				Config:    qrConfig(e, image, fmt.Sprintf("  start_date_time = %q\n  expire_date_time = \"2027-06-30T17:00:00Z\"\n  pin_wo_version = 2", start)),
				Check:     resource.ComposeAggregateTestCheckFunc(pin("55550000"), noSecrets, sameBadge),
			},
			{ResourceName: qrRes, ImportState: true, ImportStateVerify: true, ImportStateId: adele.UserPrincipalName,
				ImportStateVerifyIgnore: []string{"user_id", "pin_wo", "pin_wo_version", "qr_code_image_path"}},
			{
				PreConfig: func() {
					if err := admin.UpdateQRCodeExpiry(ctx, adele.ID, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
						t.Fatal(err)
					}
				},
				Config:           qrConfig(e, image, fmt.Sprintf("  start_date_time = %q\n  expire_date_time = \"2027-06-30T17:00:00Z\"\n  pin_wo_version = 2", start)),
				ConfigPlanChecks: expectUpdate(qrRes),
				Check:            expiry("2027-06-30T17:00:00Z"),
			},
		},
	})
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "wrote the QR code image") {
		t.Error("the trace log lacks the provider's record of the image: TF_LOG=trace did not capture the run")
	}
	for _, v := range e.IssuedQRCodeSecrets() {
		if i := strings.Index(string(log), v); i >= 0 {
			t.Errorf("a QR image or PIN appears in the TF_LOG=trace output: %s", string(log)[max(i-300, 0):i])
		}
	}
}

// The create's answer, which alone holds the image, is lost after Graph
// made the method: the provider deletes that method and makes it again,
// so the badge file holds a working code; the tenant holds one method.
func TestAccQRCodePinMethod_lostCreateAnswer(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	enableQRCodePinPolicy(t, adminClient(t, e))
	e.Inject(emulator.Fault{Method: "PUT", PathContains: "qrCodePinMethod", Action: "reset-after", Times: 1})
	image := filepath.Join(t.TempDir(), "adele.png")
	t.Setenv("TF_VAR_pin", "40172935")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: qrConfig(e, image, ""),
			Check: resource.ComposeAggregateTestCheckFunc(checkBadge(e, image), func(*terraform.State) error {
				if n := len(e.IssuedQRCodeSecrets()); n != 4 {
					return fmt.Errorf("the emulator issued %d secrets, want two images and two PINs", n)
				}
				return nil
			}),
		}},
	})
}

// A tenant that makes reset PINs itself: the apply says so, and state
// still records the reset.
func TestAccQRCodePinMethod_generatedResetPin(t *testing.T) {
	e := startEmulator(t, emulator.Options{GeneratedResetPins: true})
	enableQRCodePinPolicy(t, adminClient(t, e))
	image := filepath.Join(t.TempDir(), "adele.png")
	t.Setenv("TF_VAR_pin", "40172935")
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{Config: qrConfig(e, image, "")},
			{
				PreConfig:   func() { t.Setenv("TF_VAR_pin", "55550000") },
				Config:      qrConfig(e, image, "  pin_wo_version = 2"),
				ExpectError: errorLike("Graph reset the PIN of " + adele.ID + " to one it generated instead of pin_wo."),
			},
			{Config: qrConfig(e, image, "  pin_wo_version = 2"), PlanOnly: true},
		},
	})
}

// The plan a reviewer reads, and the apply's output, name the badge's PIN
// as write-only and never show it.
func TestAccQRCodePinMethod_cliOutputHoldsNoPin(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	enableQRCodePinPolicy(t, adminClient(t, e))
	useEmulator(t, e)
	t.Setenv("TF_VAR_pin", "40172935")
	cli := newTerraformCLI(t, map[string]string{"main.tf": qrConfig(e, filepath.Join(t.TempDir(), "adele.png"), "")})
	plan, err := cli.run("plan", "-no-color", "-input=false")
	if err != nil || !strings.Contains(plan, "pin_wo") || !strings.Contains(plan, "write-only") {
		t.Fatalf("terraform plan should show pin_wo as write-only: %v\n%s", err, plan)
	}
	apply, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve")
	if err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, apply)
	}
	for _, v := range e.IssuedQRCodeSecrets() {
		if strings.Contains(plan, v) || strings.Contains(apply, v) {
			t.Error("a QR image or PIN appears in the plan or apply output")
		}
	}
}
