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

// entra_software_oath_policy and entra_hardware_oath_policy: the two method
// policies that are a state and targets only, one model over the shared
// policy life cycle (common_policy.go). Each kind says where it lives.

// oathKind is one of the two policies.
type oathKind interface {
	info() oathInfo
}

type oathInfo struct {
	policyInfo
	get      func(*graph.Client) func(context.Context) (*graph.TargetsPolicy, error)
	update   func(*graph.Client) func(context.Context, graph.TargetsPolicy, *graph.TargetsPolicy) error
	defaults func() graph.TargetsPolicy
}

type softwareOath struct{}

func (softwareOath) info() oathInfo {
	return oathInfo{
		policyInfo: policyInfo{typeName: "software_oath_policy", configID: graph.SoftwareOathID,
			schema: oathPolicySchema(graph.SoftwareOathID, "software OATH tokens",
				"The tenant's software OATH token method policy: who may register an authenticator app's time-based one-time passcodes (TOTP) as a second factor. "),
			dataDescription: "Reads the tenant's software OATH token method policy: whether it is on, and for whom."},
		get: func(c *graph.Client) func(context.Context) (*graph.TargetsPolicy, error) {
			return c.GetSoftwareOathPolicy
		},
		update: func(c *graph.Client) func(context.Context, graph.TargetsPolicy, *graph.TargetsPolicy) error {
			return c.UpdateSoftwareOathPolicy
		},
		defaults: graph.DefaultSoftwareOathPolicy,
	}
}

type hardwareOath struct{}

func (hardwareOath) info() oathInfo {
	return oathInfo{
		policyInfo: policyInfo{typeName: "hardware_oath_policy", configID: graph.HardwareOathID, beta: true,
			schema: oathPolicySchema(graph.HardwareOathID, "hardware OATH tokens",
				"**Graph beta.** The tenant's hardware OATH token method policy: who may sign in with a one-time passcode from a hardware token "+
					"(the tokens themselves are assigned to users). "),
			dataDescription: "**Graph beta.** Reads the tenant's hardware OATH token method policy: whether it is on, and for whom."},
		get: func(c *graph.Client) func(context.Context) (*graph.TargetsPolicy, error) {
			return c.GetHardwareOathPolicy
		},
		update: func(c *graph.Client) func(context.Context, graph.TargetsPolicy, *graph.TargetsPolicy) error {
			return c.UpdateHardwareOathPolicy
		},
		defaults: graph.DefaultHardwareOathPolicy,
	}
}

func oathPolicySchema(id, what, description string) schema.Schema {
	return schema.Schema{
		MarkdownDescription: description + adoptionDescription,
		Attributes: map[string]schema.Attribute{
			"id":              idAttribute(id),
			"state":           stateAttribute(what),
			"include_targets": includeTargetsAttribute(false),
			"exclude_targets": excludeTargetsAttribute(),
		},
	}
}

type oathPolicyModel[K oathKind] struct {
	ID    types.String `tfsdk:"id"`
	State types.String `tfsdk:"state"`
	policyTargets
	targetNames
}

func newSoftwareOathPolicyResource() resource.Resource {
	return &policyResource[oathPolicyModel[softwareOath], *oathPolicyModel[softwareOath]]{}
}

func newSoftwareOathPolicyDataSource() datasource.DataSource {
	return &policyDataSource[oathPolicyModel[softwareOath], *oathPolicyModel[softwareOath]]{}
}

func newHardwareOathPolicyResource() resource.Resource {
	return &policyResource[oathPolicyModel[hardwareOath], *oathPolicyModel[hardwareOath]]{}
}

func newHardwareOathPolicyDataSource() datasource.DataSource {
	return &policyDataSource[oathPolicyModel[hardwareOath], *oathPolicyModel[hardwareOath]]{}
}

func (*oathPolicyModel[K]) kind() oathInfo {
	var k K
	return k.info()
}

func (m *oathPolicyModel[K]) policy() policyInfo { return m.kind().policyInfo }

func (m *oathPolicyModel[K]) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	return readInto(ctx, m, m.kind().configID, m.kind().get(c), m.fromGraph, sp, diags)
}

func (m *oathPolicyModel[K]) write(ctx context.Context, c *graph.Client, _, from *oathPolicyModel[K], ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	patchChanges(ctx, m.kind().configID, m, from, (*oathPolicyModel[K]).graphPolicy, m.kind().update(c), diags)
	return ids
}

func (m *oathPolicyModel[K]) graphPolicy(ctx context.Context, diags *diag.Diagnostics) graph.TargetsPolicy {
	p := graph.TargetsPolicy{State: m.State.ValueString()}
	p.IncludeTargets, p.ExcludeTargets = m.toGraph(ctx, diags)
	return p
}

func (m *oathPolicyModel[K]) reset(ctx context.Context, sp spelling, diags *diag.Diagnostics) {
	defaults := m.kind().defaults()
	*m = *m.fromGraph(ctx, &defaults, sp, diags)
}

func (m *oathPolicyModel[K]) fromGraph(ctx context.Context, p *graph.TargetsPolicy, sp spelling, diags *diag.Diagnostics) *oathPolicyModel[K] {
	return &oathPolicyModel[K]{ID: types.StringValue(m.kind().configID), State: types.StringValue(p.State),
		policyTargets: policyTargetsFromGraph(ctx, p.IncludeTargets, p.ExcludeTargets, sp, diags)}
}

// validate: neither policy has rules across its arguments.
func (m *oathPolicyModel[K]) validate(context.Context, *diag.Diagnostics) {}

// adjustPlan fills the targets' unset defaults.
func (m *oathPolicyModel[K]) adjustPlan(_ context.Context, config, _ *oathPolicyModel[K]) {
	m.planTargets(config.policyTargets)
}

// weakenings: no EIDSCA control covers OATH tokens.
func (m *oathPolicyModel[K]) weakenings(context.Context, *oathPolicyModel[K]) []finding {
	return nil
}
