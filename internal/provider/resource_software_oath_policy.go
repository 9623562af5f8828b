package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

type softwareOathPolicyModel struct {
	ID    types.String `tfsdk:"id"`
	State types.String `tfsdk:"state"`
	policyTargets
}

var softwareOathPolicySchema = schema.Schema{
	MarkdownDescription: "The tenant's software OATH token method policy: who may register an authenticator app's time-based one-time passcodes (TOTP) as a second factor. " +
		adoptionDescription,
	Attributes: map[string]schema.Attribute{
		"id":              idAttribute(graph.SoftwareOathID),
		"state":           stateAttribute("software OATH tokens"),
		"include_targets": includeTargetsAttribute(false),
		"exclude_targets": excludeTargetsAttribute(),
	},
}

// entra_software_oath_policy: the shared policy life cycle
// (common_policy.go) over this model.
func newSoftwareOathPolicyResource() resource.Resource {
	return &policyResource[softwareOathPolicyModel, *softwareOathPolicyModel]{}
}

func newSoftwareOathPolicyDataSource() datasource.DataSource {
	return &policyDataSource[softwareOathPolicyModel, *softwareOathPolicyModel]{}
}

func (*softwareOathPolicyModel) policy() policyInfo {
	return policyInfo{typeName: "software_oath_policy", configID: graph.SoftwareOathID, schema: softwareOathPolicySchema,
		dataDescription: "Reads the tenant's software OATH token method policy: whether it is on, and for whom."}
}

func (m *softwareOathPolicyModel) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	return readInto(ctx, m, graph.SoftwareOathID, c.GetSoftwareOathPolicy, softwareOathPolicyFromGraph, sp, diags)
}

func (m *softwareOathPolicyModel) write(ctx context.Context, c *graph.Client, _ *softwareOathPolicyModel, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	p := graph.SoftwareOathPolicy{State: m.State.ValueString()}
	p.IncludeTargets, p.ExcludeTargets = m.toGraph(ctx, diags)
	if !diags.HasError() {
		patchOf(graph.SoftwareOathID, c.UpdateSoftwareOathPolicy(ctx, p), diags)
	}
	return ids
}

func (m *softwareOathPolicyModel) reset(ctx context.Context, sp spelling, diags *diag.Diagnostics) {
	defaults := graph.DefaultSoftwareOathPolicy()
	*m = *softwareOathPolicyFromGraph(ctx, &defaults, sp, diags)
}

func softwareOathPolicyFromGraph(ctx context.Context, p *graph.SoftwareOathPolicy, sp spelling, diags *diag.Diagnostics) *softwareOathPolicyModel {
	return &softwareOathPolicyModel{ID: types.StringValue(graph.SoftwareOathID), State: types.StringValue(p.State),
		policyTargets: policyTargetsFromGraph(ctx, p.IncludeTargets, p.ExcludeTargets, sp, diags)}
}

// validate: the software OATH policy has no rules across its arguments.
func (m *softwareOathPolicyModel) validate(context.Context, *diag.Diagnostics) {}

// adjustPlan fills the targets' unset defaults.
func (m *softwareOathPolicyModel) adjustPlan(_ context.Context, config, _ *softwareOathPolicyModel) {
	m.planTargets(config.policyTargets)
}

// weakenings: no EIDSCA control covers software OATH tokens.
func (m *softwareOathPolicyModel) weakenings(context.Context, *softwareOathPolicyModel) []finding {
	return nil
}
