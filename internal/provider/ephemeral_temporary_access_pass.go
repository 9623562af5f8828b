package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	eschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// temporaryAccessPassEphemeral issues a pass whose value goes to another
// resource's write-only argument or a provider's configuration without ever
// being written to a plan or state file.
//
// Terraform opens ephemeral resources while planning as well as applying, and
// tells neither to the provider. So the configuration says it: `issue` takes
// terraform.applying, which is false during validation and plan and true
// during apply, and a pass is issued only when it is true.
//
// Terraform also opens it in applies that change nothing, and in
// `apply -refresh-only`, and it keeps no state to tell those from the apply
// meant to issue. So the tenant is its memory: it issues a pass only for a
// user who holds none, and replaces a pass the user holds, usable or not,
// only when the configuration says replace_existing_pass = true. A pass to
// issue exactly once, whatever the user holds, is the managed resource's.
type temporaryAccessPassEphemeral struct {
	client *graph.Client
	data   *providerData
}

type tapEphemeralModel struct {
	tapModel
	Issue           types.Bool `tfsdk:"issue"`
	ReplaceExisting types.Bool `tfsdk:"replace_existing_pass"`
}

var (
	_ ephemeral.EphemeralResourceWithConfigure      = (*temporaryAccessPassEphemeral)(nil)
	_ ephemeral.EphemeralResourceWithValidateConfig = (*temporaryAccessPassEphemeral)(nil)
)

func newTemporaryAccessPassEphemeral() ephemeral.EphemeralResource {
	return &temporaryAccessPassEphemeral{}
}

func (e *temporaryAccessPassEphemeral) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_temporary_access_pass"
}

func (e *temporaryAccessPassEphemeral) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	attrs := ephemeralAttributes(tapAttributes(false))
	attrs["issue"] = eschema.BoolAttribute{Required: true,
		MarkdownDescription: "Always `terraform.applying`. A pass is issued only when this is true, that is during `terraform apply`: " +
			"Terraform opens ephemeral resources while planning too, and a plan must not replace the pass a user holds. " +
			"While planning every computed attribute is null. A literal `true`, or a value not known while Terraform validates (a variable), is refused."}
	attrs["replace_existing_pass"] = eschema.BoolAttribute{Optional: true,
		MarkdownDescription: "Whether to replace a pass the user already holds, usable or not. Default `false`: the apply then issues nothing, " +
			"`temporary_access_pass` is null and the other attributes describe the user's pass, so an apply that changes nothing, or " +
			"`terraform apply -refresh-only`, never takes away the pass a user was given. Set it for the one apply that should replace that pass."}
	resp.Schema = eschema.Schema{
		MarkdownDescription: "Issues a Temporary Access Pass for a user during `terraform apply` and hands its value on without writing it to plan or state files. " +
			"Use it to give the pass to an onboarding system through a write-only argument. " +
			"Set `issue = terraform.applying`: planning issues nothing, and an apply issues a pass only for a user who holds none " +
			"(a new pass replaces the user's previous one, so that takes `replace_existing_pass = true`). Requires Terraform 1.11 or later (write-only arguments).",
		Attributes: attrs,
	}
}

func (e *temporaryAccessPassEphemeral) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	if e.data = configureData(req.ProviderData, &resp.Diagnostics); e.data != nil {
		e.client = e.data.graph
	}
}

// ValidateConfig refuses an `issue` that is true while Terraform validates.
// Validation runs before every plan, with the provider not yet configured,
// and terraform.applying is never true then: a value that is, is a literal or
// a variable, and would issue a pass each time someone plans.
func (e *temporaryAccessPassEphemeral) ValidateConfig(ctx context.Context, req ephemeral.ValidateConfigRequest, resp *ephemeral.ValidateConfigResponse) {
	var issue types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("issue"), &issue)...)
	switch {
	case e.client != nil:
	case issue.IsUnknown():
		resp.Diagnostics.AddAttributeError(path.Root("issue"), "issue must be terraform.applying",
			"issue is not known while Terraform validates the configuration (a variable or another object's value), so nothing tells "+
				"that a plan would not issue a Temporary Access Pass, replacing the pass the user holds. Write issue = terraform.applying.")
	case issue.ValueBool():
		resp.Diagnostics.AddAttributeError(path.Root("issue"), "issue must be terraform.applying",
			"issue is true while Terraform validates the configuration, so this ephemeral resource would issue a Temporary Access Pass "+
				"every time someone runs terraform plan, replacing the pass the user holds. Write issue = terraform.applying.")
	}
}

func (e *temporaryAccessPassEphemeral) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m tapEphemeralModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !m.Issue.ValueBool() {
		// Planning: nothing is issued, and a disabled policy is not refused
		// (this apply may enable it), but a user the policy leaves out is:
		// the policy this run plans (when the pass depends on it), else the
		// tenant's. The result stays null.
		if !resp.Diagnostics.HasError() && e.data != nil && known(m.UserID) {
			if pol, err := e.data.tapPolicyForChecks(ctx); err == nil {
				checkTargeted(ctx, e.client, m.UserID.ValueString(), pol,
					"the Temporary Access Pass policy (entra_temporary_access_pass_policy)", &resp.Diagnostics)
			}
		}
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
		}
		return
	}
	if !m.ReplaceExisting.ValueBool() {
		held, err := e.client.ListTemporaryAccessPasses(ctx, m.UserID.ValueString())
		if err != nil {
			graphError(&resp.Diagnostics, "reading the Temporary Access Passes of "+m.UserID.ValueString(), err)
			return
		}
		if len(held) > 0 {
			m.tapMetadata.fill(&held[0])
			resp.Diagnostics.AddWarning("No Temporary Access Pass issued: the user holds one",
				fmt.Sprintf("%s holds a Temporary Access Pass (%s, %s), so none was issued and temporary_access_pass is null: "+
					"a new pass would replace the one the user was given. Set replace_existing_pass = true for the apply that should replace it.",
					m.UserID.ValueString(), held[0].ID, usability(&held[0])))
			resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
			return
		}
	}
	checkAgainstPolicy(ctx, e.data, &m.tapMetadata, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	issue(ctx, e.client, &m.tapModel, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
	}
}

// usability says whether a pass is usable, in Graph's words.
func usability(p *graph.TemporaryAccessPass) string {
	if p.IsUsable {
		return "usable"
	}
	return "not usable: " + p.MethodUsabilityReason
}
