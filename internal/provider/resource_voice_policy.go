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

type voicePolicyModel struct {
	ID                   types.String `tfsdk:"id"`
	State                types.String `tfsdk:"state"`
	IsOfficePhoneAllowed types.Bool   `tfsdk:"is_office_phone_allowed"`
	policyTargets
	eidscaControls
	targetNames
}

var voicePolicySchema = schema.Schema{
	MarkdownDescription: "The tenant's voice call method policy: who may receive a phone call to confirm a sign-in, and whether office phones may be registered. " +
		"EIDSCA.AV01 recommends it disabled: a call is a weak second factor. " + adoptionDescription,
	Attributes: map[string]schema.Attribute{
		"id":     idAttribute(graph.VoiceID),
		"state":  stateAttribute("voice calls"),
		"eidsca": eidscaAttribute("`EIDSCA.AV01`, `state = \"disabled\"`"),
		"is_office_phone_allowed": schema.BoolAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "Whether users may register an office phone for voice calls. Unset: the tenant's value is kept (Microsoft's default is `false`).",
		},
		"include_targets": includeTargetsAttribute(false),
		"exclude_targets": excludeTargetsAttribute(),
	},
}

// entra_voice_policy: the shared policy life cycle (common_policy.go) over
// this model.
func newVoicePolicyResource() resource.Resource {
	return &policyResource[voicePolicyModel, *voicePolicyModel]{}
}

func newVoicePolicyDataSource() datasource.DataSource {
	return &policyDataSource[voicePolicyModel, *voicePolicyModel]{}
}

func (*voicePolicyModel) policy() policyInfo {
	return policyInfo{typeName: "voice_policy", configID: graph.VoiceID, schema: voicePolicySchema,
		dataDescription: "Reads the tenant's voice call method policy: whether it is on, for whom, and whether office phones may be registered."}
}

func (m *voicePolicyModel) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	return readInto(ctx, m, graph.VoiceID, c.GetVoicePolicy, voicePolicyFromGraph, sp, diags)
}

func (m *voicePolicyModel) write(ctx context.Context, c *graph.Client, _, from *voicePolicyModel, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	patchChanges(ctx, graph.VoiceID, m, from, (*voicePolicyModel).graphPolicy, c.UpdateVoicePolicy, diags)
	return ids
}

func (m *voicePolicyModel) graphPolicy(ctx context.Context, diags *diag.Diagnostics) graph.VoicePolicy {
	p := graph.VoicePolicy{State: m.State.ValueString(), IsOfficePhoneAllowed: m.IsOfficePhoneAllowed.ValueBool()}
	p.IncludeTargets, p.ExcludeTargets = m.toGraph(ctx, diags)
	return p
}

func (m *voicePolicyModel) reset(ctx context.Context, sp spelling, diags *diag.Diagnostics) {
	defaults := graph.DefaultVoicePolicy()
	*m = *voicePolicyFromGraph(ctx, &defaults, sp, diags)
}

func voicePolicyFromGraph(ctx context.Context, p *graph.VoicePolicy, sp spelling, diags *diag.Diagnostics) *voicePolicyModel {
	return &voicePolicyModel{ID: types.StringValue(graph.VoiceID), State: types.StringValue(p.State), IsOfficePhoneAllowed: types.BoolValue(p.IsOfficePhoneAllowed),
		policyTargets: policyTargetsFromGraph(ctx, p.IncludeTargets, p.ExcludeTargets, sp, diags)}
}

// validate: the voice policy has no rules across its arguments.
func (m *voicePolicyModel) validate(context.Context, *diag.Diagnostics) {}

// adjustPlan fills the targets' unset defaults.
func (m *voicePolicyModel) adjustPlan(_ context.Context, config, _ *voicePolicyModel) {
	m.planTargets(config.policyTargets)
}

func (m *voicePolicyModel) controls(context.Context) []control {
	return []control{stringControl("AV01", m.State, "disabled")}
}

// weakenings warns where the plan turns voice calls on (EIDSCA.AV01).
func (m *voicePolicyModel) weakenings(_ context.Context, prior *voicePolicyModel) []finding {
	if m.State.ValueString() != "enabled" || (prior != nil && prior.State.ValueString() == "enabled") {
		return nil
	}
	return []finding{{"EIDSCA.AV01", `state = "disabled"`,
		"state = \"enabled\" lets targeted users confirm sign-ins with a phone call: a weak second factor, open to SIM swap and call forwarding."}}
}
