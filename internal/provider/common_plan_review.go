package provider

import (
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// What a security reviewer reads in a plan besides Terraform's own diff: the
// tenant's values an adopting create or a resetting destroy replaces, and the
// controls a change weakens, named by their EIDSCA ids.

// finding is a control that a plan weakens. control is the EIDSCA id, or
// empty for a rule of this provider's that EIDSCA does not cover.
type finding struct {
	control     string
	recommended string
	detail      string
}

// turnedOff is the finding of a plan that disables a policy, when it was
// enabled: what stops working, under control.
func turnedOff(wasEnabled bool, control, what string) []finding {
	if !wasEnabled {
		return nil
	}
	return []finding{{control, `state = "enabled"`, `state = "disabled" turns ` + what}}
}

// report adds one warning per finding.
func report(diags *diag.Diagnostics, typeName string, findings []finding) {
	for _, f := range findings {
		control := f.control
		if control == "" {
			control = "no EIDSCA control"
		}
		diags.AddWarning(fmt.Sprintf("Security review: entra_%s weakens %s (recommended: %s)", typeName, control, f.recommended), f.detail)
	}
}

// changes lists, one line per top-level attribute, where to differs from
// from: "name: old → new". Attributes to leaves unknown are left out.
func changes(from, to tftypes.Value) []string {
	var a, b map[string]tftypes.Value
	if from.As(&a) != nil || to.As(&b) != nil {
		return nil
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(b)) {
		old, now := a[name], b[name]
		if !now.IsFullyKnown() || old.Equal(now) {
			continue
		}
		out = append(out, fmt.Sprintf("  %s: %s → %s", name, render(old), render(now)))
	}
	return out
}

// render writes a value the way a reviewer reads HCL: strings quoted,
// collections in brackets, objects in braces with their attributes sorted.
func render(v tftypes.Value) string {
	switch {
	case v.IsNull():
		return "null"
	case !v.IsKnown():
		return "(known after apply)"
	}
	t := v.Type()
	switch {
	case t.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return fmt.Sprintf("%q", s)
	case t.Is(tftypes.Number):
		var n big.Float
		_ = v.As(&n)
		return n.Text('f', -1)
	case t.Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return fmt.Sprint(b)
	case t.Is(tftypes.Set{}), t.Is(tftypes.List{}), t.Is(tftypes.Tuple{}):
		var elems []tftypes.Value
		_ = v.As(&elems)
		parts := make([]string, len(elems))
		for i, e := range elems {
			parts[i] = render(e)
		}
		if t.Is(tftypes.Set{}) {
			slices.Sort(parts) // a set has no order: show a stable one
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case t.Is(tftypes.Object{}), t.Is(tftypes.Map{}):
		var attrs map[string]tftypes.Value
		_ = v.As(&attrs)
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(attrs)) {
			parts = append(parts, k+" = "+render(attrs[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return v.String()
}

// keepUnset gives every top-level attribute the configuration leaves unset,
// and the plan leaves unknown, the value it has in prior: a resource that
// adopts an object changes only what its configuration writes.
func keepUnset(config, plan, prior tftypes.Value) (tftypes.Value, error) {
	var c, p, was map[string]tftypes.Value
	if err := config.As(&c); err != nil {
		return plan, err
	}
	if err := plan.As(&p); err != nil {
		return plan, err
	}
	if err := prior.As(&was); err != nil {
		return plan, err
	}
	for name, v := range p {
		if c[name].IsNull() && !v.IsKnown() {
			p[name] = was[name]
		}
	}
	return tftypes.NewValue(plan.Type(), p), nil
}
