package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// phoneMethodResource is entra_phone_method: one of a user's phones, for
// multifactor sign-in, self-service password reset and SMS sign-in.
type phoneMethodResource struct {
	client *graph.Client
	data   *providerData
}

type phoneMethodModel struct {
	ID               types.String `tfsdk:"id"`
	UserID           types.String `tfsdk:"user_id"`
	PhoneType        types.String `tfsdk:"phone_type"`
	PhoneNumber      types.String `tfsdk:"phone_number"`
	SmsSignInEnabled types.Bool   `tfsdk:"sms_sign_in_enabled"`
	SmsSignInState   types.String `tfsdk:"sms_sign_in_state"`
}

var (
	_ resource.ResourceWithIdentity       = (*phoneMethodResource)(nil)
	_ resource.ResourceWithImportState    = (*phoneMethodResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*phoneMethodResource)(nil)
	_ resource.ResourceWithValidateConfig = (*phoneMethodResource)(nil)
)

func newPhoneMethodResource() resource.Resource { return &phoneMethodResource{} }

func (r *phoneMethodResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_phone_method"
}

func (r *phoneMethodResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = userMethodIdentitySchema
}

func (r *phoneMethodResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if r.data = configureData(req.ProviderData, &resp.Diagnostics); r.data != nil {
		r.client = r.data.graph
	}
}

// phoneTypes are Graph's phone types, each with the one id its phone has.
var phoneTypes = map[string]string{
	"mobile":          "3179e48a-750b-4051-897c-87b9720928f7",
	"alternateMobile": "b6332ec1-7057-4abe-9331-3d72feddfe41",
	"office":          "e37fc753-ff3b-4958-9484-eaa9425c82bc",
}

func (r *phoneMethodResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One of a user's phones: a mobile, alternate mobile or office number for multifactor sign-in and self-service password reset, " +
			"and, for a mobile phone, SMS sign-in. A user has at most one phone of each type and needs a mobile phone before an alternate one. " +
			"Destroying the resource deletes the phone from the user.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "The phone's method id: Graph gives each type's phone the same id for every user."},
			"user_id": userIDAttribute(replace...),
			"phone_type": schema.StringAttribute{Required: true, PlanModifiers: replace,
				MarkdownDescription: "`mobile` (text messages and calls), `alternateMobile` (calls) or `office` (calls). Graph cannot change a phone's type: a new type replaces the phone.",
				Validators:          []validator.String{stringvalidator.OneOf("mobile", "alternateMobile", "office")}},
			"phone_number": schema.StringAttribute{Required: true,
				MarkdownDescription: "The number, as Graph takes it: `+{country code} {number}`, optionally followed by `x{extension}`, such as `+1 2065550100` or `+1 2065550100x123`.",
				Validators:          []validator.String{validators.PhoneNumber()}},
			"sms_sign_in_enabled": schema.BoolAttribute{Optional: true,
				MarkdownDescription: "Mobile phones only: `true` enables sign-in with a text-message code (the SMS policy must allow it for the user, and no other user may sign in with the number), `false` disables it. " +
					"Unset leaves it as Graph sets it: Graph registers a new mobile number for SMS sign-in when the policy allows."},
			"sms_sign_in_state": schema.StringAttribute{Computed: true,
				MarkdownDescription: "Whether the phone is ready for SMS sign-in: `ready`, `notEnabled`, `notAllowedByPolicy`, `phoneNumberNotUnique`, `notConfigured` or `notSupported` (not a mobile phone)."},
		},
	}
}

// ValidateConfig refuses SMS sign-in on a phone that is not a mobile one.
func (r *phoneMethodResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m phoneMethodModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if known(m.SmsSignInEnabled) && known(m.PhoneType) && m.PhoneType.ValueString() != "mobile" {
		resp.Diagnostics.AddAttributeError(path.Root("sms_sign_in_enabled"), "SMS sign-in needs a mobile phone",
			fmt.Sprintf("sms_sign_in_enabled is set on a phone of type %s: only a mobile phone can be used for SMS sign-in. Remove the argument.", m.PhoneType.ValueString()))
	}
}

// ModifyPlan refuses at plan a new phone of a type the user already has,
// naming the import that would bring it under management.
func (r *phoneMethodResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	var plan phoneMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if !known(plan.PhoneType) {
		return
	}
	own := r.data.claimUserMethod(ctx, plan.PhoneType.ValueString()+" phone", req, resp)
	if !req.State.Raw.IsNull() {
		return
	}
	phones, ok := checkUserExists(ctx, plan.UserID, r.client.ListPhoneMethods, &resp.Diagnostics)
	for _, p := range phones {
		if ok && p.PhoneType == plan.PhoneType.ValueString() && p.ID != own {
			user := plan.UserID.ValueString()
			resp.Diagnostics.AddAttributeError(path.Root("phone_type"), "The user already has this phone",
				fmt.Sprintf("%s already has a %s phone (%s), and a user has one phone of each type. Manage it by importing it: "+
					"import { to = <this resource>, id = %q }", user, p.PhoneType, p.PhoneNumber, user+"/"+p.PhoneType))
		}
	}
}

func (r *phoneMethodResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m phoneMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	user := m.UserID.ValueString()
	want := graph.PhoneMethod{PhoneNumber: m.PhoneNumber.ValueString(), PhoneType: m.PhoneType.ValueString()}
	created, err := r.client.CreatePhoneMethod(ctx, user, want)
	if graph.MaybeDone(err) {
		// The answer was lost: the phone of this type, with this number,
		// is the one just added.
		if p, gerr := r.client.GetPhoneMethod(ctx, user, phoneTypes[want.PhoneType]); gerr == nil && sameNumber(p.PhoneNumber, want.PhoneNumber) {
			created, err = p, nil
		}
	}
	if err != nil {
		graphError(&resp.Diagnostics, fmt.Sprintf("adding the %s phone of %s", want.PhoneType, user), err)
		return
	}
	m.ID = types.StringValue(created.ID)
	recordCreated(ctx, resp.Private, &resp.Diagnostics)
	// The phone exists from here: state records it even if what follows fails.
	r.settle(ctx, &m, created, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	identify(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

// settle switches SMS sign-in as configured, then reads the phone back
// into m; read is the phone as Graph last answered.
func (r *phoneMethodResource) settle(ctx context.Context, m *phoneMethodModel, read *graph.PhoneMethod, diags *diag.Diagnostics) {
	user, id := m.UserID.ValueString(), m.ID.ValueString()
	if want := m.SmsSignInEnabled; known(want) && want.ValueBool() != (read.SmsSignInState == "ready") {
		if err := r.client.SetSmsSignIn(ctx, user, id, want.ValueBool()); err != nil {
			graphError(diags, fmt.Sprintf("switching SMS sign-in of the mobile phone of %s", user), err)
		}
		if p, err := r.client.GetPhoneMethod(ctx, user, id); err == nil {
			read = p
		}
	}
	m.fill(read)
}

// fill copies Graph's answer into m. A masked number that fits the one in
// m is that number (an Authentication Administrator reads numbers masked);
// SMS sign-in is recorded only when configured.
func (m *phoneMethodModel) fill(p *graph.PhoneMethod) {
	if !sameNumber(p.PhoneNumber, m.PhoneNumber.ValueString()) {
		m.PhoneNumber = types.StringValue(p.PhoneNumber)
	}
	m.PhoneType = types.StringValue(p.PhoneType)
	m.SmsSignInState = types.StringValue(p.SmsSignInState)
	if !m.SmsSignInEnabled.IsNull() {
		m.SmsSignInEnabled = types.BoolValue(p.SmsSignInState == "ready")
	}
}

// sameNumber reports whether Graph's read fits the number known: equal, or
// masked with X where the known number has digits.
func sameNumber(read, known string) bool {
	if len(read) != len(known) {
		return false
	}
	for i := range len(read) {
		if read[i] != known[i] && (read[i] != 'X' || known[i] < '0' || known[i] > '9') {
			return false
		}
	}
	return true
}

func (r *phoneMethodResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	identify(ctx, req.State, resp.Identity, &resp.Diagnostics)
	var m phoneMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var p *graph.PhoneMethod
	what := fmt.Sprintf("the %s phone of %s", m.PhoneType.ValueString(), m.UserID.ValueString())
	if readOrForget(ctx, resp, createdAt(ctx, req.Private), what, "the next apply adds it again.", func() (err error) {
		p, err = r.client.ReadPhoneMethod(ctx, m.UserID.ValueString(), m.ID.ValueString())
		return err
	}) {
		m.fill(p)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *phoneMethodResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior phoneMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	user, id := m.UserID.ValueString(), m.ID.ValueString()
	if !m.PhoneNumber.Equal(prior.PhoneNumber) {
		if err := r.client.UpdatePhoneNumber(ctx, user, id, m.PhoneNumber.ValueString()); err != nil {
			graphError(&resp.Diagnostics, fmt.Sprintf("changing the %s number of %s", m.PhoneType.ValueString(), user), err)
			return
		}
	}
	p, err := r.client.GetPhoneMethod(ctx, user, id)
	if err != nil {
		graphError(&resp.Diagnostics, fmt.Sprintf("reading the %s phone of %s", m.PhoneType.ValueString(), user), err)
		return
	}
	r.settle(ctx, &m, p, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	identify(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *phoneMethodResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m phoneMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		deleteUserMethod(ctx, r.client, m.UserID.ValueString(), "phoneMethods", m.ID.ValueString(),
			fmt.Sprintf("the %s phone of %s", m.PhoneType.ValueString(), m.UserID.ValueString()), &resp.Diagnostics)
	}
}

// ImportState takes <user_id>/<method_id>, or <user_id>/<phone_type> since
// each type's phone has a fixed id, or an identity.
func (r *phoneMethodResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	user, id, ok := importTarget(ctx, req, &resp.Diagnostics)
	for t, tid := range phoneTypes {
		if ok && (id == t || strings.EqualFold(id, tid)) {
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), user)...)
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), tid)...)
			resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("phone_type"), t)...)
			return
		}
	}
	resp.Diagnostics.AddError("Invalid import id",
		fmt.Sprintf("Import a phone with <user_id>/<phone type> (mobile, alternateMobile or office) or <user_id>/<method id>, not %q.", req.ID))
}
