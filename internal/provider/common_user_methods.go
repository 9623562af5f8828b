package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// Steps every resource for one of a user's authentication methods shares:
// the user checked at plan, a new method's absence confirmed before it
// leaves state, import by <user_id>/<method_id>.

// checkUserExists reports at plan a user_id that names no user, by listing
// one of the user's method collections (Graph answers 404 for an unknown
// user), and returns the list when it could be read. Other failures are
// left to apply.
func checkUserExists[T any](ctx context.Context, user types.String, list func(context.Context, string) ([]T, error), diags *diag.Diagnostics) ([]T, bool) {
	if !known(user) {
		return nil, false
	}
	items, err := list(ctx, user.ValueString())
	if graph.IsNotFound(err) {
		diags.AddAttributeError(path.Root("user_id"), "Unknown user",
			fmt.Sprintf("No user %q exists in the tenant (Graph: %v).", user.ValueString(), err))
	}
	return items, err == nil
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

// userIDDescription says what user_id takes, in every schema that has one.
const userIDDescription = "The user's object id or user principal name."

// userIDAttribute is the user_id of one of a user's methods; mods say what
// a change of user does to the method (replacement, for a managed one).
func userIDAttribute(mods ...planmodifier.String) schema.StringAttribute {
	return schema.StringAttribute{Required: true, PlanModifiers: mods, MarkdownDescription: userIDDescription,
		Validators: []validator.String{validators.NotBlank()}}
}

// userMethodIdentitySchema identifies one of a user's methods, for import
// blocks that give an identity and for discovery with terraform query.
var userMethodIdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
	"user_id": identityschema.StringAttribute{RequiredForImport: true, Description: userIDDescription},
	"id":      identityschema.StringAttribute{RequiredForImport: true, Description: "The method's id."},
}}

type userMethodIdentity struct {
	UserID types.String `tfsdk:"user_id"`
	ID     types.String `tfsdk:"id"`
}

// identify sets a user method's identity from its state. Reads call it
// first, with the prior state: the framework wants an identity after every
// read, also one that drops a method that is gone.
func identify(ctx context.Context, state tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if identity == nil || state.Raw.IsNull() {
		return
	}
	var m userMethodIdentity
	diags.Append(state.GetAttribute(ctx, path.Root("user_id"), &m.UserID)...)
	diags.Append(state.GetAttribute(ctx, path.Root("id"), &m.ID)...)
	diags.Append(identity.Set(ctx, m)...)
}

// importTarget is the user and method an import names: its identity, or
// an id <user_id>/<method_id>.
func importTarget(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (user, id string, ok bool) {
	if req.ID == "" && req.Identity != nil {
		var m userMethodIdentity
		diags.Append(req.Identity.Get(ctx, &m)...)
		return m.UserID.ValueString(), m.ID.ValueString(), !diags.HasError()
	}
	return splitImportID(req.ID)
}

// importUserMethod is ImportState for a user's method: <user_id>/<method_id>
// (the user's object id or UPN and the method's id), or an identity.
func importUserMethod(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, what string) {
	user, id, ok := importTarget(ctx, req, &resp.Diagnostics)
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

// createdKey is the private-state key holding when the provider created a
// method whose Graph type carries no creation time (phones, email).
const createdKey = "created"

type privateSetter interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}

type privateGetter interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}

// setPrivateString keeps a string in private state, which holds JSON.
func setPrivateString(ctx context.Context, private privateSetter, key, value string, diags *diag.Diagnostics) {
	b, _ := json.Marshal(value)
	diags.Append(private.SetKey(ctx, key, b)...)
}

// privateString is a string setPrivateString kept, or "".
func privateString(ctx context.Context, private privateGetter, key string) string {
	b, _ := private.GetKey(ctx, key)
	var s string
	_ = json.Unmarshal(b, &s)
	return s
}

// recordCreated notes in private state that the method was created now.
func recordCreated(ctx context.Context, private privateSetter, diags *diag.Diagnostics) {
	setPrivateString(ctx, private, createdKey, time.Now().UTC().Format(time.RFC3339), diags)
}

// createdAt is the creation time recordCreated noted, or null.
func createdAt(ctx context.Context, private privateGetter) types.String {
	if s := privateString(ctx, private, createdKey); s != "" {
		return types.StringValue(s)
	}
	return types.StringNull()
}

// readOrForget runs get (asking again while a new method may be
// replicating, see confirmGone). A method that is gone leaves state with a
// warning naming it and saying what happens next; false then, or when the
// read failed.
func readOrForget(ctx context.Context, resp *resource.ReadResponse, created types.String, what, next string, get func() error) bool {
	err := confirmGone(ctx, created, get)
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddWarning(strings.ToUpper(what[:1])+what[1:]+" no longer exists",
			fmt.Sprintf("%s was deleted outside Terraform. The resource is removed from state; %s", what, next))
		resp.State.RemoveResource(ctx)
		return false
	}
	if err != nil {
		graphError(&resp.Diagnostics, "reading "+what, err)
		return false
	}
	return true
}

// deleteUserMethod deletes one of a user's methods; one already gone is
// fine.
func deleteUserMethod(ctx context.Context, c *graph.Client, user, collection, id, what string, diags *diag.Diagnostics) {
	deleteError(diags, what, c.DeleteUserMethod(ctx, user, collection, id))
}

// methodClaims records, for one run, which resource of the configuration
// manages each one-of-a-kind method of a user (a pass, a badge, an email
// method, a phone of a type): two resources managing one would undo each
// other at every apply.
type methodClaims struct {
	mu sync.Mutex
	by map[string]methodClaim
}

// methodClaim is a claiming resource's configuration and, where it has
// state, the method it holds.
type methodClaim struct {
	config   tftypes.Value
	methodID string
}

// claimUserMethod claims kind (such as "email method") of the planned
// resource's user for it, refusing a claim another resource of the
// configuration made. A replacement plans its resource twice, with its state
// and then without: it returns the method the resource held then, which is
// its own and not "already there" to the second plan.
func (d *providerData) claimUserMethod(ctx context.Context, kind string, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) (own string) {
	var user, id types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("user_id"), &user)...)
	if d == nil || !known(user) {
		return ""
	}
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	}
	key := kind + "|" + strings.ToLower(user.ValueString())
	c := &d.claims
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[string]methodClaim{}
	}
	if was, ok := c.by[key]; ok {
		if !was.config.Equal(req.Config.Raw) {
			resp.Diagnostics.AddAttributeError(path.Root("user_id"), "Two resources manage one method",
				fmt.Sprintf("Another resource of this configuration already manages the %s of %s, and a user has one: each apply would undo the other's. "+
					"Manage it from one resource.", kind, user.ValueString()))
			return ""
		}
		if id.ValueString() == "" {
			return was.methodID
		}
	}
	c.by[key] = methodClaim{config: req.Config.Raw, methodID: id.ValueString()}
	return id.ValueString()
}
