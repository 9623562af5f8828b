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

// vaultProvider stands in for HashiCorp Vault, the secret store the
// examples hand a pass to: its vault_kv_secret_v2 takes the pass through a
// write-only argument and records what it received, so a test can see the
// value arrive. It is not a model of Graph, only of the receiving end.
type vaultProvider struct{}

var handoffs sync.Map // secret name -> data_json_wo received

func (vaultProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "vault"
}
func (vaultProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (vaultProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (vaultProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (vaultProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return vaultSecretResource{} }}
}

var _ provider.Provider = vaultProvider{}

type vaultSecretResource struct{}

func (vaultSecretResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "vault_kv_secret_v2"
}

func (vaultSecretResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"mount":                schema.StringAttribute{Required: true},
		"name":                 schema.StringAttribute{Required: true},
		"data_json_wo":         schema.StringAttribute{Required: true, WriteOnly: true, Sensitive: true},
		"data_json_wo_version": schema.Int64Attribute{Optional: true},
	}}
}

func (vaultSecretResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var name, data types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("name"), &name)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("data_json_wo"), &data)...)
	handoffs.Store(name.ValueString(), data.ValueString())
	resp.State.Raw = req.Plan.Raw
}
func (vaultSecretResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}
func (vaultSecretResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {
}
func (vaultSecretResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// withVault adds the Vault stand-in to the provider factories.
var withVault = map[string]func() (tfprotov6.ProviderServer, error){
	"entra": testProviders["entra"],
	"vault": providerserver.NewProtocol6WithError(vaultProvider{}),
}

// handedOver returns the pass the named secret received.
func handedOver(name string) string {
	got, _ := handoffs.Load(name)
	var data struct {
		Pass string `json:"temporary_access_pass"`
	}
	_ = json.Unmarshal([]byte(fmt.Sprint(got)), &data)
	return data.Pass
}

// stateHoldsNone fails when the state file's content holds any of values.
func stateHoldsNone(values func() []string) tfresource.TestCheckFunc {
	return func(s *terraform.State) error {
		raw, err := json.Marshal(s)
		if err != nil {
			return err
		}
		for _, v := range values() {
			if strings.Contains(string(raw), v) {
				return fmt.Errorf("a secret value is in the state")
			}
		}
		return nil
	}
}

// ephemeralPassConfig is an ephemeral pass for Megan handed to Vault, with
// more appended.
func ephemeralPassConfig(e *emulator.Emulator, issue, more string) string {
	return providerBlock(e) + fmt.Sprintf(`
ephemeral "entra_temporary_access_pass" "megan" {
  user_id             = %q
  lifetime_in_minutes = 60
  issue               = %s
%s
}

resource "vault_kv_secret_v2" "megan" {
  mount        = "onboarding"
  name         = "megan"
  data_json_wo = jsonencode({ temporary_access_pass = ephemeral.entra_temporary_access_pass.megan.temporary_access_pass })
}
`, megan.ID, issue, more)
}

// The ephemeral resource hands a fresh pass to another resource's write-only
// argument; planning issues none, the apply exactly one; no pass value
// reaches the state, and none reaches a trace log of terraform and the
// provider.
func TestAccTemporaryAccessPassEphemeral_handoffWithoutSecretsInStateOrLogs(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	enableTAPPolicy(t, adminClient(t, e), nil)
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", logFile)

	config := ephemeralPassConfig(e, "terraform.applying", "") + fmt.Sprintf(`
# A managed pass too: its value is in state (sensitive) but never in logs.
resource "entra_temporary_access_pass" "adele" {
  user_id = %q
}
`, adele.ID)
	issuedFor := func(user string) int { return len(e.IssuedTemporaryAccessPasses(user)) }
	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: withVault,
		Steps: []tfresource.TestStep{
			{Config: config, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				PreConfig: func() {
					if n := issuedFor(megan.ID); n != 0 {
						t.Errorf("terraform plan issued %d passes for Megan, want none", n)
					}
				},
				Config: config,
				Check: tfresource.ComposeAggregateTestCheckFunc(
					func(*terraform.State) error {
						if want := e.TemporaryAccessPassValue(megan.ID); want == "" || handedOver("megan") != want {
							return fmt.Errorf("Vault received a pass that is not Megan's current one")
						}
						if n := issuedFor(megan.ID); n != 1 {
							return fmt.Errorf("plan and apply issued %d passes for Megan, want exactly 1", n)
						}
						return nil
					},
					stateHoldsNone(func() []string { return e.IssuedTemporaryAccessPasses(megan.ID) }),
				),
			},
		},
	})
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
	for _, v := range e.IssuedTemporaryAccessPasses() {
		if strings.Contains(string(log), v) {
			t.Errorf("a pass value appears in the TF_LOG=trace output")
		}
	}
}

// In a fresh tenant, where the TAP policy is disabled, one apply enables the
// policy and then issues the pass: the plan neither issues a pass nor fails
// on the disabled policy.
func TestAccTemporaryAccessPassEphemeral_freshTenantOneApply(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	config := ephemeralPassConfig(e, "terraform.applying", "  depends_on = [entra_temporary_access_pass_policy.this]") + `
resource "entra_temporary_access_pass_policy" "this" {
  state          = "enabled"
  is_usable_once = true
}
`
	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: withVault,
		Steps: []tfresource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				if n := len(e.IssuedTemporaryAccessPasses(megan.ID)); n != 1 {
					return fmt.Errorf("%d passes issued for Megan, want 1", n)
				}
				if handedOver("megan") != e.TemporaryAccessPassValue(megan.ID) {
					return fmt.Errorf("Vault did not receive Megan's pass")
				}
				return nil
			},
		}},
	})
}

// A literal true (or anything but terraform.applying) would issue a pass at
// every plan: it is refused before anything is read or issued.
func TestAccTemporaryAccessPassEphemeral_literalIssueRefused(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	enableTAPPolicy(t, adminClient(t, e), nil)
	tfresource.Test(t, tfresource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: withVault,
		Steps: []tfresource.TestStep{{
			Config:      ephemeralPassConfig(e, "true", ""),
			ExpectError: errorLike("issue must be terraform.applying"),
		}},
	})
	if n := len(e.IssuedTemporaryAccessPasses()); n != 0 {
		t.Fatalf("%d passes issued", n)
	}
}
