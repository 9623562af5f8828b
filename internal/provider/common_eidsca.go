package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The EIDSCA controls a policy's values meet, as data: each policy EIDSCA
// covers has a computed eidsca attribute that the plan and state carry, one
// line per control ("EIDSCA.AF01" = "met" or "not met"), so a reviewer reads
// a weakening as `"met" -> "not met"` and `terraform show -json` gives policy
// engines the same. It is derived from the policy's own values only, so it
// changes exactly when they do.

// control is one EIDSCA control as a policy's values stand.
type control struct {
	id    string // EIDSCA's id, "EIDSCA.AF01"
	met   bool
	known bool // false while a value it reads is unknown
}

const (
	controlMet    = "met"
	controlNotMet = "not met"
)

// controlled is a policy model EIDSCA covers.
type controlled interface {
	controls(ctx context.Context) []control
	setControls(cs []control)
}

// eidscaControls is the eidsca attribute, embedded in the models of the
// policies EIDSCA covers.
type eidscaControls struct {
	EIDSCA types.Map `tfsdk:"eidsca"`
}

func (e *eidscaControls) setControls(cs []control) {
	elems := make(map[string]attr.Value, len(cs))
	for _, c := range cs {
		switch {
		case !c.known:
			elems[c.id] = types.StringUnknown()
		case c.met:
			elems[c.id] = types.StringValue(controlMet)
		default:
			elems[c.id] = types.StringValue(controlNotMet)
		}
	}
	e.EIDSCA = types.MapValueMust(types.StringType, elems)
}

// review sets the eidsca attribute of a model EIDSCA covers from its values.
func review[M any](ctx context.Context, m *M) {
	if c, ok := any(m).(controlled); ok {
		c.setControls(c.controls(ctx))
	}
}

// eidscaAttribute is the schema of the eidsca attribute; controls lists the
// controls with the values they recommend.
func eidscaAttribute(controls string) schema.MapAttribute {
	return schema.MapAttribute{
		Computed: true, ElementType: types.StringType,
		MarkdownDescription: fmt.Sprintf("Whether this policy's values meet each EIDSCA control it covers, keyed by control id: `met` or `not met`. "+
			"The controls, with the values they recommend: %s. Derived from the other attributes: a plan that weakens a control shows `\"met\" -> \"not met\"`, "+
			"and `terraform show -json` carries the same for policy engines (`policy/` in this provider's repository denies such plans).", controls),
	}
}

// stringControl is a control met when a string attribute holds want.
func stringControl(id string, v types.String, want string) control {
	return control{id: "EIDSCA." + id, met: v.ValueString() == want, known: !v.IsUnknown()}
}

// boolControl is a control met when a bool attribute is want.
func boolControl(id string, v types.Bool, want bool) control {
	return control{id: "EIDSCA." + id, met: v.ValueBool() == want, known: !v.IsUnknown()}
}

// fullyKnown reports whether v and every value inside it are known.
func fullyKnown(ctx context.Context, v attr.Value) bool {
	tv, err := v.ToTerraformValue(ctx)
	return err == nil && tv.IsFullyKnown()
}
