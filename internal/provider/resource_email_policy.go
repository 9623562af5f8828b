package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

type emailPolicyModel struct {
	ID                           types.String `tfsdk:"id"`
	State                        types.String `tfsdk:"state"`
	AllowExternalIDToUseEmailOtp types.String `tfsdk:"allow_external_id_to_use_email_otp"`
	policyTargets
	targetNames
}

var emailPolicySchema = func() schema.Schema {
	include := includeTargetsAttribute(false)
	// Graph's own example holds no include target: email one-time passcodes
	// then serve external users and self-service password reset only.
	include.Validators = nil
	include.MarkdownDescription = "Groups (or users) of the tenant who may use email one-time passcodes; `[]` for none. " +
		"Unset: the tenant's targets are kept (Microsoft's default is none)."
	return schema.Schema{
		MarkdownDescription: "The tenant's email one-time passcode method policy: which members may receive a passcode by email " +
			"(for self-service password reset), and whether external (B2B) users may sign in with one. " + adoptionDescription,
		Attributes: map[string]schema.Attribute{
			"id":    idAttribute(graph.EmailID),
			"state": stateAttribute("email one-time passcodes"),
			"allow_external_id_to_use_email_otp": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "Whether external users may authenticate with an email one-time passcode: `enabled`, `disabled`, or `default` (Microsoft's choice, enabled). " +
					"Unset: the tenant's value is kept (Microsoft's default is `default`).",
				Validators: []validator.String{stringvalidator.OneOf("default", "enabled", "disabled")},
			},
			"include_targets": include,
			"exclude_targets": excludeTargetsAttribute(),
		},
	}
}()

// entra_email_policy: the shared policy life cycle (common_policy.go) over
// this model.
func newEmailPolicyResource() resource.Resource {
	return &policyResource[emailPolicyModel, *emailPolicyModel]{}
}

func newEmailPolicyDataSource() datasource.DataSource {
	return &policyDataSource[emailPolicyModel, *emailPolicyModel]{}
}

func (*emailPolicyModel) policy() policyInfo {
	return policyInfo{typeName: "email_policy", configID: graph.EmailID, schema: emailPolicySchema,
		dataDescription: "Reads the tenant's email one-time passcode method policy: whether it is on, for whom, and for external users."}
}

func (m *emailPolicyModel) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	return readInto(ctx, m, graph.EmailID, c.GetEmailPolicy, emailPolicyFromGraph, sp, diags)
}

func (m *emailPolicyModel) write(ctx context.Context, c *graph.Client, _, from *emailPolicyModel, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	patchChanges(ctx, graph.EmailID, m, from, (*emailPolicyModel).graphPolicy, c.UpdateEmailPolicy, diags)
	return ids
}

func (m *emailPolicyModel) graphPolicy(ctx context.Context, diags *diag.Diagnostics) graph.EmailPolicy {
	p := graph.EmailPolicy{State: m.State.ValueString(), AllowExternalIDToUseEmailOtp: m.AllowExternalIDToUseEmailOtp.ValueString()}
	p.IncludeTargets, p.ExcludeTargets = m.toGraph(ctx, diags)
	return p
}

func (m *emailPolicyModel) reset(ctx context.Context, sp spelling, diags *diag.Diagnostics) {
	defaults := graph.DefaultEmailPolicy()
	*m = *emailPolicyFromGraph(ctx, &defaults, sp, diags)
}

func emailPolicyFromGraph(ctx context.Context, p *graph.EmailPolicy, sp spelling, diags *diag.Diagnostics) *emailPolicyModel {
	return &emailPolicyModel{ID: types.StringValue(graph.EmailID), State: types.StringValue(p.State),
		AllowExternalIDToUseEmailOtp: types.StringValue(p.AllowExternalIDToUseEmailOtp),
		policyTargets:                policyTargetsFromGraph(ctx, p.IncludeTargets, p.ExcludeTargets, sp, diags)}
}

// validate: the email policy has no rules across its arguments.
func (m *emailPolicyModel) validate(context.Context, *diag.Diagnostics) {}

// adjustPlan fills the targets' unset defaults.
func (m *emailPolicyModel) adjustPlan(_ context.Context, config, _ *emailPolicyModel) {
	m.planTargets(config.policyTargets)
}

// weakenings: no EIDSCA control covers email one-time passcodes.
func (m *emailPolicyModel) weakenings(context.Context, *emailPolicyModel) []finding { return nil }
