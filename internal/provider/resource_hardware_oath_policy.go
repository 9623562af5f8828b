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

type hardwareOathPolicyModel struct {
	ID    types.String `tfsdk:"id"`
	State types.String `tfsdk:"state"`
	policyTargets
}

var hardwareOathPolicySchema = schema.Schema{
	MarkdownDescription: "**Graph beta.** The tenant's hardware OATH token method policy: who may sign in with a one-time passcode from a hardware token " +
		"(the tokens themselves are assigned to users). " + adoptionDescription,
	Attributes: map[string]schema.Attribute{
		"id":              idAttribute(graph.HardwareOathID),
		"state":           stateAttribute("hardware OATH tokens"),
		"include_targets": includeTargetsAttribute(false),
		"exclude_targets": excludeTargetsAttribute(),
	},
}

// entra_hardware_oath_policy: the shared policy life cycle
// (common_policy.go) over this model, through Graph beta.
func newHardwareOathPolicyResource() resource.Resource {
	return &policyResource[hardwareOathPolicyModel, *hardwareOathPolicyModel]{}
}

func newHardwareOathPolicyDataSource() datasource.DataSource {
	return &policyDataSource[hardwareOathPolicyModel, *hardwareOathPolicyModel]{}
}

func (*hardwareOathPolicyModel) policy() policyInfo {
	return policyInfo{typeName: "hardware_oath_policy", configID: graph.HardwareOathID, schema: hardwareOathPolicySchema, beta: true,
		dataDescription: "**Graph beta.** Reads the tenant's hardware OATH token method policy: whether it is on, and for whom."}
}

func (m *hardwareOathPolicyModel) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	return readInto(ctx, m, graph.HardwareOathID, c.GetHardwareOathPolicy, hardwareOathPolicyFromGraph, sp, diags)
}

func (m *hardwareOathPolicyModel) write(ctx context.Context, c *graph.Client, _ *hardwareOathPolicyModel, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	p := graph.HardwareOathPolicy{State: m.State.ValueString()}
	p.IncludeTargets, p.ExcludeTargets = m.toGraph(ctx, diags)
	if !diags.HasError() {
		patchOf(graph.HardwareOathID, c.UpdateHardwareOathPolicy(ctx, p), diags)
	}
	return ids
}

func (m *hardwareOathPolicyModel) reset(ctx context.Context, sp spelling, diags *diag.Diagnostics) {
	defaults := graph.DefaultHardwareOathPolicy()
	*m = *hardwareOathPolicyFromGraph(ctx, &defaults, sp, diags)
}

func hardwareOathPolicyFromGraph(ctx context.Context, p *graph.HardwareOathPolicy, sp spelling, diags *diag.Diagnostics) *hardwareOathPolicyModel {
	return &hardwareOathPolicyModel{ID: types.StringValue(graph.HardwareOathID), State: types.StringValue(p.State),
		policyTargets: policyTargetsFromGraph(ctx, p.IncludeTargets, p.ExcludeTargets, sp, diags)}
}

// validate: the hardware OATH policy has no rules across its arguments.
func (m *hardwareOathPolicyModel) validate(context.Context, *diag.Diagnostics) {}

// adjustPlan fills the targets' unset defaults.
func (m *hardwareOathPolicyModel) adjustPlan(_ context.Context, config, _ *hardwareOathPolicyModel) {
	m.planTargets(config.policyTargets)
}

// weakenings: no EIDSCA control covers hardware OATH tokens.
func (m *hardwareOathPolicyModel) weakenings(context.Context, *hardwareOathPolicyModel) []finding {
	return nil
}
