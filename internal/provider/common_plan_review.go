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
		summary := fmt.Sprintf("Security review: entra_%s weakens %s (recommended: %s)", typeName, f.control, f.recommended)
		if f.control == "" {
			// Said so, rather than "weakens no control", which reads as all fine.
			summary = fmt.Sprintf("Security review: entra_%s weakens a setting not covered by EIDSCA (recommended: %s)", typeName, f.recommended)
		}
		diags.AddWarning(summary, f.detail)
	}
}

// changes lists, one line per value that differs, where to differs from
// from: "path: old → new", or "path: + element" and "path: - element" for
// what a set or list gains and loses. Nested values are followed down to the
// part that differs; elements with an id are matched by it. Values to leaves
// unknown are left out.
func changes(from, to tftypes.Value) []string {
	return diffLines("", from, to)
}

func diffLines(at string, from, to tftypes.Value) []string {
	if !to.IsKnown() || from.Equal(to) {
		return nil
	}
	if from.IsNull() || to.IsNull() || !from.IsKnown() {
		if !to.IsFullyKnown() {
			return nil
		}
		return []string{fmt.Sprintf("  %s: %s → %s", at, render(from), render(to))}
	}
	t := to.Type()
	switch {
	case t.Is(tftypes.Object{}), t.Is(tftypes.Map{}):
		var a, b map[string]tftypes.Value
		_, _ = from.As(&a), to.As(&b)
		var out []string
		for _, name := range slices.Sorted(maps.Keys(b)) {
			if at == "" && derived(name) {
				continue // derived from the values listed
			}
			sub := name
			if t.Is(tftypes.Map{}) {
				sub = fmt.Sprintf("[%q]", name)
			} else if at != "" {
				sub = "." + name
			}
			out = append(out, diffLines(at+sub, a[name], b[name])...)
		}
		return out
	case t.Is(tftypes.Set{}), t.Is(tftypes.List{}):
		var a, b []tftypes.Value
		_, _ = from.As(&a), to.As(&b)
		return elementLines(at, a, b)
	}
	return []string{fmt.Sprintf("  %s: %s → %s", at, render(from), render(to))}
}

// elementLines is what a collection gains and loses; an element whose id is
// in both is followed down under that id.
func elementLines(at string, from, to []tftypes.Value) []string {
	var out []string
	matched := map[int]bool{}
	for _, e := range to {
		if slices.ContainsFunc(from, e.Equal) {
			continue
		}
		if i := slices.IndexFunc(from, func(f tftypes.Value) bool { return sameID(f, e) }); i >= 0 {
			matched[i] = true
			out = append(out, diffLines(fmt.Sprintf("%s[%s]", at, render(attribute(e, "id"))), from[i], e)...)
			continue
		}
		out = append(out, fmt.Sprintf("  %s: + %s", at, render(e)))
	}
	for i, e := range from {
		if !matched[i] && !slices.ContainsFunc(to, e.Equal) {
			out = append(out, fmt.Sprintf("  %s: - %s", at, render(e)))
		}
	}
	return out
}

// sameID reports whether two objects have the same known, non-null id.
func sameID(a, b tftypes.Value) bool {
	if !a.Type().Is(tftypes.Object{}) || !b.Type().Is(tftypes.Object{}) {
		return false
	}
	x, y := attribute(a, "id"), attribute(b, "id")
	return x.IsKnown() && !x.IsNull() && x.Equal(y)
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
