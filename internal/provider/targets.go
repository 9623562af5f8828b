package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// Targets of a method policy. The FIDO2 policy's include targets also name
// the passkey profiles allowed to them.

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

// spelling remembers how the configuration wrote each GUID so that values
// Graph returns in another case keep the configured spelling: GUIDs compare
// case-insensitively and case must never cause a diff.
type spelling map[string]string

func (s spelling) learn(vs ...string) {
	for _, v := range vs {
		s[strings.ToLower(v)] = v
	}
}

func (s spelling) of(v string) string {
	if w, ok := s[strings.ToLower(v)]; ok {
		return w
	}
	return v
}

func (s spelling) all(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = s.of(v)
	}
	return out
}

// strings reads a set of strings; null and unknown give nil.
func stringsOf(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	return out
}

func stringSet(vs []string) types.Set {
	elems := make([]attr.Value, len(vs))
	for i, v := range vs {
		elems[i] = types.StringValue(v)
	}
	return types.SetValueMust(types.StringType, elems)
}

func objectsOf[T any](ctx context.Context, s types.Set, diags *diag.Diagnostics) []T {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	var out []T
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	return out
}

func objectSet[T any](ctx context.Context, attrs map[string]attr.Type, items []T, diags *diag.Diagnostics) types.Set {
	if items == nil {
		items = []T{}
	}
	s, d := types.SetValueFrom(ctx, types.ObjectType{AttrTypes: attrs}, items)
	diags.Append(d...)
	return s
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

// objectAsOptions reads objects whose attributes may still be unknown.
var objectAsOptions = basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true}

// Defaults of attributes inside set elements are filled in at plan time by
// the resource rather than with schema defaults: the framework looks set
// elements up by value, so a second default in the same element is applied
// to an element it no longer finds and overrides configured values.

// mapElements rebuilds a known set of objects with fn applied to each
// element's attributes.
func mapElements(s types.Set, fn func(attrs map[string]attr.Value)) types.Set {
	if s.IsNull() || s.IsUnknown() {
		return s
	}
	objType, ok := s.ElementType(context.Background()).(types.ObjectType)
	if !ok {
		return s
	}
	elems := make([]attr.Value, 0, len(s.Elements()))
	for _, e := range s.Elements() {
		o, ok := e.(types.Object)
		if !ok || o.IsNull() || o.IsUnknown() {
			elems = append(elems, e)
			continue
		}
		attrs := make(map[string]attr.Value, len(o.Attributes()))
		for k, v := range o.Attributes() {
			attrs[k] = v
		}
		fn(attrs)
		elems = append(elems, types.ObjectValueMust(objType.AttrTypes, attrs))
	}
	return types.SetValueMust(objType, elems)
}

// orDefault sets attrs[name] to def when it is null or unknown.
func orDefault(attrs map[string]attr.Value, name string, def attr.Value) {
	if v := attrs[name]; v == nil || v.IsNull() || v.IsUnknown() {
		attrs[name] = def
	}
}

// fromConfig plans a written set of objects as the configuration says, before
// its defaults are filled: Terraform proposes the prior state's values for
// unset attributes inside set elements, which would keep a change made
// outside Terraform that an unset (defaulted) attribute should undo.
func fromConfig(config, plan types.Set) types.Set {
	if config.IsNull() {
		return plan
	}
	return config
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

// respell rewrites, within a set, every GUID that sp knows in another case to
// sp's spelling.
func respell(s types.Set, sp spelling) types.Set {
	if s.IsNull() || s.IsUnknown() {
		return s
	}
	return respellValue(s, sp).(types.Set)
}

func respellValue(v attr.Value, sp spelling) attr.Value {
	if v.IsNull() || v.IsUnknown() {
		return v
	}
	switch v := v.(type) {
	case types.String:
		if validators.IsUUID(v.ValueString()) {
			return types.StringValue(sp.of(v.ValueString()))
		}
	case types.Set:
		elems := make([]attr.Value, len(v.Elements()))
		for i, e := range v.Elements() {
			elems[i] = respellValue(e, sp)
		}
		return types.SetValueMust(v.ElementType(context.Background()), elems)
	case types.Object:
		attrs := make(map[string]attr.Value, len(v.Attributes()))
		for k, a := range v.Attributes() {
			attrs[k] = respellValue(a, sp)
		}
		return types.ObjectValueMust(v.AttributeTypes(context.Background()), attrs)
	}
	return v
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
