package provider

import (
	"cmp"
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

type authenticatorPolicyModel struct {
	ID                         types.String `tfsdk:"id"`
	State                      types.String `tfsdk:"state"`
	IsSoftwareOathEnabled      types.Bool   `tfsdk:"is_software_oath_enabled"`
	IncludeTargets             types.Set    `tfsdk:"include_targets"`
	ExcludeTargets             types.Set    `tfsdk:"exclude_targets"`
	DisplayAppInformation      types.Object `tfsdk:"display_app_information"`
	DisplayLocationInformation types.Object `tfsdk:"display_location_information"`
	// NumberMatching and CompanionApp are Graph beta's only.
	NumberMatching types.Object `tfsdk:"number_matching"`
	CompanionApp   types.Object `tfsdk:"companion_app"`
	eidscaControls
	targetNames
}

type authenticatorTargetModel struct {
	ID                 types.String `tfsdk:"id"`
	TargetType         types.String `tfsdk:"target_type"`
	AuthenticationMode types.String `tfsdk:"authentication_mode"`
}

// featureModel is one Microsoft Authenticator feature; a null exclusion is
// Graph's "none" (the all-zero id).
type featureModel struct {
	State             types.String `tfsdk:"state"`
	IncludeTargetID   types.String `tfsdk:"include_target_id"`
	IncludeTargetType types.String `tfsdk:"include_target_type"`
	ExcludeTargetID   types.String `tfsdk:"exclude_target_id"`
	ExcludeTargetType types.String `tfsdk:"exclude_target_type"`
}

var (
	authenticatorTargetAttrs = map[string]attr.Type{"id": types.StringType, "target_type": types.StringType, "authentication_mode": types.StringType}
	featureAttrs             = map[string]attr.Type{"state": types.StringType, "include_target_id": types.StringType, "include_target_type": types.StringType,
		"exclude_target_id": types.StringType, "exclude_target_type": types.StringType}
)

func featureAttribute(what, control string) schema.SingleNestedAttribute {
	featureType := []validator.String{stringvalidator.OneOf("group", "administrativeUnit", "role")}
	return schema.SingleNestedAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: fmt.Sprintf("Whether push notifications show %s (%s recommends `enabled` for `all_users`). Unset: the tenant's setting is kept.", what, control),
		Attributes: map[string]schema.Attribute{
			"state": schema.StringAttribute{Required: true, MarkdownDescription: "`enabled`, `disabled`, or `default` (Microsoft's choice).",
				Validators: []validator.String{stringvalidator.OneOf("default", "enabled", "disabled")}},
			"include_target_id": schema.StringAttribute{Optional: true, Computed: true, Validators: []validator.String{validators.TargetID()},
				MarkdownDescription: "The group (or administrative unit, or role) the feature applies to, or `all_users`. Default `all_users`."},
			"include_target_type": schema.StringAttribute{Optional: true, Computed: true, Validators: featureType,
				MarkdownDescription: "`group` (default), `administrativeUnit` or `role`."},
			"exclude_target_id": schema.StringAttribute{Optional: true, Validators: []validator.String{validators.UUID("an object id")},
				MarkdownDescription: "A group (or administrative unit, or role) the feature does not apply to. Unset: none."},
			"exclude_target_type": schema.StringAttribute{Optional: true, Computed: true, Validators: featureType,
				MarkdownDescription: "`group` (default when an exclusion is written), `administrativeUnit` or `role`."},
		},
	}
}

var authenticatorPolicySchema = schema.Schema{
	MarkdownDescription: "The tenant's Microsoft Authenticator method policy: who may approve sign-ins with push notifications or passwordless phone sign-in, " +
		"what the notifications show (the app and the location: EIDSCA.AM06, AM09), whether the app's one-time passcodes count as a method (EIDSCA.AM02), " +
		"and, through Graph beta, number matching (EIDSCA.AM03, AM04). " + adoptionDescription,
	Attributes: map[string]schema.Attribute{
		"id":    idAttribute(graph.MicrosoftAuthenticatorID),
		"state": stateAttribute("Microsoft Authenticator (EIDSCA.AM01 recommends `enabled`)"),
		"eidsca": eidscaAttribute("`EIDSCA.AM01`, `state = \"enabled\"`; `EIDSCA.AM02`, `is_software_oath_enabled = false`; " +
			"`EIDSCA.AM03` and `AM04`, `number_matching` `enabled` for `all_users`; `EIDSCA.AM06` and `AM07`, `display_app_information` the same; " +
			"`EIDSCA.AM09` and `AM10`, `display_location_information` the same"),
		"is_software_oath_enabled": schema.BoolAttribute{Optional: true, Computed: true,
			MarkdownDescription: "Whether the app's one-time passcodes may be used as a method (EIDSCA.AM02 recommends `false`). Unset: the tenant's value is kept (Microsoft's default is `false`)."},
		"include_targets": schema.SetNestedAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "Groups (or users) the method is enabled for. Unset: the tenant's targets are kept (Microsoft's default is `all_users`, any mode).",
			Validators:          []validator.Set{setvalidator.SizeAtLeast(1)},
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":          targetIDAttribute(),
				"target_type": targetTypeAttribute(),
				"authentication_mode": schema.StringAttribute{Optional: true, Computed: true,
					MarkdownDescription: "`any` (default), `push` (notifications only) or `deviceBasedPush` (passwordless phone sign-in only).",
					Validators:          []validator.String{stringvalidator.OneOf("any", "push", "deviceBasedPush")}},
			}},
		},
		"exclude_targets":              excludeTargetsAttribute(),
		"display_app_information":      featureAttribute("the name of the app being signed in to", "EIDSCA.AM06 and AM07"),
		"display_location_information": featureAttribute("the geographic location the sign-in comes from", "EIDSCA.AM09 and AM10"),
		"number_matching": func() schema.SingleNestedAttribute {
			a := featureAttribute("a number the user types into the app", "EIDSCA.AM03 and AM04")
			a.MarkdownDescription = "**Graph beta.** Number matching: the user types the number shown at sign-in into the app (EIDSCA.AM03 and AM04 recommend `enabled` for `all_users`). " +
				"Microsoft enforces it for push notifications since 2023 whatever this says; the setting is kept for the record. Unset: the tenant's setting is kept."
			return a
		}(),
		"companion_app": func() schema.SingleNestedAttribute {
			a := featureAttribute("", "")
			a.MarkdownDescription = "**Graph beta.** Microsoft Authenticator Lite: approving sign-ins from a notification in Outlook mobile. Unset: the tenant's setting is kept."
			return a
		}(),
	},
}

// entra_microsoft_authenticator_policy: the shared policy life cycle
// (common_policy.go) over this model.
func newMicrosoftAuthenticatorPolicyResource() resource.Resource {
	return &policyResource[authenticatorPolicyModel, *authenticatorPolicyModel]{}
}

func newMicrosoftAuthenticatorPolicyDataSource() datasource.DataSource {
	return &policyDataSource[authenticatorPolicyModel, *authenticatorPolicyModel]{}
}

func (*authenticatorPolicyModel) policy() policyInfo {
	return policyInfo{typeName: "microsoft_authenticator_policy", configID: graph.MicrosoftAuthenticatorID, schema: authenticatorPolicySchema,
		dataDescription: "Reads the tenant's Microsoft Authenticator method policy: whether it is on, for whom and in which mode, and what notifications show."}
}

// read reads the v1.0 configuration and beta's number matching.
func (m *authenticatorPolicyModel) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	if !readInto(ctx, m, graph.MicrosoftAuthenticatorID, c.GetMicrosoftAuthenticatorPolicy, authenticatorPolicyFromGraph, sp, diags) {
		return false
	}
	beta, err := c.GetAuthenticatorBetaFeatures(ctx)
	if err != nil {
		graphError(diags, "reading the "+graph.MicrosoftAuthenticatorID+" policy's beta features", err)
		return false
	}
	m.NumberMatching, m.CompanionApp = featureFromGraph(beta.NumberMatchingRequiredState, sp), featureFromGraph(beta.CompanionAppAllowedState, sp)
	return true
}

func (m *authenticatorPolicyModel) write(ctx context.Context, c *graph.Client, _, from *authenticatorPolicyModel, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	p, was := m.toGraph(ctx, diags), from.toGraph(ctx, diags)
	beta, wasBeta := m.betaFeatures(ctx, diags), from.betaFeatures(ctx, diags)
	if diags.HasError() {
		return ids
	}
	err := c.UpdateMicrosoftAuthenticatorPolicy(ctx, p, &was)
	if err == nil {
		err = c.UpdateAuthenticatorBetaFeatures(ctx, p, beta, &was, &wasBeta)
	}
	patchOf(graph.MicrosoftAuthenticatorID, err, diags)
	return ids
}

func (m *authenticatorPolicyModel) betaFeatures(ctx context.Context, diags *diag.Diagnostics) graph.AuthenticatorBetaFeatures {
	return graph.AuthenticatorBetaFeatures{NumberMatchingRequiredState: featureToGraph(ctx, m.NumberMatching, diags),
		CompanionAppAllowedState: featureToGraph(ctx, m.CompanionApp, diags)}
}

func (m *authenticatorPolicyModel) reset(ctx context.Context, sp spelling, diags *diag.Diagnostics) {
	defaults := graph.DefaultMicrosoftAuthenticatorPolicy()
	*m = *authenticatorPolicyFromGraph(ctx, &defaults, sp, diags)
	// The beta features reset as the other features do.
	m.NumberMatching = featureFromGraph(defaults.FeatureSettings.DisplayAppInformationRequiredState, sp)
	m.CompanionApp = m.NumberMatching
}

func (m *authenticatorPolicyModel) toGraph(ctx context.Context, diags *diag.Diagnostics) graph.MicrosoftAuthenticatorPolicy {
	p := graph.MicrosoftAuthenticatorPolicy{State: m.State.ValueString(), IsSoftwareOathEnabled: m.IsSoftwareOathEnabled.ValueBool(),
		IncludeTargets: []graph.AuthenticatorTarget{}, ExcludeTargets: excludeTargetsToGraph(ctx, m.ExcludeTargets, diags)}
	for _, t := range objectsOf[authenticatorTargetModel](ctx, m.IncludeTargets, diags) {
		p.IncludeTargets = append(p.IncludeTargets, graph.AuthenticatorTarget{ID: t.ID.ValueString(), TargetType: t.TargetType.ValueString(),
			AuthenticationMode: t.AuthenticationMode.ValueString()})
	}
	p.FeatureSettings.DisplayAppInformationRequiredState = featureToGraph(ctx, m.DisplayAppInformation, diags)
	p.FeatureSettings.DisplayLocationInformationRequiredState = featureToGraph(ctx, m.DisplayLocationInformation, diags)
	return p
}

func featureToGraph(ctx context.Context, o types.Object, diags *diag.Diagnostics) graph.FeatureConfiguration {
	var f featureModel
	diags.Append(o.As(ctx, &f, objectAsOptions)...)
	out := graph.FeatureConfiguration{State: f.State.ValueString(),
		IncludeTarget: graph.FeatureTarget{ID: f.IncludeTargetID.ValueString(), TargetType: f.IncludeTargetType.ValueString()},
		ExcludeTarget: graph.FeatureTarget{ID: graph.NoFeatureTarget, TargetType: "group"}}
	if !f.ExcludeTargetID.IsNull() {
		out.ExcludeTarget = graph.FeatureTarget{ID: f.ExcludeTargetID.ValueString(), TargetType: f.ExcludeTargetType.ValueString()}
	}
	return out
}

func featureFromGraph(f graph.FeatureConfiguration, sp spelling) types.Object {
	attrs := map[string]attr.Value{"state": types.StringValue(f.State),
		"include_target_id": types.StringValue(sp.of(f.IncludeTarget.ID)), "include_target_type": types.StringValue(f.IncludeTarget.TargetType),
		"exclude_target_id": types.StringNull(), "exclude_target_type": types.StringNull()}
	if f.ExcludeTarget.ID != "" && f.ExcludeTarget.ID != graph.NoFeatureTarget {
		attrs["exclude_target_id"], attrs["exclude_target_type"] = types.StringValue(sp.of(f.ExcludeTarget.ID)), types.StringValue(f.ExcludeTarget.TargetType)
	}
	return types.ObjectValueMust(featureAttrs, attrs)
}

func authenticatorPolicyFromGraph(ctx context.Context, p *graph.MicrosoftAuthenticatorPolicy, sp spelling, diags *diag.Diagnostics) *authenticatorPolicyModel {
	include := make([]authenticatorTargetModel, len(p.IncludeTargets))
	for i, t := range p.IncludeTargets {
		include[i] = authenticatorTargetModel{ID: types.StringValue(sp.of(t.ID)), TargetType: types.StringValue(t.TargetType),
			AuthenticationMode: types.StringValue(t.AuthenticationMode)}
	}
	return &authenticatorPolicyModel{
		ID: types.StringValue(graph.MicrosoftAuthenticatorID), State: types.StringValue(p.State), IsSoftwareOathEnabled: types.BoolValue(p.IsSoftwareOathEnabled),
		IncludeTargets: objectSet(ctx, authenticatorTargetAttrs, include, diags), ExcludeTargets: excludeTargetsFromGraph(ctx, p.ExcludeTargets, sp, diags),
		DisplayAppInformation:      featureFromGraph(p.FeatureSettings.DisplayAppInformationRequiredState, sp),
		DisplayLocationInformation: featureFromGraph(p.FeatureSettings.DisplayLocationInformationRequiredState, sp),
		NumberMatching:             types.ObjectNull(featureAttrs),
		CompanionApp:               types.ObjectNull(featureAttrs),
	}
}

func (m *authenticatorPolicyModel) guids(ctx context.Context) []string {
	var diags diag.Diagnostics
	p := m.toGraph(ctx, &diags)
	out := targetGUIDs(nil, p.ExcludeTargets)
	for _, t := range p.IncludeTargets {
		out = append(out, t.ID)
	}
	for _, f := range []graph.FeatureConfiguration{p.FeatureSettings.DisplayAppInformationRequiredState, p.FeatureSettings.DisplayLocationInformationRequiredState,
		featureToGraph(ctx, m.NumberMatching, &diags), featureToGraph(ctx, m.CompanionApp, &diags)} {
		out = append(out, f.IncludeTarget.ID, f.ExcludeTarget.ID)
	}
	return out
}

// validate: the Microsoft Authenticator policy has no rules across its
// arguments.
func (m *authenticatorPolicyModel) validate(context.Context, *diag.Diagnostics) {}

// adjustPlan fills unset defaults: targets in any mode, features for
// all_users, an exclusion's type.
func (m *authenticatorPolicyModel) adjustPlan(_ context.Context, config, _ *authenticatorPolicyModel) {
	m.IncludeTargets = mapElements(fromConfig(config.IncludeTargets, m.IncludeTargets), func(attrs map[string]attr.Value) {
		orDefault(attrs, "target_type", types.StringValue("group"))
		orDefault(attrs, "authentication_mode", types.StringValue("any"))
	})
	m.ExcludeTargets = targetDefaults(fromConfig(config.ExcludeTargets, m.ExcludeTargets))
	m.DisplayAppInformation = planFeature(config.DisplayAppInformation, m.DisplayAppInformation)
	m.DisplayLocationInformation = planFeature(config.DisplayLocationInformation, m.DisplayLocationInformation)
	m.NumberMatching = planFeature(config.NumberMatching, m.NumberMatching)
	m.CompanionApp = planFeature(config.CompanionApp, m.CompanionApp)
}

// planFeature plans a written feature as the configuration says, with its
// defaults; an unwritten one keeps its value.
func planFeature(config, plan types.Object) types.Object {
	if config.IsNull() || config.IsUnknown() {
		return plan
	}
	attrs := map[string]attr.Value{}
	for k, v := range config.Attributes() {
		attrs[k] = v
	}
	orDefault(attrs, "include_target_id", types.StringValue("all_users"))
	orDefault(attrs, "include_target_type", types.StringValue("group"))
	if attrs["exclude_target_id"].IsNull() {
		attrs["exclude_target_type"] = types.StringNull()
	} else {
		orDefault(attrs, "exclude_target_type", types.StringValue("group"))
	}
	return types.ObjectValueMust(featureAttrs, attrs)
}

func (m *authenticatorPolicyModel) controls(ctx context.Context) []control {
	out := []control{stringControl("AM01", m.State, "enabled"), boolControl("AM02", m.IsSoftwareOathEnabled, false)}
	for _, f := range []struct {
		v              types.Object
		state, targets string
	}{
		{m.NumberMatching, "AM03", "AM04"},
		{m.DisplayAppInformation, "AM06", "AM07"},
		{m.DisplayLocationInformation, "AM09", "AM10"},
	} {
		feature := featureModel{State: types.StringUnknown(), IncludeTargetID: types.StringUnknown()}
		if got := objectOf[featureModel](ctx, f.v); got != nil || f.v.IsNull() {
			feature = *cmp.Or(got, &featureModel{})
		}
		out = append(out, stringControl(f.state, feature.State, "enabled"), stringControl(f.targets, feature.IncludeTargetID, "all_users"))
	}
	return out
}

// weakenings warns where the plan turns the app off (EIDSCA.AM01), lets its
// one-time passcodes count (AM02), or stops notifications showing the app
// (AM06, AM07) or the location (AM09, AM10) to everyone.
func (m *authenticatorPolicyModel) weakenings(ctx context.Context, prior *authenticatorPolicyModel) []finding {
	wasEnabled := prior != nil && prior.State.ValueString() == "enabled"
	if m.State.ValueString() != "enabled" {
		return turnedOff(wasEnabled, "EIDSCA.AM01", "Microsoft Authenticator off: users lose push notifications and passwordless phone sign-in.")
	}
	var out []finding
	if known(m.IsSoftwareOathEnabled) && m.IsSoftwareOathEnabled.ValueBool() && (!wasEnabled || !prior.IsSoftwareOathEnabled.ValueBool()) {
		out = append(out, finding{"EIDSCA.AM02", "is_software_oath_enabled = false",
			"is_software_oath_enabled = true lets the app's one-time passcodes stand in for a notification: a code can be phished."})
	}
	for _, f := range []struct {
		of                       func(*authenticatorPolicyModel) types.Object
		stateControl, whoControl string
		attr, shows              string
	}{
		{func(p *authenticatorPolicyModel) types.Object { return p.NumberMatching }, "EIDSCA.AM03", "EIDSCA.AM04", "number_matching", "a number to type into the app"},
		{func(p *authenticatorPolicyModel) types.Object { return p.DisplayAppInformation }, "EIDSCA.AM06", "EIDSCA.AM07", "display_app_information", "the app being signed in to"},
		{func(p *authenticatorPolicyModel) types.Object { return p.DisplayLocationInformation }, "EIDSCA.AM09", "EIDSCA.AM10", "display_location_information", "where the sign-in comes from"},
	} {
		now := objectOf[featureModel](ctx, f.of(m))
		if now == nil {
			continue
		}
		var was *featureModel
		if wasEnabled {
			was = objectOf[featureModel](ctx, f.of(prior))
		}
		if now.State.ValueString() != "enabled" && (was == nil || was.State.ValueString() == "enabled") {
			out = append(out, finding{f.stateControl, f.attr + `.state = "enabled"`,
				fmt.Sprintf("%s.state = %q: notifications may not show %s, so a user cannot tell a prompt they caused from an attacker's.", f.attr, now.State.ValueString(), f.shows)})
		} else if now.IncludeTargetID.ValueString() != "all_users" && (was == nil || was.IncludeTargetID.ValueString() == "all_users") {
			out = append(out, finding{f.whoControl, f.attr + `.include_target_id = "all_users"`,
				fmt.Sprintf("%s applies to %s only: other users' notifications do not show %s.", f.attr, now.IncludeTargetID.ValueString(), f.shows)})
		}
	}
	return out
}
