package provider

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// Targets of a method policy: who it includes and excludes, in the schema
// and in Graph's terms. The FIDO2 policy's include targets also name the
// passkey profiles allowed to them.

type passkeyTargetModel struct {
	ID                     types.String `tfsdk:"id"`
	TargetType             types.String `tfsdk:"target_type"`
	IsRegistrationRequired types.Bool   `tfsdk:"is_registration_required"`
	AllowedPasskeyProfiles types.Set    `tfsdk:"allowed_passkey_profiles"`
}

type excludeTargetModel struct {
	ID         types.String `tfsdk:"id"`
	TargetType types.String `tfsdk:"target_type"`
}

var (
	excludeTargetAttrs = map[string]attr.Type{"id": types.StringType, "target_type": types.StringType}
	includeTargetAttrs = map[string]attr.Type{
		"id": types.StringType, "target_type": types.StringType, "is_registration_required": types.BoolType,
	}
	passkeyTargetAttrs = map[string]attr.Type{
		"id": types.StringType, "target_type": types.StringType, "is_registration_required": types.BoolType,
		"allowed_passkey_profiles": types.SetType{ElemType: types.StringType},
	}
)

func targetIDAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "Object id of the group (or user) targeted, or `all_users` for every user.",
		Validators:          []validator.String{validators.TargetID()},
	}
}

func targetTypeAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "`group` (default) or `user`. Microsoft recommends groups.",
		Validators:          []validator.String{stringvalidator.OneOf("group", "user")},
	}
}

// includeTargetsAttribute describes include_targets; passkeys adds
// allowed_passkey_profiles for the FIDO2 policy.
func includeTargetsAttribute(passkeys bool) schema.SetNestedAttribute {
	attrs := map[string]schema.Attribute{
		"id":          targetIDAttribute(),
		"target_type": targetTypeAttribute(),
		"is_registration_required": schema.BoolAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "Whether targeted users are asked to register the method. Default `false`.",
		},
	}
	a := schema.SetNestedAttribute{
		MarkdownDescription: "Groups (or users) the method is enabled for.",
		NestedObject:        schema.NestedAttributeObject{Attributes: attrs},
		Validators:          []validator.Set{setvalidator.SizeAtLeast(1)},
	}
	if passkeys {
		attrs["allowed_passkey_profiles"] = schema.SetAttribute{
			ElementType: types.StringType, Optional: true,
			MarkdownDescription: "Ids of the passkey profiles that apply to this target. Required for every target once the policy has passkey profiles; " +
				"leave unset on a tenant that has not been migrated to profiles.",
			Validators: []validator.Set{
				setvalidator.SizeAtLeast(1),
				setvalidator.ValueStringsAre(validators.UUID("a passkey profile id")),
			},
		}
		a.Required = true
	} else {
		a.Optional, a.Computed = true, true
		a.MarkdownDescription += " Unset: the tenant's targets are kept (Microsoft's default is `all_users`)."
	}
	return a
}

func excludeTargetsAttribute() schema.SetNestedAttribute {
	return schema.SetNestedAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "Groups (or users) excluded from the method; an exclusion wins over an inclusion. Unset: the tenant's exclusions are kept (`[]` removes them all). " +
			"A break-glass account's exclusion belongs here.",
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"id":          targetIDAttribute(),
			"target_type": targetTypeAttribute(),
		}},
	}
}

func excludeTargetsToGraph(ctx context.Context, s types.Set, diags *diag.Diagnostics) []graph.ExcludeTarget {
	out := []graph.ExcludeTarget{}
	for _, t := range objectsOf[excludeTargetModel](ctx, s, diags) {
		out = append(out, graph.ExcludeTarget{ID: t.ID.ValueString(), TargetType: t.TargetType.ValueString()})
	}
	return out
}

func excludeTargetsFromGraph(ctx context.Context, ts []graph.ExcludeTarget, sp spelling, diags *diag.Diagnostics) types.Set {
	items := make([]excludeTargetModel, len(ts))
	for i, t := range ts {
		items[i] = excludeTargetModel{ID: types.StringValue(sp.of(t.ID)), TargetType: types.StringValue(t.TargetType)}
	}
	return objectSet(ctx, excludeTargetAttrs, items, diags)
}

// targetDefaults fills an include or exclude target's unset target_type
// ("group") and is_registration_required (false).
func targetDefaults(s types.Set) types.Set {
	return mapElements(s, func(attrs map[string]attr.Value) {
		orDefault(attrs, "target_type", types.StringValue("group"))
		if _, ok := attrs["is_registration_required"]; ok {
			orDefault(attrs, "is_registration_required", types.BoolValue(false))
		}
	})
}

// includeTargetsToGraph reads either policy's include targets; the FIDO2
// ones also carry allowed_passkey_profiles.
func includeTargetsToGraph(ctx context.Context, s types.Set, diags *diag.Diagnostics) []graph.Target {
	out := []graph.Target{}
	if s.IsNull() || s.IsUnknown() {
		return out
	}
	for _, e := range s.Elements() {
		a := e.(types.Object).Attributes()
		t := graph.Target{
			ID:                     a["id"].(types.String).ValueString(),
			TargetType:             a["target_type"].(types.String).ValueString(),
			IsRegistrationRequired: a["is_registration_required"].(types.Bool).ValueBool(),
		}
		if allowed, ok := a["allowed_passkey_profiles"].(types.Set); ok {
			t.AllowedPasskeyProfiles = stringsOf(ctx, allowed, diags)
		}
		out = append(out, t)
	}
	return out
}

// includeTargetsFromGraph builds include targets; passkeys adds the FIDO2
// policy's allowed_passkey_profiles (null when Graph lists none).
func includeTargetsFromGraph(ts []graph.Target, sp spelling, passkeys bool) types.Set {
	attrTypes := includeTargetAttrs
	if passkeys {
		attrTypes = passkeyTargetAttrs
	}
	elems := make([]attr.Value, len(ts))
	for i, t := range ts {
		a := map[string]attr.Value{
			"id": types.StringValue(sp.of(t.ID)), "target_type": types.StringValue(t.TargetType),
			"is_registration_required": types.BoolValue(t.IsRegistrationRequired),
		}
		if passkeys {
			a["allowed_passkey_profiles"] = types.SetNull(types.StringType)
			if len(t.AllowedPasskeyProfiles) > 0 {
				a["allowed_passkey_profiles"] = stringSet(sp.all(t.AllowedPasskeyProfiles))
			}
		}
		elems[i] = types.ObjectValueMust(attrTypes, a)
	}
	return types.SetValueMust(types.ObjectType{AttrTypes: attrTypes}, elems)
}

// targetGUIDs lists the GUIDs of targets, and of the profiles they allow.
func targetGUIDs(include []graph.Target, exclude []graph.ExcludeTarget) []string {
	var out []string
	for _, t := range include {
		out = append(out, t.ID)
		out = append(out, t.AllowedPasskeyProfiles...)
	}
	for _, t := range exclude {
		out = append(out, t.ID)
	}
	return out
}

// policyTargets are the targets of a policy whose include targets carry no
// settings of their own (voice, email, software OATH), embedded in its model.
type policyTargets struct {
	IncludeTargets types.Set `tfsdk:"include_targets"`
	ExcludeTargets types.Set `tfsdk:"exclude_targets"`
}

func policyTargetsFromGraph(ctx context.Context, include []graph.Target, exclude []graph.ExcludeTarget, sp spelling, diags *diag.Diagnostics) policyTargets {
	return policyTargets{IncludeTargets: includeTargetsFromGraph(include, sp, false), ExcludeTargets: excludeTargetsFromGraph(ctx, exclude, sp, diags)}
}

func (t *policyTargets) toGraph(ctx context.Context, diags *diag.Diagnostics) ([]graph.Target, []graph.ExcludeTarget) {
	return includeTargetsToGraph(ctx, t.IncludeTargets, diags), excludeTargetsToGraph(ctx, t.ExcludeTargets, diags)
}

// guids lists the targets' object ids, to keep their configured case.
func (t *policyTargets) guids(ctx context.Context) []string {
	var diags diag.Diagnostics
	return targetGUIDs(t.toGraph(ctx, &diags))
}

// planTargets fills the targets' unset defaults, from the configuration.
func (t *policyTargets) planTargets(config policyTargets) {
	t.IncludeTargets = targetDefaults(fromConfig(config.IncludeTargets, t.IncludeTargets))
	t.ExcludeTargets = targetDefaults(fromConfig(config.ExcludeTargets, t.ExcludeTargets))
}

// planTarget is a target a plan names: where (its attribute path), whom,
// and whether it excludes.
type planTarget struct {
	at        string
	id, kind  string
	exclusion bool
}

// unknownTarget stands for a target id the plan does not know yet.
const unknownTarget = "(known after apply)"

// plannedTargets finds the targets in a planned policy: every object with a
// known id inside an attribute named include_targets or exclude_targets, at
// any depth (the registration campaign and system-preferred MFA hold their
// own).
func plannedTargets(plan tftypes.Value) []planTarget {
	var out []planTarget
	_ = tftypes.Walk(plan, func(p *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		var attrs map[string]tftypes.Value
		if !v.Type().Is(tftypes.Object{}) || !v.IsKnown() || v.IsNull() || v.As(&attrs) != nil {
			return true, nil
		}
		steps := p.Steps()
		if len(steps) < 2 {
			return true, nil
		}
		name, ok := steps[len(steps)-2].(tftypes.AttributeName)
		if !ok || (name != "include_targets" && name != "exclude_targets") {
			return true, nil
		}
		var id, kind string
		if !attrs["id"].IsKnown() {
			id = unknownTarget
		}
		_ = attrs["id"].As(&id)
		if t, ok := attrs["target_type"]; ok {
			_ = t.As(&kind)
		}
		out = append(out, planTarget{at: attributePath(steps[:len(steps)-1]), id: id, kind: kind, exclusion: name == "exclude_targets"})
		return false, nil
	})
	return out
}

// attributePath writes the attribute names of steps as HCL does.
func attributePath(steps []tftypes.AttributePathStep) string {
	var names []string
	for _, s := range steps {
		if n, ok := s.(tftypes.AttributeName); ok {
			names = append(names, string(n))
		}
	}
	return strings.Join(names, ".")
}

// checkTargets resolves each group and user a planned policy targets, once
// per run: an exclusion that names nothing excludes nobody (a typo in a
// break-glass group's id locks its members in with the rest) and is an
// error; an inclusion that names nothing includes nobody and gets a warning.
// Where the directory cannot be read, one warning says the targets were not
// checked.
func checkTargets(ctx context.Context, c *graph.Client, typeName string, plan tftypes.Value, diags *diag.Diagnostics) {
	for _, t := range plannedTargets(plan) {
		if t.id == unknownTarget {
			diags.AddAttributeWarning(path.Root(strings.Split(t.at, ".")[0]), "Target known only at apply",
				fmt.Sprintf("A target of %s is known only after apply, so whether the tenant holds it is not checked by this plan.", t.at))
			continue
		}
		if t.id == "" || strings.EqualFold(t.id, "all_users") {
			continue
		}
		what, exists, err := "group", false, error(nil)
		if t.kind == "user" {
			what = "user"
			u, uerr := c.CachedUser(ctx, t.id)
			exists, err = u != nil, uerr
		} else {
			g, gerr := c.CachedGroup(ctx, t.id)
			exists, err = g != nil, gerr
		}
		switch {
		case err != nil:
			diags.AddWarning("Policy targets not checked",
				fmt.Sprintf("Reading %s %s from the directory failed, so entra_%s's targets are not checked against it "+
					"(the credential may lack GroupMember.Read.All or User.ReadBasic.All): %v", what, t.id, typeName, err))
			return
		case exists:
		case t.exclusion:
			diags.AddAttributeError(path.Root(strings.Split(t.at, ".")[0]), "Exclusion names no "+what,
				fmt.Sprintf("%s excludes %s %s, which the tenant does not hold: it excludes nobody, and whoever it was meant to keep out "+
					"(break-glass accounts, say) would be held to the policy. Check the id.", t.at, what, t.id))
		default:
			diags.AddAttributeWarning(path.Root(strings.Split(t.at, ".")[0]), "Target names no "+what,
				fmt.Sprintf("%s includes %s %s, which the tenant does not hold: it includes nobody. Check the id.", t.at, what, t.id))
		}
	}
}

// targetNames is the target_names attribute every policy model embeds: the
// name the directory holds for each group and user the policy targets, so a
// reviewer (and a policy engine) sees that the break-glass exclusion names
// the break-glass group, not only its GUID.
type targetNames struct {
	TargetNames types.Map `tfsdk:"target_names"`
}

func (t *targetNames) setTargetNames(names types.Map) { t.TargetNames = names }

// namedTargets is a model with target_names.
type namedTargets interface{ setTargetNames(types.Map) }

// withTargetNames is a policy's schema with its target_names attribute.
func withTargetNames(s schema.Schema) schema.Schema {
	attrs := maps.Clone(s.Attributes)
	attrs["target_names"] = schema.MapAttribute{
		Computed: true, ElementType: types.StringType,
		MarkdownDescription: "The directory's name for each group (display name) and user (user principal name) the policy's targets name, keyed by object id, " +
			"read once per run; null when they name none. A target the directory does not hold, or cannot be read for, has no entry.",
	}
	s.Attributes = attrs
	return s
}

// nameTargets sets m's target_names from the directory: unknown while a
// target is, or when there is no client to ask (an offline validate).
func nameTargets[M any](ctx context.Context, c *graph.Client, s schema.Schema, m *M) {
	n, ok := any(m).(namedTargets)
	if !ok {
		return
	}
	n.setTargetNames(types.MapUnknown(types.StringType))
	v := tfsdk.State{Schema: s}
	if c == nil || v.Set(ctx, m).HasError() {
		return
	}
	names := map[string]attr.Value{}
	for _, t := range plannedTargets(v.Raw) {
		if t.id == unknownTarget {
			return
		}
		if _, seen := names[t.id]; seen || t.id == "" || strings.EqualFold(t.id, "all_users") {
			continue
		}
		if t.kind == "user" {
			if u, err := c.CachedUser(ctx, t.id); err == nil && u != nil {
				names[t.id] = types.StringValue(u.UserPrincipalName)
			}
		} else if g, err := c.CachedGroup(ctx, t.id); err == nil && g != nil {
			names[t.id] = types.StringValue(g.DisplayName)
		}
	}
	if len(names) == 0 {
		n.setTargetNames(types.MapNull(types.StringType)) // nothing to show
		return
	}
	n.setTargetNames(types.MapValueMust(types.StringType, names))
}
