package provider

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

type methodsPolicyModel struct {
	ID                   types.String `tfsdk:"id"`
	PolicyMigrationState types.String `tfsdk:"policy_migration_state"`
	ReconfirmationInDays types.Int64  `tfsdk:"reconfirmation_in_days"`
	RegistrationCampaign types.Object `tfsdk:"registration_campaign"`
	// Graph beta only.
	ReportSuspiciousActivity    types.Object `tfsdk:"report_suspicious_activity"`
	SystemCredentialPreferences types.Object `tfsdk:"system_credential_preferences"`
	eidscaControls
	targetNames
}

type reportModel struct {
	State              types.String `tfsdk:"state"`
	IncludeTargetID    types.String `tfsdk:"include_target_id"`
	IncludeTargetType  types.String `tfsdk:"include_target_type"`
	VoiceReportingCode types.Int64  `tfsdk:"voice_reporting_code"`
}

type campaignModel struct {
	State                types.String `tfsdk:"state"`
	SnoozeDurationInDays types.Int64  `tfsdk:"snooze_duration_in_days"`
	IncludeTargets       types.Set    `tfsdk:"include_targets"`
	ExcludeTargets       types.Set    `tfsdk:"exclude_targets"`
}

type campaignTargetModel struct {
	ID                           types.String `tfsdk:"id"`
	TargetType                   types.String `tfsdk:"target_type"`
	TargetedAuthenticationMethod types.String `tfsdk:"targeted_authentication_method"`
}

var (
	reportAttrs = map[string]attr.Type{"state": types.StringType, "include_target_id": types.StringType, "include_target_type": types.StringType,
		"voice_reporting_code": types.Int64Type}
	systemCredentialAttrs = map[string]attr.Type{"state": types.StringType,
		"include_targets": types.SetType{ElemType: types.ObjectType{AttrTypes: excludeTargetAttrs}},
		"exclude_targets": types.SetType{ElemType: types.ObjectType{AttrTypes: excludeTargetAttrs}}}
	campaignTargetAttrs = map[string]attr.Type{"id": types.StringType, "target_type": types.StringType, "targeted_authentication_method": types.StringType}
	campaignAttrs       = map[string]attr.Type{"state": types.StringType, "snooze_duration_in_days": types.Int64Type,
		"include_targets": types.SetType{ElemType: types.ObjectType{AttrTypes: campaignTargetAttrs}},
		"exclude_targets": types.SetType{ElemType: types.ObjectType{AttrTypes: excludeTargetAttrs}}}
)

var methodsPolicySchema = schema.Schema{
	MarkdownDescription: "The tenant's authentication methods policy itself: the registration campaign that asks users to register a method at sign-in " +
		"(Microsoft Authenticator, or passkeys where the tenant allows it), and the migration from the legacy MFA and SSPR policies (EIDSCA.AG01). " +
		"The policy always exists: creating this resource adopts it, changing only what the configuration writes (the plan lists each value it replaces); " +
		"Graph cannot reset it, so destroying the resource leaves the tenant as it is.",
	Attributes: map[string]schema.Attribute{
		"id": idAttribute(graph.MethodsPolicyID),
		"eidsca": eidscaAttribute("`EIDSCA.AG01`, `policy_migration_state = \"migrationComplete\"`; " +
			"`EIDSCA.AG02` and `AG03`, `report_suspicious_activity` `enabled` for `all_users`"),
		"policy_migration_state": schema.StringAttribute{Optional: true, Computed: true,
			MarkdownDescription: "`preMigration`, `migrationInProgress` or `migrationComplete` (EIDSCA.AG01 recommends it: the legacy MFA and SSPR policies are then ignored). " +
				"A complete migration cannot be undone. Unset: the tenant's value is kept.",
			Validators: []validator.String{stringvalidator.OneOf("preMigration", "migrationInProgress", "migrationComplete")}},
		"reconfirmation_in_days": schema.Int64Attribute{Optional: true, Computed: true, Validators: []validator.Int64{int64validator.AtLeast(0)},
			MarkdownDescription: "How often, in days, users are asked to reconfirm their methods; `0` never. Unset: the tenant's value is kept."},
		"registration_campaign": schema.SingleNestedAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "The registration campaign (registration enforcement). Unset: the tenant's campaign is kept.",
			Attributes: map[string]schema.Attribute{
				"state": schema.StringAttribute{Required: true, MarkdownDescription: "`enabled`, `disabled`, or `default` (Microsoft's choice).",
					Validators: []validator.String{stringvalidator.OneOf("default", "enabled", "disabled")}},
				"snooze_duration_in_days": schema.Int64Attribute{Optional: true, Computed: true, Validators: []validator.Int64{int64validator.Between(0, 14)},
					MarkdownDescription: "How many days a user may postpone registering, 0 to 14; `0` asks at every sign-in with MFA. Default `1`."},
				"include_targets": schema.SetNestedAttribute{Optional: true, Computed: true, Validators: []validator.Set{setvalidator.SizeAtLeast(1)},
					MarkdownDescription: "Who is asked, and to register what. Default: `all_users`, Microsoft Authenticator.",
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"id":          targetIDAttribute(),
						"target_type": targetTypeAttribute(),
						"targeted_authentication_method": schema.StringAttribute{Optional: true, Computed: true,
							MarkdownDescription: "`microsoftAuthenticator` (default) or `fido2` (passkeys; Microsoft added it in 2026, and a tenant without it refuses it). " +
								"Any case is accepted (Graph's reference also spells it `Fido2`) and kept as written.",
							Validators: []validator.String{stringvalidator.OneOfCaseInsensitive("microsoftAuthenticator", "fido2")}},
					}}},
				"exclude_targets": schema.SetNestedAttribute{Optional: true, Computed: true,
					MarkdownDescription: "Who is never asked; an exclusion wins over an inclusion. Default: none.",
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
						"id": targetIDAttribute(), "target_type": targetTypeAttribute()}}},
			},
		},
		"report_suspicious_activity": schema.SingleNestedAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "**Graph beta.** Whether users may report an MFA prompt they did not expect, which marks them high risk (EIDSCA.AG02 and AG03 recommend `enabled` for `all_users`). " +
				"Unset: the tenant's setting is kept.",
			Attributes: map[string]schema.Attribute{
				"state": schema.StringAttribute{Required: true, MarkdownDescription: "`enabled`, `disabled`, or `default` (Microsoft's choice).",
					Validators: []validator.String{stringvalidator.OneOf("default", "enabled", "disabled")}},
				"include_target_id": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{validators.TargetID()},
					MarkdownDescription: "The group (or user) who may report, or `all_users`. Default `all_users`."},
				"include_target_type": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{stringvalidator.OneOf("group", "user")},
					MarkdownDescription: "`group` (default) or `user`."},
				"voice_reporting_code": schema.Int64Attribute{Optional: true, Computed: true, Validators: []validator.Int64{int64validator.Between(0, 9)},
					MarkdownDescription: "The digit a user presses to report a voice call, 0 to 9. Default `0`."},
			},
		},
		"system_credential_preferences": schema.SingleNestedAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "**Graph beta.** Whether sign-in asks for the most secure method a user has registered first (system-preferred MFA). Unset: the tenant's setting is kept.",
			Attributes: map[string]schema.Attribute{
				"state": schema.StringAttribute{Required: true, MarkdownDescription: "`enabled`, `disabled`, or `default` (Microsoft's choice).",
					Validators: []validator.String{stringvalidator.OneOf("default", "enabled", "disabled")}},
				"include_targets": schema.SetNestedAttribute{Optional: true, Computed: true, MarkdownDescription: "Who it applies to. Default `all_users`.",
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{"id": targetIDAttribute(), "target_type": targetTypeAttribute()}}},
				"exclude_targets": schema.SetNestedAttribute{Optional: true, Computed: true, MarkdownDescription: "Who it does not apply to. Default: none.",
					NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{"id": targetIDAttribute(), "target_type": targetTypeAttribute()}}},
			},
		},
	},
}

// entra_authentication_methods_policy: the shared policy life cycle
// (common_policy.go) over this model; Graph has no reset for it.
func newMethodsPolicyResource() resource.Resource {
	return &policyResource[methodsPolicyModel, *methodsPolicyModel]{}
}

func newMethodsPolicyDataSource() datasource.DataSource {
	return &policyDataSource[methodsPolicyModel, *methodsPolicyModel]{}
}

func (*methodsPolicyModel) policy() policyInfo {
	return policyInfo{typeName: "authentication_methods_policy", configID: graph.MethodsPolicyID, schema: methodsPolicySchema, keptOnDestroy: true,
		dataDescription: "Reads the tenant's authentication methods policy: its registration campaign, and how far its migration from the legacy MFA and SSPR policies has come."}
}

// read reads the v1.0 policy and its beta part.
func (m *methodsPolicyModel) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	if !readInto(ctx, m, graph.MethodsPolicyID, c.GetMethodsPolicy, methodsPolicyFromGraph, sp, diags) {
		return false
	}
	b, err := c.GetMethodsPolicyBeta(ctx)
	if err != nil {
		graphError(diags, "reading the "+graph.MethodsPolicyID+" policy's beta settings", err)
		return false
	}
	m.setBeta(ctx, b, sp, diags)
	return true
}

func (m *methodsPolicyModel) setBeta(ctx context.Context, b *graph.MethodsPolicyBeta, sp spelling, diags *diag.Diagnostics) {
	r := b.ReportSuspiciousActivitySettings
	m.ReportSuspiciousActivity = types.ObjectValueMust(reportAttrs, map[string]attr.Value{"state": types.StringValue(r.State),
		"include_target_id": types.StringValue(sp.of(r.IncludeTarget.ID)), "include_target_type": types.StringValue(r.IncludeTarget.TargetType),
		"voice_reporting_code": types.Int64Value(r.VoiceReportingCode)})
	targets := func(ts []graph.FeatureTarget) types.Set {
		ex := make([]graph.ExcludeTarget, len(ts))
		for i, t := range ts {
			ex[i] = graph.ExcludeTarget(t)
		}
		return excludeTargetsFromGraph(ctx, ex, sp, diags)
	}
	s := b.SystemCredentialPreferences
	m.SystemCredentialPreferences = types.ObjectValueMust(systemCredentialAttrs, map[string]attr.Value{"state": types.StringValue(s.State),
		"include_targets": targets(s.IncludeTargets), "exclude_targets": targets(s.ExcludeTargets)})
}

func (m *methodsPolicyModel) write(ctx context.Context, c *graph.Client, _, from *methodsPolicyModel, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	p, was := m.toGraph(ctx, diags), from.toGraph(ctx, diags)
	beta, wasBeta := m.betaToGraph(ctx, diags), from.betaToGraph(ctx, diags)
	if diags.HasError() {
		return ids
	}
	err := c.UpdateMethodsPolicy(ctx, p, &was)
	if err == nil {
		err = c.UpdateMethodsPolicyBeta(ctx, beta, &wasBeta)
	}
	if err != nil && strings.Contains(err.Error(), "targetedAuthenticationMethod") {
		diags.AddAttributeError(path.Root("registration_campaign").AtName("include_targets"), "The tenant's registration campaign refuses the targeted method",
			"Graph refused registration_campaign.include_targets: "+err.Error()+"\nThis tenant does not offer passkeys (fido2) to its registration campaign yet: target microsoftAuthenticator, or apply again once Microsoft enables it.")
		return ids
	}
	patchOf(graph.MethodsPolicyID, err, diags)
	return ids
}

// reset: Graph has no reset for the root policy (keptOnDestroy).
func (m *methodsPolicyModel) reset(context.Context, spelling, *diag.Diagnostics) {}

func (m *methodsPolicyModel) toGraph(ctx context.Context, diags *diag.Diagnostics) graph.MethodsPolicy {
	p := graph.MethodsPolicy{PolicyMigrationState: m.PolicyMigrationState.ValueString(), ReconfirmationInDays: m.ReconfirmationInDays.ValueInt64()}
	var c campaignModel
	diags.Append(m.RegistrationCampaign.As(ctx, &c, objectAsOptions)...)
	campaign := graph.RegistrationCampaign{State: c.State.ValueString(), SnoozeDurationInDays: c.SnoozeDurationInDays.ValueInt64(),
		IncludeTargets: []graph.CampaignTarget{}, ExcludeTargets: excludeTargetsToGraph(ctx, c.ExcludeTargets, diags)}
	for _, t := range objectsOf[campaignTargetModel](ctx, c.IncludeTargets, diags) {
		campaign.IncludeTargets = append(campaign.IncludeTargets, graph.CampaignTarget{ID: t.ID.ValueString(), TargetType: t.TargetType.ValueString(),
			TargetedAuthenticationMethod: t.TargetedAuthenticationMethod.ValueString()})
	}
	p.RegistrationEnforcement.AuthenticationMethodsRegistrationCampaign = campaign
	return p
}

func (m *methodsPolicyModel) betaToGraph(ctx context.Context, diags *diag.Diagnostics) graph.MethodsPolicyBeta {
	var b graph.MethodsPolicyBeta
	var r reportModel
	diags.Append(m.ReportSuspiciousActivity.As(ctx, &r, objectAsOptions)...)
	b.ReportSuspiciousActivitySettings = graph.ReportSuspiciousActivity{State: r.State.ValueString(), VoiceReportingCode: r.VoiceReportingCode.ValueInt64(),
		IncludeTarget: graph.FeatureTarget{ID: r.IncludeTargetID.ValueString(), TargetType: r.IncludeTargetType.ValueString()}}
	attrs := m.SystemCredentialPreferences.Attributes()
	targets := func(name string) []graph.FeatureTarget {
		out := []graph.FeatureTarget{}
		if set, ok := attrs[name].(types.Set); ok {
			for _, t := range excludeTargetsToGraph(ctx, set, diags) {
				out = append(out, graph.FeatureTarget(t))
			}
		}
		return out
	}
	state, _ := attrs["state"].(types.String)
	b.SystemCredentialPreferences = graph.SystemCredentialPreferences{State: state.ValueString(), IncludeTargets: targets("include_targets"), ExcludeTargets: targets("exclude_targets")}
	return b
}

func methodsPolicyFromGraph(ctx context.Context, p *graph.MethodsPolicy, sp spelling, diags *diag.Diagnostics) *methodsPolicyModel {
	c := p.RegistrationEnforcement.AuthenticationMethodsRegistrationCampaign
	include := make([]campaignTargetModel, len(c.IncludeTargets))
	for i, t := range c.IncludeTargets {
		include[i] = campaignTargetModel{ID: types.StringValue(sp.of(t.ID)), TargetType: types.StringValue(t.TargetType),
			TargetedAuthenticationMethod: types.StringValue(sp.of(t.TargetedAuthenticationMethod))}
	}
	campaign, d := types.ObjectValue(campaignAttrs, map[string]attr.Value{
		"state": types.StringValue(c.State), "snooze_duration_in_days": types.Int64Value(c.SnoozeDurationInDays),
		"include_targets": objectSet(ctx, campaignTargetAttrs, include, diags), "exclude_targets": excludeTargetsFromGraph(ctx, c.ExcludeTargets, sp, diags),
	})
	diags.Append(d...)
	return &methodsPolicyModel{ID: types.StringValue(graph.MethodsPolicyID), PolicyMigrationState: types.StringValue(p.PolicyMigrationState),
		ReconfirmationInDays: types.Int64Value(p.ReconfirmationInDays), RegistrationCampaign: campaign,
		ReportSuspiciousActivity: types.ObjectNull(reportAttrs), SystemCredentialPreferences: types.ObjectNull(systemCredentialAttrs)}
}

func (m *methodsPolicyModel) guids(ctx context.Context) []string {
	var diags diag.Diagnostics
	c := m.toGraph(ctx, &diags).RegistrationEnforcement.AuthenticationMethodsRegistrationCampaign
	out := targetGUIDs(nil, c.ExcludeTargets)
	for _, t := range c.IncludeTargets {
		out = append(out, t.ID, t.TargetedAuthenticationMethod) // the method's case too
	}
	return out
}

// validate: the root policy has no rules across its arguments (Graph's
// refusal to undo a complete migration is reported by the apply).
func (m *methodsPolicyModel) validate(context.Context, *diag.Diagnostics) {}

// adjustPlan fills a written campaign's defaults: a day's snooze, every
// user asked to register Microsoft Authenticator, no exclusion.
func (m *methodsPolicyModel) adjustPlan(_ context.Context, config, _ *methodsPolicyModel) {
	m.planBeta(config)
	if config.RegistrationCampaign.IsNull() || config.RegistrationCampaign.IsUnknown() {
		return
	}
	attrs := map[string]attr.Value{}
	for k, v := range config.RegistrationCampaign.Attributes() {
		attrs[k] = v
	}
	orDefault(attrs, "snooze_duration_in_days", types.Int64Value(1))
	allUsers := types.ObjectValueMust(campaignTargetAttrs, map[string]attr.Value{"id": types.StringValue("all_users"),
		"target_type": types.StringValue("group"), "targeted_authentication_method": types.StringValue("microsoftAuthenticator")})
	orDefault(attrs, "include_targets", types.SetValueMust(types.ObjectType{AttrTypes: campaignTargetAttrs}, []attr.Value{allUsers}))
	orDefault(attrs, "exclude_targets", types.SetValueMust(types.ObjectType{AttrTypes: excludeTargetAttrs}, []attr.Value{}))
	attrs["include_targets"] = mapElements(attrs["include_targets"].(types.Set), func(t map[string]attr.Value) {
		orDefault(t, "target_type", types.StringValue("group"))
		orDefault(t, "targeted_authentication_method", types.StringValue("microsoftAuthenticator"))
	})
	attrs["exclude_targets"] = targetDefaults(attrs["exclude_targets"].(types.Set))
	m.RegistrationCampaign = types.ObjectValueMust(campaignAttrs, attrs)
}

// planBeta fills the written beta settings' defaults: for all_users, no
// exclusion, reporting by pressing 0.
func (m *methodsPolicyModel) planBeta(config *methodsPolicyModel) {
	allUsers := types.ObjectValueMust(excludeTargetAttrs, map[string]attr.Value{"id": types.StringValue("all_users"), "target_type": types.StringValue("group")})
	if c := config.ReportSuspiciousActivity; !c.IsNull() && !c.IsUnknown() {
		attrs := maps.Clone(c.Attributes())
		orDefault(attrs, "include_target_id", types.StringValue("all_users"))
		orDefault(attrs, "include_target_type", types.StringValue("group"))
		orDefault(attrs, "voice_reporting_code", types.Int64Value(0))
		m.ReportSuspiciousActivity = types.ObjectValueMust(reportAttrs, attrs)
	}
	if c := config.SystemCredentialPreferences; !c.IsNull() && !c.IsUnknown() {
		attrs := maps.Clone(c.Attributes())
		orDefault(attrs, "include_targets", types.SetValueMust(types.ObjectType{AttrTypes: excludeTargetAttrs}, []attr.Value{allUsers}))
		orDefault(attrs, "exclude_targets", types.SetValueMust(types.ObjectType{AttrTypes: excludeTargetAttrs}, []attr.Value{}))
		attrs["include_targets"] = targetDefaults(attrs["include_targets"].(types.Set))
		attrs["exclude_targets"] = targetDefaults(attrs["exclude_targets"].(types.Set))
		m.SystemCredentialPreferences = types.ObjectValueMust(systemCredentialAttrs, attrs)
	}
}

func (m *methodsPolicyModel) controls(ctx context.Context) []control {
	report := reportModel{State: types.StringUnknown(), IncludeTargetID: types.StringUnknown()}
	if got := objectOf[reportModel](ctx, m.ReportSuspiciousActivity); got != nil || m.ReportSuspiciousActivity.IsNull() {
		report = *cmp.Or(got, &reportModel{})
	}
	return []control{stringControl("AG01", m.PolicyMigrationState, "migrationComplete"),
		stringControl("AG02", report.State, "enabled"), stringControl("AG03", report.IncludeTargetID, "all_users")}
}

// weakenings warns where the plan leaves the tenant on the legacy MFA and
// SSPR policies (EIDSCA.AG01) or turns a running campaign off.
func (m *methodsPolicyModel) weakenings(ctx context.Context, prior *methodsPolicyModel) []finding {
	var out []finding
	if s := m.PolicyMigrationState; known(s) && s.ValueString() != "migrationComplete" && (prior == nil || prior.PolicyMigrationState.ValueString() != s.ValueString()) {
		out = append(out, finding{"EIDSCA.AG01", `policy_migration_state = "migrationComplete"`,
			"policy_migration_state = " + `"` + s.ValueString() + `"` + ": the legacy MFA and SSPR policies still decide which methods users may use, beside this policy."})
	}
	campaignState := func(p *methodsPolicyModel) string {
		if p == nil || p.RegistrationCampaign.IsNull() || p.RegistrationCampaign.IsUnknown() {
			return ""
		}
		var c campaignModel
		var diags diag.Diagnostics
		diags.Append(p.RegistrationCampaign.As(ctx, &c, objectAsOptions)...)
		return c.State.ValueString()
	}
	if r := objectOf[reportModel](ctx, m.ReportSuspiciousActivity); r != nil {
		var was *reportModel
		if prior != nil {
			was = objectOf[reportModel](ctx, prior.ReportSuspiciousActivity)
		}
		switch {
		case r.State.ValueString() != "enabled" && (was == nil || was.State.ValueString() == "enabled"):
			out = append(out, finding{"EIDSCA.AG02", `report_suspicious_activity.state = "enabled"`,
				fmt.Sprintf("report_suspicious_activity.state = %q: users cannot report an MFA prompt they did not cause, so the attempt goes unnoticed.", r.State.ValueString())})
		case r.State.ValueString() == "enabled" && r.IncludeTargetID.ValueString() != "all_users" && (was == nil || was.IncludeTargetID.ValueString() != r.IncludeTargetID.ValueString()):
			out = append(out, finding{"EIDSCA.AG03", `report_suspicious_activity.include_target_id = "all_users"`,
				fmt.Sprintf("report_suspicious_activity applies to %s only: other users cannot report a prompt they did not cause.", r.IncludeTargetID.ValueString())})
		}
	}
	if campaignState(prior) == "enabled" && campaignState(m) == "disabled" {
		out = append(out, finding{"", `registration_campaign.state = "enabled"`,
			"registration_campaign.state = \"disabled\" stops asking users without a strong method to register one."})
	}
	return out
}
