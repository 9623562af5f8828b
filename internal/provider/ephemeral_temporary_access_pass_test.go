package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

// onboardProvider stands in for an onboarding system: its onboard_handoff
// resource takes a pass through a write-only argument and records what it
// received, so the test can see the value arrive.
type onboardProvider struct{}

var handoffs sync.Map // user -> value received

func (onboardProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "onboard"
}
func (onboardProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (onboardProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (onboardProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (onboardProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return handoffResource{} }}
}

var _ provider.Provider = onboardProvider{}

type handoffResource struct{}

func (handoffResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "onboard_handoff"
}

func (handoffResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"user":      schema.StringAttribute{Required: true},
		"secret_wo": schema.StringAttribute{Required: true, WriteOnly: true, Sensitive: true},
	}}
}

func (handoffResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var user, secret types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("user"), &user)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("secret_wo"), &secret)...)
	handoffs.Store(user.ValueString(), secret.ValueString())
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user"), user)...)
}
func (handoffResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse)       {}
func (handoffResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (handoffResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// stateHoldsNone fails when the state file's content holds any of values.
func stateHoldsNone(values func() []string) tfresource.TestCheckFunc {
	return func(s *terraform.State) error {
		raw, err := json.Marshal(s)
		if err != nil {
			return err
		}
		for _, v := range values() {
			if strings.Contains(string(raw), v) {
				return fmt.Errorf("a pass value is in the state")
			}
		}
		return nil
	}
}

// The ephemeral resource hands a fresh pass to another resource's write-only
// argument; no pass value reaches the state, and none reaches a trace log of
// terraform and the provider.
func TestAccTemporaryAccessPassEphemeral_handoffWithoutSecretsInStateOrLogs(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	enableTAPPolicy(t, adminClient(t, e), nil)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", logFile)

	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"entra":   testProviders["entra"],
		"onboard": providerserver.NewProtocol6WithError(onboardProvider{}),
	}
	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: factories,
		Steps: []tfresource.TestStep{{
			Config: providerBlock(e) + fmt.Sprintf(`
ephemeral "entra_temporary_access_pass" "megan" {
  user_id             = %q
  lifetime_in_minutes = 60
}

resource "onboard_handoff" "megan" {
  user      = "megan"
  secret_wo = ephemeral.entra_temporary_access_pass.megan.temporary_access_pass
}

# A managed pass too: its value is in state (sensitive) but never in logs.
resource "entra_temporary_access_pass" "adele" {
  user_id = %q
}
`, megan.ID, adele.ID),
			Check: tfresource.ComposeAggregateTestCheckFunc(
				func(*terraform.State) error {
					got, _ := handoffs.Load("megan")
					if want := e.TemporaryAccessPassValue(megan.ID); want == "" || got != want {
						return fmt.Errorf("the onboarding system received %q, Megan's current pass is %q", got, want)
					}
					return nil
				},
				stateHoldsNone(func() []string {
					// Every pass issued for Megan (at plan and at apply).
					var megans []string
					for _, v := range e.IssuedTemporaryAccessPasses() {
						if v != e.TemporaryAccessPassValue(adele.ID) {
							megans = append(megans, v)
						}
					}
					return megans
				}),
			),
		}},
	})
	issued := e.IssuedTemporaryAccessPasses()
	if len(issued) < 3 {
		t.Fatalf("want passes issued at plan and apply for Megan and one for Adele, got %d", len(issued))
	}
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// Terraform's own trace and the provider's (sdk.framework, and the
	// provider's own record of each pass it issued).
	for _, marker := range []string{"ApplyResourceChange", "OpenEphemeralResource", "sdk.framework", "issued a Temporary Access Pass"} {
		if !strings.Contains(string(log), marker) {
			t.Errorf("the trace log lacks %q: TF_LOG=trace did not capture the run", marker)
		}
	}
	for _, v := range issued {
		if strings.Contains(string(log), v) {
			t.Errorf("a pass value appears in the TF_LOG=trace output")
		}
	}
}
