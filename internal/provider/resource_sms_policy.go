package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

type smsPolicyModel struct {
	ID             types.String `tfsdk:"id"`
	State          types.String `tfsdk:"state"`
	IncludeTargets types.Set    `tfsdk:"include_targets"`
	ExcludeTargets types.Set    `tfsdk:"exclude_targets"`
	eidscaControls
	targetNames
}

type smsTargetModel struct {
	ID                types.String `tfsdk:"id"`
	TargetType        types.String `tfsdk:"target_type"`
	IsUsableForSignIn types.Bool   `tfsdk:"is_usable_for_sign_in"`
}

var smsTargetAttrs = map[string]attr.Type{"id": types.StringType, "target_type": types.StringType, "is_usable_for_sign_in": types.BoolType}

var smsPolicySchema = schema.Schema{
	MarkdownDescription: "The tenant's text message (SMS) method policy: who may receive a code by text message, and whether the code may replace a password at sign-in. " +
		"A passwordless rollout usually turns it off, or at least its use for sign-in (EIDSCA.AS04). " + adoptionDescription,
	Attributes: map[string]schema.Attribute{
		"id":     idAttribute(graph.SmsID),
		"state":  stateAttribute("text message codes"),
		"eidsca": eidscaAttribute("`EIDSCA.AS04`, `is_usable_for_sign_in = false` for every target"),
		"include_targets": schema.SetNestedAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "Groups (or users) the method is enabled for. Unset: the tenant's targets are kept (Microsoft's default is `all_users`, usable for sign-in).",
			Validators:          []validator.Set{setvalidator.SizeAtLeast(1)},
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":          targetIDAttribute(),
				"target_type": targetTypeAttribute(),
				"is_usable_for_sign_in": schema.BoolAttribute{
					Optional: true, Computed: true,
					MarkdownDescription: "Whether these users may sign in with a text message code instead of a password (EIDSCA.AS04 recommends `false`). Default `false`.",
				},
			}},
		},
		"exclude_targets": excludeTargetsAttribute(),
	},
}

// entra_sms_policy: the shared policy life cycle (common_policy.go) over
// this model.
func newSmsPolicyResource() resource.Resource {
	return &policyResource[smsPolicyModel, *smsPolicyModel]{}
}

func newSmsPolicyDataSource() datasource.DataSource {
	return &policyDataSource[smsPolicyModel, *smsPolicyModel]{}
}

func (*smsPolicyModel) policy() policyInfo {
	return policyInfo{typeName: "sms_policy", configID: graph.SmsID, schema: smsPolicySchema,
		dataDescription: "Reads the tenant's text message (SMS) method policy: whether it is on, for whom, and whether its codes may be used to sign in."}
}

func (m *smsPolicyModel) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	return readInto(ctx, m, graph.SmsID, c.GetSmsPolicy, smsPolicyFromGraph, sp, diags)
}

func (m *smsPolicyModel) write(ctx context.Context, c *graph.Client, _, from *smsPolicyModel, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	patchChanges(ctx, graph.SmsID, m, from, (*smsPolicyModel).toGraph, c.UpdateSmsPolicy, diags)
	return ids
}

func (m *smsPolicyModel) toGraph(ctx context.Context, diags *diag.Diagnostics) graph.SmsPolicy {
	include := []graph.SmsTarget{}
	for _, t := range objectsOf[smsTargetModel](ctx, m.IncludeTargets, diags) {
		include = append(include, graph.SmsTarget{ID: t.ID.ValueString(), TargetType: t.TargetType.ValueString(), IsUsableForSignIn: t.IsUsableForSignIn.ValueBool()})
	}
	return graph.SmsPolicy{State: m.State.ValueString(), IncludeTargets: include, ExcludeTargets: excludeTargetsToGraph(ctx, m.ExcludeTargets, diags)}
}

func (m *smsPolicyModel) reset(ctx context.Context, sp spelling, diags *diag.Diagnostics) {
	defaults := graph.DefaultSmsPolicy()
	*m = *smsPolicyFromGraph(ctx, &defaults, sp, diags)
}

func smsPolicyFromGraph(ctx context.Context, p *graph.SmsPolicy, sp spelling, diags *diag.Diagnostics) *smsPolicyModel {
	include := make([]smsTargetModel, len(p.IncludeTargets))
	for i, t := range p.IncludeTargets {
		include[i] = smsTargetModel{ID: types.StringValue(sp.of(t.ID)), TargetType: types.StringValue(t.TargetType), IsUsableForSignIn: types.BoolValue(t.IsUsableForSignIn)}
	}
	return &smsPolicyModel{
		ID: types.StringValue(graph.SmsID), State: types.StringValue(p.State),
		IncludeTargets: objectSet(ctx, smsTargetAttrs, include, diags), ExcludeTargets: excludeTargetsFromGraph(ctx, p.ExcludeTargets, sp, diags),
	}
}

func (m *smsPolicyModel) guids(ctx context.Context) []string {
	var diags diag.Diagnostics
	p := m.toGraph(ctx, &diags)
	out := targetGUIDs(nil, p.ExcludeTargets)
	for _, t := range p.IncludeTargets {
		out = append(out, t.ID)
	}
	return out
}

// validate: the SMS policy has no rules across its arguments.
func (m *smsPolicyModel) validate(context.Context, *diag.Diagnostics) {}

// adjustPlan fills the targets' unset defaults: a group target, not usable
// for sign-in.
func (m *smsPolicyModel) adjustPlan(_ context.Context, config, _ *smsPolicyModel) {
	m.IncludeTargets = mapElements(fromConfig(config.IncludeTargets, m.IncludeTargets), func(attrs map[string]attr.Value) {
		orDefault(attrs, "target_type", types.StringValue("group"))
		orDefault(attrs, "is_usable_for_sign_in", types.BoolValue(false))
	})
	m.ExcludeTargets = targetDefaults(fromConfig(config.ExcludeTargets, m.ExcludeTargets))
}

func (m *smsPolicyModel) controls(ctx context.Context) []control {
	met := true
	var diags diag.Diagnostics
	for _, t := range objectsOf[smsTargetModel](ctx, m.IncludeTargets, &diags) {
		met = met && !t.IsUsableForSignIn.ValueBool()
	}
	return []control{{id: "EIDSCA.AS04", met: met, known: fullyKnown(ctx, m.IncludeTargets)}}
}

// weakenings warns where the plan lets text message codes sign users in
// (EIDSCA.AS04) where they could not.
func (m *smsPolicyModel) weakenings(ctx context.Context, prior *smsPolicyModel) []finding {
	if now := m.controls(ctx)[0]; !now.known || now.met || (prior != nil && !prior.controls(ctx)[0].met) {
		return nil
	}
	return []finding{{"EIDSCA.AS04", "is_usable_for_sign_in = false",
		"is_usable_for_sign_in = true lets users sign in with a text message code instead of a password: a phishable factor standing alone."}}
}
