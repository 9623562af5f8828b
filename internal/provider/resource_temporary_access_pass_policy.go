package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Lifetimes in minutes (graph-behaviour.md#temporary-access-pass-policy).
const (
	minLifetime = 10
	maxLifetime = 43200
	// eightHours is where a pass's lifetime stops being "a working day" and
	// becomes a long-lived credential worth a reviewer's attention.
	eightHours = 480
)

type tapPolicyModel struct {
	ID                       types.String `tfsdk:"id"`
	State                    types.String `tfsdk:"state"`
	DefaultLength            types.Int64  `tfsdk:"default_length"`
	DefaultLifetimeInMinutes types.Int64  `tfsdk:"default_lifetime_in_minutes"`
	MinimumLifetimeInMinutes types.Int64  `tfsdk:"minimum_lifetime_in_minutes"`
	MaximumLifetimeInMinutes types.Int64  `tfsdk:"maximum_lifetime_in_minutes"`
	IsUsableOnce             types.Bool   `tfsdk:"is_usable_once"`
	IncludeTargets           types.Set    `tfsdk:"include_targets"`
	ExcludeTargets           types.Set    `tfsdk:"exclude_targets"`
	eidscaControls
	targetNames
}

func lifetimeAttribute(desc string, def int64) schema.Int64Attribute {
	return schema.Int64Attribute{
		Optional: true, Computed: true,
		MarkdownDescription: fmt.Sprintf("%s, in minutes, from %d to %d (30 days). Unset: the tenant's value is kept (Microsoft's default is `%d`).", desc, minLifetime, maxLifetime, def),
		Validators:          []validator.Int64{int64validator.Between(minLifetime, maxLifetime)},
	}
}

// entra_temporary_access_pass_policy: the shared policy life cycle
// (common_policy.go) over this model.
func newTemporaryAccessPassPolicyResource() resource.Resource {
	return &policyResource[tapPolicyModel, *tapPolicyModel]{}
}

func newTemporaryAccessPassPolicyDataSource() datasource.DataSource {
	return &policyDataSource[tapPolicyModel, *tapPolicyModel]{}
}

func (*tapPolicyModel) policy() policyInfo {
	return policyInfo{typeName: "temporary_access_pass_policy", configID: graph.TemporaryAccessPassID, schema: tapPolicySchema,
		dataDescription: "Reads the tenant's Temporary Access Pass (TAP) method policy: whether passes may be issued, their lifetimes and length, and who may use them."}
}

var tapPolicySchema = schema.Schema{
	MarkdownDescription: "The tenant's Temporary Access Pass (TAP) method policy: who may sign in with a TAP and which passes may be issued. " +
		adoptionDescription,
	Attributes: map[string]schema.Attribute{
		"id":     idAttribute(graph.TemporaryAccessPassID),
		"state":  stateAttribute("Temporary Access Passes"),
		"eidsca": eidscaAttribute("`EIDSCA.AT01`, `state = \"enabled\"`; `EIDSCA.AT02`, `is_usable_once = true`"),
		"default_length": schema.Int64Attribute{
			Optional: true, Computed: true,
			MarkdownDescription: "Length of issued passes in characters, from 8 to 48. Unset: the tenant's value is kept (Microsoft's default is `8`).",
			Validators:          []validator.Int64{int64validator.Between(8, 48)},
		},
		"default_lifetime_in_minutes": lifetimeAttribute("Lifetime of a pass issued without one; between the minimum and maximum", 60),
		"minimum_lifetime_in_minutes": lifetimeAttribute("Shortest lifetime a pass may be issued with", 60),
		"maximum_lifetime_in_minutes": lifetimeAttribute("Longest lifetime a pass may be issued with", eightHours),
		"is_usable_once": schema.BoolAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "When `true`, every pass is one-time (EIDSCA.AT02 recommends it); when `false`, each pass may choose. Unset: the tenant's value is kept (Microsoft's default is `false`).",
		},
		"include_targets": includeTargetsAttribute(false),
		"exclude_targets": excludeTargetsAttribute(),
	},
}

func (m *tapPolicyModel) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	return readInto(ctx, m, graph.TemporaryAccessPassID, c.GetTemporaryAccessPassPolicy, tapPolicyFromGraph, sp, diags)
}

func (m *tapPolicyModel) write(ctx context.Context, c *graph.Client, _, from *tapPolicyModel, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	patchChanges(ctx, graph.TemporaryAccessPassID, m, from, (*tapPolicyModel).toGraph, c.UpdateTemporaryAccessPassPolicy, diags)
	return ids
}

func (m *tapPolicyModel) reset(ctx context.Context, sp spelling, diags *diag.Diagnostics) {
	defaults := graph.DefaultTemporaryAccessPassPolicy()
	*m = *tapPolicyFromGraph(ctx, &defaults, sp, diags)
}

func (m *tapPolicyModel) guids(ctx context.Context) []string {
	var diags diag.Diagnostics
	p := m.toGraph(ctx, &diags)
	return targetGUIDs(p.IncludeTargets, p.ExcludeTargets)
}

// recordPlan records the planned policy for the checks of the passes the
// same run issues, when the plan knows what they are checked against.
func (m *tapPolicyModel) recordPlan(ctx context.Context, _ any, data *providerData) {
	if !m.State.IsUnknown() && !m.IncludeTargets.IsUnknown() && !m.ExcludeTargets.IsUnknown() &&
		!m.MinimumLifetimeInMinutes.IsUnknown() && !m.MaximumLifetimeInMinutes.IsUnknown() && !m.IsUsableOnce.IsUnknown() {
		var diags diag.Diagnostics
		if p := m.toGraph(ctx, &diags); !diags.HasError() {
			data.plannedTAP.record(&p)
		}
	}
}

// adjustPlan fills the targets' unset defaults.
func (m *tapPolicyModel) adjustPlan(_ context.Context, config, _ *tapPolicyModel) {
	m.IncludeTargets = targetDefaults(fromConfig(config.IncludeTargets, m.IncludeTargets))
	m.ExcludeTargets = targetDefaults(fromConfig(config.ExcludeTargets, m.ExcludeTargets))
}

// validate checks the cross-field rules Graph enforces, at plan time:
// minimum ≤ maximum and the default lifetime between them. Values the
// configuration leaves unset are the tenant's: they are checked once the plan
// holds them.
func (m *tapPolicyModel) validate(_ context.Context, diags *diag.Diagnostics) {
	minV, maxV, defV := m.MinimumLifetimeInMinutes, m.MaximumLifetimeInMinutes, m.DefaultLifetimeInMinutes
	if !known(minV) || !known(maxV) {
		return
	}
	if minV.ValueInt64() > maxV.ValueInt64() {
		diags.AddAttributeError(path.Root("minimum_lifetime_in_minutes"), "Invalid lifetime range",
			fmt.Sprintf("minimum_lifetime_in_minutes (%d) must not exceed maximum_lifetime_in_minutes (%d).", minV.ValueInt64(), maxV.ValueInt64()))
		return
	}
	if known(defV) && (defV.ValueInt64() < minV.ValueInt64() || defV.ValueInt64() > maxV.ValueInt64()) {
		diags.AddAttributeError(path.Root("default_lifetime_in_minutes"), "Default lifetime outside the allowed range",
			fmt.Sprintf("default_lifetime_in_minutes (%d) must be between minimum_lifetime_in_minutes (%d) and maximum_lifetime_in_minutes (%d).", defV.ValueInt64(), minV.ValueInt64(), maxV.ValueInt64()))
	}
}

func (m *tapPolicyModel) controls(context.Context) []control {
	return []control{stringControl("AT01", m.State, "enabled"), boolControl("AT02", m.IsUsableOnce, true)}
}

// weakenings warns where the plan disables the policy or lets an
// enabled one issue reusable or long-lived passes. A new resource is compared
// with the tenant it adopts (or, unread, with the strictest setting).
func (m *tapPolicyModel) weakenings(_ context.Context, prior *tapPolicyModel) []finding {
	wasEnabled := prior != nil && prior.State.ValueString() == "enabled"
	if m.State.ValueString() != "enabled" {
		return turnedOff(wasEnabled, "EIDSCA.AT01", "Temporary Access Passes off: users being onboarded cannot sign in with one to register a passkey, and passes already issued stop working.")
	}
	var out []finding
	maxNow := m.MaximumLifetimeInMinutes.ValueInt64()
	if maxNow > eightHours && (!wasEnabled || prior.MaximumLifetimeInMinutes.ValueInt64() <= eightHours) {
		out = append(out, finding{"", fmt.Sprintf("maximum_lifetime_in_minutes <= %d", eightHours),
			fmt.Sprintf("maximum_lifetime_in_minutes = %d lets a Temporary Access Pass live longer than 8 hours (%d minutes): a leaked pass stays usable that long.", maxNow, eightHours)})
	}
	if known(m.IsUsableOnce) && !m.IsUsableOnce.ValueBool() && (!wasEnabled || prior.IsUsableOnce.ValueBool()) {
		out = append(out, finding{"EIDSCA.AT02", "is_usable_once = true",
			"is_usable_once = false allows multi-use Temporary Access Passes: a pass can be used again for its whole lifetime."})
	}
	return out
}

func (m *tapPolicyModel) toGraph(ctx context.Context, diags *diag.Diagnostics) graph.TemporaryAccessPassPolicy {
	p := graph.TemporaryAccessPassPolicy{
		State:                    m.State.ValueString(),
		DefaultLength:            m.DefaultLength.ValueInt64(),
		DefaultLifetimeInMinutes: m.DefaultLifetimeInMinutes.ValueInt64(),
		MinimumLifetimeInMinutes: m.MinimumLifetimeInMinutes.ValueInt64(),
		MaximumLifetimeInMinutes: m.MaximumLifetimeInMinutes.ValueInt64(),
		IsUsableOnce:             m.IsUsableOnce.ValueBool(),
		IncludeTargets:           includeTargetsToGraph(ctx, m.IncludeTargets, diags),
		ExcludeTargets:           excludeTargetsToGraph(ctx, m.ExcludeTargets, diags),
	}
	return p
}

func tapPolicyFromGraph(ctx context.Context, p *graph.TemporaryAccessPassPolicy, sp spelling, diags *diag.Diagnostics) *tapPolicyModel {
	return &tapPolicyModel{
		ID:                       types.StringValue(graph.TemporaryAccessPassID),
		State:                    types.StringValue(p.State),
		DefaultLength:            types.Int64Value(p.DefaultLength),
		DefaultLifetimeInMinutes: types.Int64Value(p.DefaultLifetimeInMinutes),
		MinimumLifetimeInMinutes: types.Int64Value(p.MinimumLifetimeInMinutes),
		MaximumLifetimeInMinutes: types.Int64Value(p.MaximumLifetimeInMinutes),
		IsUsableOnce:             types.BoolValue(p.IsUsableOnce),
		IncludeTargets:           includeTargetsFromGraph(p.IncludeTargets, sp, false),
		ExcludeTargets:           excludeTargetsFromGraph(ctx, p.ExcludeTargets, sp, diags),
	}
}
