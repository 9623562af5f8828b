package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// Values: GUIDs kept in the configured case, sets and objects read and
// built, defaults inside set elements, timestamps.

// spelling remembers how the configuration wrote each GUID so that values
// Graph returns in another case keep the configured spelling: GUIDs compare
// case-insensitively and case must never cause a diff.
type spelling map[string]string

// newSpelling is a spelling that knows vs.
func newSpelling(vs ...string) spelling {
	s := spelling{}
	s.learn(vs...)
	return s
}

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
	case types.Map:
		// Keys too: passkey profiles are keyed by their GUIDs.
		elems := make(map[string]attr.Value, len(v.Elements()))
		for k, e := range v.Elements() {
			if validators.IsUUID(k) {
				k = sp.of(k)
			}
			elems[k] = respellValue(e, sp)
		}
		return types.MapValueMust(v.ElementType(context.Background()), elems)
	}
	return v
}

// objectAsOptions reads objects whose attributes may still be unknown.
var objectAsOptions = basetypes.ObjectAsOptions{UnhandledNullAsEmpty: true, UnhandledUnknownAsEmpty: true}

// known reports whether v is neither null nor unknown.
func known(v attr.Value) bool { return !v.IsNull() && !v.IsUnknown() }

// timestamp is a time Graph gave, in RFC 3339; null where Graph gave none
// (its createdDateTime is nullable, and a null decodes as the zero time).
func timestamp(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// objectOf reads a known object into T; nil while the plan does not know it.
func objectOf[T any](ctx context.Context, o types.Object) *T {
	if o.IsNull() || o.IsUnknown() {
		return nil
	}
	var v T
	var diags diag.Diagnostics
	diags.Append(o.As(ctx, &v, objectAsOptions)...)
	return &v
}

// factories makes a factory per row of a table of alike types.
func factories[R, T any](rows []R, build func(R) T) []func() T {
	out := make([]func() T, 0, len(rows))
	for _, r := range rows {
		out = append(out, func() T { return build(r) })
	}
	return out
}
