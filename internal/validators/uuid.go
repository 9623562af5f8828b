// Package validators holds the provider's plan-time attribute validators.
package validators

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsUUID reports whether s is a GUID in its 8-4-4-4-12 hex form, any case.
func IsUUID(s string) bool { return uuidRE.MatchString(s) }

type uuidValidator struct {
	what  string
	extra []string
}

// UUID accepts a GUID such as an AAGUID or an object id; what names the value
// in the error message.
func UUID(what string) validator.String { return uuidValidator{what: what} }

// TargetID accepts a group or user object id, or all_users, the id of the
// built-in group of every user.
func TargetID() validator.String {
	return uuidValidator{what: "a group or user object id", extra: []string{"all_users"}}
}

func (v uuidValidator) Description(context.Context) string {
	return fmt.Sprintf("must be %s (a GUID such as 00000000-0000-0000-0000-000000000000)", v.what)
}

func (v uuidValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v uuidValidator) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if IsUUID(s) {
		return
	}
	for _, ok := range v.extra {
		if s == ok {
			return
		}
	}
	msg := fmt.Sprintf("%q is not %s: expected a GUID such as 00000000-0000-0000-0000-000000000000", s, v.what)
	if len(v.extra) > 0 {
		msg += fmt.Sprintf(" or %q", v.extra[0])
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.what, msg+".")
}
