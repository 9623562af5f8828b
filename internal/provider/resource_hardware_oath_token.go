package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/totp"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// hardwareOathTokenResource is entra_hardware_oath_token (Graph beta): a
// token of the tenant's inventory, optionally assigned to a user and
// activated. The provider holds the token's secret while it applies, so it
// computes the current code (RFC 6238) and activates the token in the same
// apply, without anyone reading the token's display.
type hardwareOathTokenResource struct{ client *graph.Client }

type oathTokenModel struct {
	ID           types.String `tfsdk:"id"`
	SerialNumber types.String `tfsdk:"serial_number"`
	Manufacturer types.String `tfsdk:"manufacturer"`
	Model        types.String `tfsdk:"model"`
	SecretKeyWO  types.String `tfsdk:"secret_key_wo"`
	TimeInterval types.Int64  `tfsdk:"time_interval_in_seconds"`
	HashFunction types.String `tfsdk:"hash_function"`
	DisplayName  types.String `tfsdk:"display_name"`
	UserID       types.String `tfsdk:"user_id"`
	Activate     types.Bool   `tfsdk:"activate"`
	Status       types.String `tfsdk:"status"`
}

// assignedKey is the private-state key holding the user this resource
// assigned the token to: a token someone else assigned is not taken from
// its holder without the configuration naming them first.
const assignedKey = "assigned"

var (
	_ resource.ResourceWithImportState = (*hardwareOathTokenResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*hardwareOathTokenResource)(nil)
)

func newHardwareOathTokenResource() resource.Resource { return &hardwareOathTokenResource{} }

func (r *hardwareOathTokenResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_hardware_oath_token"
}

func (r *hardwareOathTokenResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (r *hardwareOathTokenResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A hardware OATH token (TOTP) in the tenant's inventory, through **Graph beta**: added with its secret, optionally assigned to a user and activated. " +
			"The secret is write-only and never stored; because the provider holds it during apply, it computes the token's current code (RFC 6238) and activates the token " +
			"in the same apply, so no one needs to read the token. This needs this machine's clock to be right within one time step. " +
			"Destroying the resource takes the token back from its user and removes it from the inventory.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "The token's id in the inventory."},
			"serial_number": schema.StringAttribute{Required: true, PlanModifiers: replace, Validators: []validator.String{validators.NotBlank()},
				MarkdownDescription: "The serial number printed on the token; unique in the inventory."},
			"manufacturer": schema.StringAttribute{Required: true, PlanModifiers: replace, Validators: []validator.String{validators.NotBlank()},
				MarkdownDescription: "The token's manufacturer."},
			"model": schema.StringAttribute{Required: true, PlanModifiers: replace, Validators: []validator.String{validators.NotBlank()},
				MarkdownDescription: "The token's model."},
			"secret_key_wo": schema.StringAttribute{Required: true, WriteOnly: true, Sensitive: true, Validators: []validator.String{base32Secret{}},
				MarkdownDescription: "The token's seed from the vendor's file, in base32. Write-only (Terraform 1.11+): sent when the token is added, used to compute activation codes, never stored. " +
					"Graph cannot change it: a new token (a new serial number) is a new resource."},
			"time_interval_in_seconds": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(30),
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Validators:          []validator.Int64{int64validator.OneOf(30, 60)},
				MarkdownDescription: "How often the token shows a new code: `30` (default) or `60` seconds."},
			"hash_function": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("hmacsha1"), PlanModifiers: replace,
				Validators:          []validator.String{stringvalidator.OneOf("hmacsha1", "hmacsha256")},
				MarkdownDescription: "`hmacsha1` (default) or `hmacsha256`, as the vendor's file says."},
			"display_name": schema.StringAttribute{Optional: true, Computed: true, PlanModifiers: keep,
				MarkdownDescription: "A name for the token; changed in place."},
			"user_id": schema.StringAttribute{Optional: true,
				MarkdownDescription: "The user the token is assigned to (object id or user principal name). Unset keeps it in the inventory unassigned; a change takes it back and assigns it to the new user. " +
					"A token someone assigned outside this configuration is not taken from them: name them here, or unassign it first."},
			"activate": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				MarkdownDescription: "Whether the apply that assigns the token also activates it (default `true`); with `false` the user activates it with a code from the token. " +
					"A token assigned but not activated is planned for activation again."},
			"status": schema.StringAttribute{Computed: true,
				MarkdownDescription: "`available`, `assigned`, `activated` or `failedActivation`."},
		},
	}
}

// base32Secret checks a token seed without ever repeating it.
type base32Secret struct{}

func (base32Secret) Description(context.Context) string               { return "must be base32" }
func (v base32Secret) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (base32Secret) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	if _, err := totp.DecodeSecret(req.ConfigValue.ValueString()); err != nil {
		hint := ""
		if strings.Trim(strings.ToLower(req.ConfigValue.ValueString()), "0123456789abcdef") == "" {
			hint = " It looks like hexadecimal: convert the vendor's hex seed to base32 first."
		}
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid token secret", "The secret is "+err.Error()+"; the value itself is not shown."+hint)
	}
}

// ModifyPlan checks the inventory at plan: a new token's serial number must
// be new, its user must exist, and a token is not taken from a user who
// holds it by another's hand. A move between users gets a warning.
func (r *hardwareOathTokenResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	var plan, state oathTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() && known(plan.SerialNumber) {
		r.checkSerial(ctx, plan, resp)
	}
	if plan.UserID.IsNull() && known(state.UserID) {
		r.checkUnassign(ctx, state, req.Private, resp)
		return
	}
	if !known(plan.UserID) || plan.UserID.Equal(state.UserID) {
		return
	}
	user, err := r.client.GetUser(ctx, plan.UserID.ValueString())
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("user_id"), "Unknown user", fmt.Sprintf("No user %q exists in the tenant (Graph: %v).", plan.UserID.ValueString(), err))
		return
	}
	if known(state.UserID) && err == nil {
		holder := state.UserID.ValueString()
		if !sameUser(privateString(ctx, req.Private, assignedKey), holder) {
			resp.Diagnostics.AddAttributeError(path.Root("user_id"), "Token held by another user",
				fmt.Sprintf("Token %s is assigned to %s, by someone other than this configuration; this plan would take it from them and give it to %s. "+
					"Set user_id = %q to keep it with them, or unassign it first.", state.SerialNumber.ValueString(), holder, user.UserPrincipalName, holder))
			return
		}
		resp.Diagnostics.AddWarning("Token moves to another user",
			fmt.Sprintf("This plan takes token %s from %s, who can no longer sign in with it, and assigns it to %s.", state.SerialNumber.ValueString(), holder, user.UserPrincipalName))
	}
	if pol, err := r.client.GetHardwareOathPolicy(ctx); err == nil && pol.State != "enabled" {
		resp.Diagnostics.AddWarning("The hardware OATH policy is disabled",
			"The tenant's hardware OATH policy (entra_hardware_oath_policy) is disabled, so Graph will refuse to assign this token unless this apply enables the policy first (make the token depend on it).")
	}
}

// checkUnassign plans taking the token back from its user: refused when
// someone other than this configuration assigned it, as a move is; said in
// words otherwise.
func (r *hardwareOathTokenResource) checkUnassign(ctx context.Context, state oathTokenModel, private privateGetter, resp *resource.ModifyPlanResponse) {
	holder := state.UserID.ValueString()
	if !sameUser(privateString(ctx, private, assignedKey), holder) {
		resp.Diagnostics.AddAttributeError(path.Root("user_id"), "Token held by another user",
			fmt.Sprintf("Token %s is assigned to %s, by someone other than this configuration; unsetting user_id would take it from them. "+
				"Set user_id = %q to keep it with them, or unassign it outside Terraform first.", state.SerialNumber.ValueString(), holder, holder))
		return
	}
	resp.Diagnostics.AddWarning("Token taken back from its user",
		fmt.Sprintf("This plan takes token %s from %s, who can no longer sign in with it, and keeps it in the inventory unassigned.",
			state.SerialNumber.ValueString(), holder))
}

// checkSerial looks for the new token's serial number in the inventory. A
// token held by someone other than the planned user is refused; one that
// is not is most likely a token this resource left tainted, which the
// apply replaces, so it only gets a warning naming the import.
func (r *hardwareOathTokenResource) checkSerial(ctx context.Context, plan oathTokenModel, resp *resource.ModifyPlanResponse) {
	held, err := r.client.FindOathToken(ctx, plan.SerialNumber.ValueString())
	if err != nil || held == nil {
		return
	}
	detail := fmt.Sprintf("The inventory already holds a token with serial number %s (%s, %s%s).", held.SerialNumber, held.ID, held.Status, holderOf(held))
	if held.AssignedTo != nil && !r.names(ctx, plan.UserID, held.AssignedTo.ID) {
		resp.Diagnostics.AddAttributeError(path.Root("serial_number"), "Token assigned to another user",
			detail+" It is not this configuration's to give away: import it (id = \""+held.SerialNumber+"\") with user_id naming its holder, or unassign it first.")
		return
	}
	resp.Diagnostics.AddAttributeWarning(path.Root("serial_number"), "Token already in the inventory",
		detail+" Unless this plan replaces this resource's own tainted token, the apply will fail: manage the token by importing it: import { to = <this resource>, id = \""+held.SerialNumber+"\" }")
}

func holderOf(t *graph.OathToken) string {
	if t.AssignedTo == nil {
		return ""
	}
	return ", assigned to " + t.AssignedTo.DisplayName + " (" + t.AssignedTo.ID + ")"
}

// sameUser compares two spellings of a user that Graph returned the same
// way; an object id and a UPN of one user are told apart by Read.
func sameUser(a, b string) bool { return a != "" && strings.EqualFold(a, b) }

func (r *hardwareOathTokenResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m oathTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("secret_key_wo"), &m.SecretKeyWO)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serial := m.SerialNumber.ValueString()
	t, err := r.client.CreateOathToken(ctx, graph.OathToken{
		SerialNumber: serial, Manufacturer: m.Manufacturer.ValueString(), Model: m.Model.ValueString(), SecretKey: m.SecretKeyWO.ValueString(),
		TimeIntervalInSeconds: m.TimeInterval.ValueInt64(), HashFunction: m.HashFunction.ValueString(), DisplayName: m.DisplayName.ValueString(),
	})
	if graph.MaybeDone(err) {
		// The answer was lost: the token with this serial number is ours.
		if found, ferr := r.client.FindOathToken(ctx, serial); ferr == nil && found != nil {
			t, err = found, nil
		}
	}
	if err != nil {
		graphError(&resp.Diagnostics, "adding hardware OATH token "+serial, err)
		return
	}
	m.ID = types.StringValue(t.ID)
	want := m.UserID
	m.UserID = types.StringNull()
	r.assign(ctx, &m, want, resp.Private, &resp.Diagnostics)
	r.refresh(ctx, &m, &resp.Diagnostics)
	m.SecretKeyWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// assign gives the token to user (when set) and activates it as m says,
// recording each step in m as it succeeds so that state follows the tenant.
func (r *hardwareOathTokenResource) assign(ctx context.Context, m *oathTokenModel, user types.String, private privateSetter, diags *diag.Diagnostics) {
	if !known(user) {
		return
	}
	method, err := r.client.AssignOathToken(ctx, user.ValueString(), m.ID.ValueString())
	if err != nil {
		graphError(diags, fmt.Sprintf("assigning token %s to %s", m.SerialNumber.ValueString(), user.ValueString()), err)
		return
	}
	m.UserID = user
	setPrivateString(ctx, private, assignedKey, user.ValueString(), diags)
	if m.Activate.ValueBool() {
		r.activate(ctx, m, method.ID, diags)
	}
}

// activate computes the token's current code from its secret and activates
// it: the user's method methodID holds it (empty: look it up).
func (r *hardwareOathTokenResource) activate(ctx context.Context, m *oathTokenModel, methodID string, diags *diag.Diagnostics) {
	if methodID == "" {
		methodID = r.methodOf(ctx, m.UserID.ValueString(), m.ID.ValueString())
	}
	secret, err := totp.DecodeSecret(m.SecretKeyWO.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("secret_key_wo"), "Invalid token secret", "The secret is "+err.Error()+".")
		return
	}
	token := totp.Token{Secret: secret, Step: time.Duration(m.TimeInterval.ValueInt64()) * time.Second, SHA256: m.HashFunction.ValueString() == "hmacsha256"}
	err = r.client.ActivateOathToken(ctx, m.UserID.ValueString(), methodID, token.Code(time.Now()))
	if err != nil && !graph.MaybeDone(err) {
		graphError(diags, fmt.Sprintf("activating token %s", m.SerialNumber.ValueString()), err)
	}
	if err == nil {
		// The record names the token, never its seed or code.
		tflog.Info(ctx, "activated a hardware OATH token", map[string]any{"serial_number": m.SerialNumber.ValueString(), "user_id": m.UserID.ValueString()})
	}
	if graph.IsBadRequest(err) {
		diags.AddAttributeError(path.Root("secret_key_wo"), "Token not activated",
			"Graph refused the code computed from secret_key_wo. Check the secret, time_interval_in_seconds and hash_function against the vendor's file, and this machine's clock; "+
				"the next apply tries again.")
	}
}

// refresh reads the token into m. The user keeps the configuration's
// spelling when it names the holder; activate follows the token once it
// was meant to be activated.
func (r *hardwareOathTokenResource) refresh(ctx context.Context, m *oathTokenModel, diags *diag.Diagnostics) {
	t, err := r.client.GetOathToken(ctx, m.ID.ValueString())
	if err != nil {
		graphError(diags, "reading hardware OATH token "+m.SerialNumber.ValueString(), err)
		return
	}
	r.fill(ctx, m, t)
}

func (r *hardwareOathTokenResource) fill(ctx context.Context, m *oathTokenModel, t *graph.OathToken) {
	m.SerialNumber, m.Manufacturer, m.Model = types.StringValue(t.SerialNumber), types.StringValue(t.Manufacturer), types.StringValue(t.Model)
	m.TimeInterval, m.HashFunction = types.Int64Value(t.TimeIntervalInSeconds), types.StringValue(t.HashFunction)
	m.DisplayName, m.Status = types.StringValue(t.DisplayName), types.StringValue(t.Status)
	switch {
	case t.AssignedTo == nil:
		m.UserID = types.StringNull()
	case !r.names(ctx, m.UserID, t.AssignedTo.ID):
		m.UserID = types.StringValue(t.AssignedTo.ID)
	}
	if m.Activate.IsNull() {
		m.Activate = types.BoolValue(true) // the default, after an import
	}
	if known(m.UserID) && m.Activate.ValueBool() {
		m.Activate = types.BoolValue(t.Status == "activated")
	}
}

// names reports whether user (an object id or UPN) is the user with id.
func (r *hardwareOathTokenResource) names(ctx context.Context, user types.String, id string) bool {
	if !known(user) {
		return false
	}
	if strings.EqualFold(user.ValueString(), id) {
		return true
	}
	u, err := r.client.GetUser(ctx, user.ValueString())
	return err == nil && strings.EqualFold(u.ID, id)
}

// methodOf finds the user's method that holds token id, or "". It is read
// when needed, not kept: a token assigned again outside Terraform is held
// by a new method.
func (r *hardwareOathTokenResource) methodOf(ctx context.Context, user, id string) string {
	methods, err := r.client.ListOathMethods(ctx, user)
	for _, m := range methods {
		if err == nil && strings.EqualFold(m.Device.ID, id) {
			return m.ID
		}
	}
	return ""
}

func (r *hardwareOathTokenResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m oathTokenModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var t *graph.OathToken
	if !readOrForget(ctx, resp, types.StringNull(), "hardware OATH token "+m.SerialNumber.ValueString(), "the next apply adds it again.", func() (err error) {
		t, err = r.client.GetOathToken(ctx, m.ID.ValueString())
		return err
	}) {
		return
	}
	// A holder the state already agreed with is one this configuration
	// accepted: record it as such.
	before := m.UserID
	r.fill(ctx, &m, t)
	if known(before) && m.UserID.Equal(before) {
		setPrivateString(ctx, resp.Private, assignedKey, m.UserID.ValueString(), &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *hardwareOathTokenResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior oathTokenModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("secret_key_wo"), &m.SecretKeyWO)...)
	if resp.Diagnostics.HasError() {
		return
	}
	serial := m.SerialNumber.ValueString()
	if known(m.DisplayName) && !m.DisplayName.Equal(prior.DisplayName) {
		if err := r.client.RenameOathToken(ctx, m.ID.ValueString(), m.DisplayName.ValueString()); err != nil {
			graphError(&resp.Diagnostics, "renaming token "+serial, err)
			return
		}
	}
	want := m.UserID
	m.UserID = prior.UserID
	switch {
	case !want.Equal(prior.UserID):
		if known(prior.UserID) && !r.unassign(ctx, &m, &resp.Diagnostics) {
			break
		}
		r.assign(ctx, &m, want, resp.Private, &resp.Diagnostics)
	case known(want) && m.Activate.ValueBool() && prior.Status.ValueString() != "activated":
		r.activate(ctx, &m, "", &resp.Diagnostics)
	}
	r.refresh(ctx, &m, &resp.Diagnostics)
	m.SecretKeyWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// unassign takes the token back from its user; false when that failed.
func (r *hardwareOathTokenResource) unassign(ctx context.Context, m *oathTokenModel, diags *diag.Diagnostics) bool {
	if method := r.methodOf(ctx, m.UserID.ValueString(), m.ID.ValueString()); method != "" {
		if err := r.client.UnassignOathToken(ctx, m.UserID.ValueString(), method); err != nil && !graph.IsNotFound(err) {
			graphError(diags, fmt.Sprintf("taking token %s back from %s", m.SerialNumber.ValueString(), m.UserID.ValueString()), err)
			return false
		}
	}
	m.UserID = types.StringNull()
	return true
}

// Delete takes the token back from its user, then removes it from the
// inventory.
func (r *hardwareOathTokenResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m oathTokenModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || (known(m.UserID) && !r.unassign(ctx, &m, &resp.Diagnostics)) {
		return
	}
	deleteError(&resp.Diagnostics, "token "+m.SerialNumber.ValueString()+" from the inventory", r.client.DeleteOathToken(ctx, m.ID.ValueString()))
}

// ImportState takes the token's id or its serial number.
func (r *hardwareOathTokenResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if !validators.IsUUID(id) {
		t, err := r.client.FindOathToken(ctx, id)
		switch {
		case err != nil:
			graphError(&resp.Diagnostics, "listing the hardware OATH token inventory", err)
			return
		case t == nil:
			resp.Diagnostics.AddError("Unknown serial number",
				fmt.Sprintf("No hardware OATH token with serial number %q is in the tenant's inventory. Import a token by its serial number or its id.", req.ID))
			return
		}
		id = t.ID
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}
