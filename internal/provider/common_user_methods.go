package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Steps every resource for one of a user's authentication methods shares:
// the user checked at plan, a new method's absence confirmed before it
// leaves state, import by <user_id>/<method_id>.

// checkUserExists reports at plan a user_id that names no user, by listing
// one of the user's method collections (Graph answers 404 for an unknown
// user). Other failures are left to apply.
func checkUserExists[T any](ctx context.Context, user types.String, list func(context.Context, string) ([]T, error), diags *diag.Diagnostics) {
	if user.IsUnknown() || user.IsNull() {
		return
	}
	if _, err := list(ctx, user.ValueString()); graph.IsNotFound(err) {
		diags.AddAttributeError(path.Root("user_id"), "Unknown user",
			fmt.Sprintf("No user %q exists in the tenant (Graph: %v).", user.ValueString(), err))
	}
}

// confirmGone runs get and, when Graph answers 404 for an object created in
// the last two minutes, asks again a few times: a new object can be missing
// from reads for a while (replication), and believing the first 404 would
// drop it from state and create a duplicate.
func confirmGone(ctx context.Context, created types.String, get func() error) error {
	err := get()
	t, perr := time.Parse(time.RFC3339, created.ValueString())
	if perr != nil || time.Since(t) > 2*time.Minute {
		return err
	}
	for wait := 500 * time.Millisecond; graph.IsNotFound(err) && wait <= 2*time.Second; wait *= 2 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		err = get()
	}
	return err
}

// importUserMethod is ImportState for a user's method: <user_id>/<method_id>,
// the user's object id or UPN and the method's id.
func importUserMethod(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, what string) {
	user, id, ok := splitImportID(req.ID)
	if !ok {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import %s with <user_id>/<method_id> (the user's object id or UPN, and the method's id), not %q.", what, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), user)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

// splitImportID splits "<user>/<id>", both parts non-empty.
func splitImportID(s string) (user, id string, ok bool) {
	user, id, ok = strings.Cut(s, "/")
	return user, id, ok && user != "" && id != "" && !strings.Contains(id, "/")
}
