package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// tapMetadata is what Graph tells about a pass, the secret aside. The data
// source returns just this; the resource and the ephemeral resource add the
// secret.
type tapMetadata struct {
	ID                    types.String `tfsdk:"id"`
	UserID                types.String `tfsdk:"user_id"`
	StartDateTime         types.String `tfsdk:"start_date_time"`
	LifetimeInMinutes     types.Int64  `tfsdk:"lifetime_in_minutes"`
	IsUsableOnce          types.Bool   `tfsdk:"is_usable_once"`
	CreatedDateTime       types.String `tfsdk:"created_date_time"`
	IsUsable              types.Bool   `tfsdk:"is_usable"`
	MethodUsabilityReason types.String `tfsdk:"method_usability_reason"`
}

type tapModel struct {
	tapMetadata
	TemporaryAccessPass types.String `tfsdk:"temporary_access_pass"`
}

// tapAttributes are the pass's attributes; replace makes every argument
// force a new pass (Graph cannot change a pass) for the managed resource.
func tapAttributes(replace bool) map[string]schema.Attribute {
	var rs []planmodifier.String
	var ri []planmodifier.Int64
	var rb []planmodifier.Bool
	if replace {
		rs = []planmodifier.String{stringplanmodifier.RequiresReplace()}
		ri = []planmodifier.Int64{int64planmodifier.UseStateForUnknown(), int64planmodifier.RequiresReplace()}
		rb = []planmodifier.Bool{boolplanmodifier.UseStateForUnknown(), boolplanmodifier.RequiresReplace()}
	}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, PlanModifiers: keep,
			MarkdownDescription: "The pass's authentication method id."},
		"user_id": userIDAttribute(rs...),
		"start_date_time": schema.StringAttribute{Optional: true, Computed: true,
			PlanModifiers:       append(append([]planmodifier.String{}, keep...), rs...),
			MarkdownDescription: "When the pass becomes usable (RFC 3339). Default: when it is issued.",
			Validators:          []validator.String{validators.RFC3339()}},
		"lifetime_in_minutes": schema.Int64Attribute{Optional: true, Computed: true, PlanModifiers: ri,
			MarkdownDescription: fmt.Sprintf("How long the pass stays usable from its start, %d to %d minutes and within the policy's minimum and maximum. Default: the policy's default lifetime.", minLifetime, maxLifetime),
			Validators:          []validator.Int64{int64validator.Between(minLifetime, maxLifetime)}},
		"is_usable_once": schema.BoolAttribute{Optional: true, Computed: true, PlanModifiers: rb,
			MarkdownDescription: "Whether the pass works for one sign-in only. Default: the policy's setting; `false` is refused when the policy allows one-time passes only."},
		"created_date_time": schema.StringAttribute{Computed: true, PlanModifiers: keep,
			MarkdownDescription: "When the pass was issued."},
		"is_usable": schema.BoolAttribute{Computed: true,
			MarkdownDescription: "Whether the pass can be used now, per Graph."},
		"method_usability_reason": schema.StringAttribute{Computed: true,
			MarkdownDescription: "Why the pass is or is not usable: `EnabledByPolicy`, `DisabledByPolicy`, `Expired`, `NotYetValid` or `OneTimeUsed`."},
		"temporary_access_pass": schema.StringAttribute{Computed: true, Sensitive: true, PlanModifiers: keep,
			MarkdownDescription: "The pass itself. Graph returns it only when the pass is issued: it is null after import. Sensitive; it is kept in state, so prefer the ephemeral resource where the value only needs handing on."},
	}
}

var tapResourceSchema = schema.Schema{
	MarkdownDescription: "A Temporary Access Pass (TAP) for a user: a time-limited passcode with which the user signs in to register passwordless methods such as a FIDO2 security key. " +
		"Graph keeps one pass per user and cannot change one, so every argument forces a new pass, and a pass issued for the same user elsewhere replaces this one " +
		"(the resource is then removed from state with a warning and planned again). The value is in state as a sensitive attribute; the `entra_temporary_access_pass` ephemeral resource avoids that.",
	Attributes: tapAttributes(true),
}

type temporaryAccessPassResource struct {
	client *graph.Client
	data   *providerData
}

var (
	_ resource.ResourceWithIdentity    = (*temporaryAccessPassResource)(nil)
	_ resource.ResourceWithImportState = (*temporaryAccessPassResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*temporaryAccessPassResource)(nil)
)

func newTemporaryAccessPassResource() resource.Resource { return &temporaryAccessPassResource{} }

func (r *temporaryAccessPassResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_temporary_access_pass"
}

func (r *temporaryAccessPassResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = userMethodIdentitySchema
}

func (r *temporaryAccessPassResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = tapResourceSchema
}

func (r *temporaryAccessPassResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if r.data = configureData(req.ProviderData, &resp.Diagnostics); r.data != nil {
		r.client = r.data.graph
	}
}

// ModifyPlan checks a new pass against the tenant's TAP policy at plan time,
// so a pass Graph would refuse fails the plan rather than the apply.
func (r *temporaryAccessPassResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	r.data.claimUserMethod(ctx, "Temporary Access Pass", req, resp)
	if !req.State.Raw.IsNull() {
		return
	}
	var plan tapModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !resp.Diagnostics.HasError() {
		checkUserExists(ctx, plan.UserID, r.client.ListTemporaryAccessPasses, &resp.Diagnostics)
		checkAgainstPolicy(ctx, r.data, &plan.tapMetadata, &resp.Diagnostics)
	}
}

// checkAgainstPolicy reports a pass the TAP policy would refuse (the one
// this run plans, else the tenant's): a lifetime outside its range, a
// multi-use pass under a one-time-only policy, and a user the policy does
// not target are errors; a disabled policy is a warning where the tenant's
// is read, since the same apply may be the one that enables it. If the
// policy cannot be read (the credential may lack Policy.Read.All), Graph's
// own answer at apply decides.
func checkAgainstPolicy(ctx context.Context, d *providerData, m *tapMetadata, diags *diag.Diagnostics) {
	pol, err := d.tapPolicyForChecks(ctx)
	if err != nil {
		diags.AddWarning("Temporary Access Pass not checked against the policy",
			"Reading the TemporaryAccessPass policy failed, so the pass is checked by Graph when it is issued: "+err.Error())
		return
	}
	where := "the tenant's Temporary Access Pass policy (entra_temporary_access_pass_policy)"
	switch {
	case known(m.UserID):
		checkTargeted(ctx, d.graph, m.UserID.ValueString(), pol, where, diags)
	case m.UserID.IsUnknown():
		diags.AddAttributeWarning(path.Root("user_id"), "Whom the pass is for is known only at apply",
			"user_id is known only after apply, so whether "+where+" targets the user is checked by Graph when the pass is issued, not by this plan.")
	}
	if pol.State != "enabled" {
		diags.AddWarning("The Temporary Access Pass policy is disabled",
			fmt.Sprintf("%s is disabled, so Graph will refuse to issue this pass unless this apply enables the policy first (make the pass depend on it).", where))
	}
	if l := m.LifetimeInMinutes; !l.IsNull() && !l.IsUnknown() &&
		(l.ValueInt64() < pol.MinimumLifetimeInMinutes || l.ValueInt64() > pol.MaximumLifetimeInMinutes) {
		diags.AddAttributeError(path.Root("lifetime_in_minutes"), "Lifetime outside the policy's range",
			fmt.Sprintf("lifetime_in_minutes = %d, but %s allows %d to %d minutes.", l.ValueInt64(), where, pol.MinimumLifetimeInMinutes, pol.MaximumLifetimeInMinutes))
	}
	if o := m.IsUsableOnce; !o.IsNull() && !o.IsUnknown() && !o.ValueBool() && pol.IsUsableOnce {
		diags.AddAttributeError(path.Root("is_usable_once"), "Multi-use pass under a one-time-only policy",
			fmt.Sprintf("is_usable_once = false, but %s sets is_usable_once = true: every pass must be one-time.", where))
	}
}

// checkTargeted refuses a pass for a user the policy leaves out, as Graph
// does ("Converged UserCredentialPolicy does not allow creating or updating
// this authentication method"): one an exclusion names, directly or through
// a group, or none of the inclusions does. Membership is read once per user
// and run, transitively.
func checkTargeted(ctx context.Context, c *graph.Client, user string, pol *graph.TemporaryAccessPassPolicy, where string, diags *diag.Diagnostics) {
	everyone := slices.ContainsFunc(pol.IncludeTargets, func(t graph.Target) bool { return strings.EqualFold(t.ID, "all_users") })
	if everyone && len(pol.ExcludeTargets) == 0 {
		return // everyone is in: nothing to read
	}
	in, err := memberships(ctx, c, user)
	if err != nil {
		diags.AddWarning("Temporary Access Pass not checked against the policy's targets",
			fmt.Sprintf("Reading %s's groups failed (the credential may lack GroupMember.Read.All), so whether %s targets them is left to Graph: %v", user, where, err))
		return
	}
	if in == nil {
		return // no such user: checkUserExists says so
	}
	for _, t := range pol.ExcludeTargets {
		if in[strings.ToLower(t.ID)] {
			diags.AddAttributeError(path.Root("user_id"), "User excluded from the Temporary Access Pass policy",
				fmt.Sprintf("%s excludes %s %s, which %s belongs to: Graph refuses a pass for them. Issue passes only to users the policy targets.",
					where, t.TargetType, groupName(ctx, c, t.ID), user))
			return
		}
	}
	if everyone || slices.ContainsFunc(pol.IncludeTargets, func(t graph.Target) bool { return in[strings.ToLower(t.ID)] }) {
		return
	}
	var names []string
	for _, t := range pol.IncludeTargets {
		names = append(names, groupName(ctx, c, t.ID))
	}
	diags.AddAttributeError(path.Root("user_id"), "User outside the Temporary Access Pass policy",
		fmt.Sprintf("%s includes only %s, and %s is in none of them: Graph refuses a pass for them. Add the user (or a group of theirs) to the policy's include_targets first.",
			where, strings.Join(names, ", "), user))
}

// memberships is the set of ids, in lower case, a user counts as in
// targets: their own object id and their groups'; nil for no such user.
// A user named by object id costs one read (their groups), by user
// principal name two.
func memberships(ctx context.Context, c *graph.Client, user string) (map[string]bool, error) {
	groups, err := c.CachedUserGroupIDs(ctx, user)
	if err != nil {
		return nil, err
	}
	id := user
	if !validators.IsUUID(user) {
		u, err := c.CachedUser(ctx, user)
		if err != nil || u == nil {
			return nil, err
		}
		id = u.ID
	} else if groups == nil {
		// No groups, or no such user: tell them apart.
		if u, err := c.CachedUser(ctx, user); err != nil || u == nil {
			return nil, err
		}
	}
	in := map[string]bool{strings.ToLower(id): true}
	for _, g := range groups {
		in[strings.ToLower(g)] = true
	}
	return in, nil
}

// groupName is a group's id with its display name, where the directory
// tells it.
func groupName(ctx context.Context, c *graph.Client, id string) string {
	if g, err := c.CachedGroup(ctx, id); err == nil && g != nil && g.DisplayName != "" {
		return fmt.Sprintf("%s (%q)", id, g.DisplayName)
	}
	return id
}

// issue creates a pass from m's arguments and fills m from Graph's answer.
func issue(ctx context.Context, c *graph.Client, m *tapModel, diags *diag.Diagnostics) {
	// Unset arguments are unknown in a plan: leave them out so that Graph
	// applies the policy's defaults (ValueXPointer would send zero values).
	var req graph.NewTemporaryAccessPass
	if !m.LifetimeInMinutes.IsUnknown() {
		req.LifetimeInMinutes = m.LifetimeInMinutes.ValueInt64Pointer()
	}
	if !m.IsUsableOnce.IsUnknown() {
		req.IsUsableOnce = m.IsUsableOnce.ValueBoolPointer()
	}
	if s := m.StartDateTime; !s.IsNull() && !s.IsUnknown() {
		t, _ := time.Parse(time.RFC3339, s.ValueString()) // validated at plan
		req.StartDateTime = &t
	}
	p, err := c.CreateTemporaryAccessPass(ctx, m.UserID.ValueString(), req)
	if err != nil {
		graphError(diags, "issuing a Temporary Access Pass for "+m.UserID.ValueString(), err)
		return
	}
	m.tapMetadata.fill(p)
	m.TemporaryAccessPass = types.StringPointerValue(p.Secret)
	// The record names the pass, never its value.
	tflog.Info(ctx, "issued a Temporary Access Pass", map[string]any{
		"user_id": m.UserID.ValueString(), "method_id": p.ID, "lifetime_in_minutes": p.LifetimeInMinutes,
	})
}

// fill copies Graph's metadata into m, keeping a configured start time's
// spelling when it names the same instant.
func (m *tapMetadata) fill(p *graph.TemporaryAccessPass) {
	m.ID = types.StringValue(p.ID)
	if prior, err := time.Parse(time.RFC3339, m.StartDateTime.ValueString()); err != nil || !prior.Equal(p.StartDateTime) {
		m.StartDateTime = timestamp(p.StartDateTime)
	}
	m.LifetimeInMinutes = types.Int64Value(p.LifetimeInMinutes)
	m.IsUsableOnce = types.BoolValue(p.IsUsableOnce)
	m.CreatedDateTime = timestamp(p.CreatedDateTime)
	m.IsUsable = types.BoolValue(p.IsUsable)
	m.MethodUsabilityReason = types.StringValue(p.MethodUsabilityReason)
}

func (r *temporaryAccessPassResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m tapModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	issue(ctx, r.client, &m, &resp.Diagnostics)
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		identify(ctx, resp.State, resp.Identity, &resp.Diagnostics)
	}
}

// Read refreshes the pass. A pass that is gone was either deleted or, since
// Graph keeps one per user, replaced by a newer one: the warning says which,
// and the resource leaves state so that the next plan issues a pass again.
func (r *temporaryAccessPassResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	identify(ctx, req.State, resp.Identity, &resp.Diagnostics)
	var m tapModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	user, id := m.UserID.ValueString(), m.ID.ValueString()
	var p *graph.TemporaryAccessPass
	err := confirmGone(ctx, m.CreatedDateTime, func() (err error) {
		p, err = r.client.ReadTemporaryAccessPass(ctx, user, id)
		return err
	})
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Temporary Access Pass no longer exists", goneReason(ctx, r.client, user, id))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		graphError(&resp.Diagnostics, "reading the Temporary Access Pass "+id+" of "+user, err)
		return
	}
	m.tapMetadata.fill(p)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// goneReason tells a deleted pass from a replaced one (or a deleted user).
func goneReason(ctx context.Context, c *graph.Client, user, id string) string {
	passes, err := c.ListTemporaryAccessPasses(ctx, user)
	switch {
	case graph.IsNotFound(err):
		return fmt.Sprintf("The user %s no longer exists, and with it the pass %s. The resource is removed from state.", user, id)
	case err == nil && len(passes) > 0:
		return fmt.Sprintf("The pass %s of %s was replaced by another pass (%s) issued outside this resource: Graph keeps one pass per user. "+
			"The resource is removed from state; the next apply issues a new pass, which replaces that one.", id, user, passes[0].ID)
	}
	return fmt.Sprintf("The pass %s of %s was deleted outside Terraform. The resource is removed from state; the next apply issues a new pass.", id, user)
}

func (r *temporaryAccessPassResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {
	// Every argument forces replacement: there is nothing to update in place.
}

func (r *temporaryAccessPassResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m tapModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	deleteError(&resp.Diagnostics, "the Temporary Access Pass "+m.ID.ValueString(), r.client.DeleteTemporaryAccessPass(ctx, m.UserID.ValueString(), m.ID.ValueString()))
}

// ImportState takes <user_id>/<method_id>. The pass's value cannot be
// recovered: temporary_access_pass is null after import.
func (r *temporaryAccessPassResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importUserMethod(ctx, req, resp, "a Temporary Access Pass")
}
