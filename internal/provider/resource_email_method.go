package provider

import (
	"context"
	"fmt"
	"strings"

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

// emailMethodResource is entra_email_method: the address a user receives
// one-time codes at, for self-service password reset.
type emailMethodResource struct {
	client *graph.Client
	data   *providerData
}

type emailMethodModel struct {
	ID           types.String `tfsdk:"id"`
	UserID       types.String `tfsdk:"user_id"`
	EmailAddress types.String `tfsdk:"email_address"`
}

var (
	_ resource.ResourceWithIdentity    = (*emailMethodResource)(nil)
	_ resource.ResourceWithImportState = (*emailMethodResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*emailMethodResource)(nil)
)

func newEmailMethodResource() resource.Resource { return &emailMethodResource{} }

func (r *emailMethodResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_email_method"
}

func (r *emailMethodResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = userMethodIdentitySchema
}

func (r *emailMethodResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if r.data = configureData(req.ProviderData, &resp.Diagnostics); r.data != nil {
		r.client = r.data.graph
	}
}

func (r *emailMethodResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A user's email authentication method: the address that receives one-time codes for self-service password reset " +
			"(and, where the email policy allows it, for sign-in by guests). A user has one; destroying the resource deletes it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "The method's id: the same for every user."},
			"user_id": userIDAttribute(stringplanmodifier.RequiresReplace()),
			"email_address": schema.StringAttribute{Required: true,
				MarkdownDescription: "The address, such as `adele@fabrikam.example`. Use one outside the tenant: a code sent to the mailbox being recovered helps no one.",
				Validators:          []validator.String{validators.EmailAddress()}},
		},
	}
}

// ModifyPlan refuses at plan an email method for a user who has one,
// naming the import that would bring it under management.
func (r *emailMethodResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	own := r.data.claimUserMethod(ctx, "email method", req, resp)
	if !req.State.Raw.IsNull() {
		return
	}
	var user types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("user_id"), &user)...)
	if held, ok := checkUserExists(ctx, user, r.client.ListEmailMethods, &resp.Diagnostics); ok && len(held) > 0 && held[0].ID != own {
		resp.Diagnostics.AddAttributeError(path.Root("user_id"), "The user already has an email method",
			fmt.Sprintf("%s already has an email method (%s), and a user has one. Manage it by importing it: import { to = <this resource>, id = %q }",
				user.ValueString(), held[0].EmailAddress, user.ValueString()+"/"+held[0].ID))
	}
}

func (r *emailMethodResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m emailMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	user, address := m.UserID.ValueString(), m.EmailAddress.ValueString()
	created, err := r.client.CreateEmailMethod(ctx, user, address)
	if graph.MaybeDone(err) {
		// The answer was lost: the user's one email method, with this
		// address, is the one just added.
		if held, lerr := r.client.ListEmailMethods(ctx, user); lerr == nil && len(held) == 1 && strings.EqualFold(held[0].EmailAddress, address) {
			created, err = &held[0], nil
		}
	}
	if err != nil {
		graphError(&resp.Diagnostics, "adding the email method of "+user, err)
		return
	}
	m.fill(created)
	recordCreated(ctx, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	identify(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

// fill copies Graph's answer into m, keeping the configured spelling of an
// address Graph returns in other case.
func (m *emailMethodModel) fill(e *graph.EmailMethod) {
	m.ID = types.StringValue(e.ID)
	if !strings.EqualFold(e.EmailAddress, m.EmailAddress.ValueString()) {
		m.EmailAddress = types.StringValue(e.EmailAddress)
	}
}

func (r *emailMethodResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	identify(ctx, req.State, resp.Identity, &resp.Diagnostics)
	var m emailMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var e *graph.EmailMethod
	if readOrForget(ctx, resp, createdAt(ctx, req.Private), "the email method of "+m.UserID.ValueString(), "the next apply adds it again.", func() (err error) {
		e, err = r.client.ReadEmailMethod(ctx, m.UserID.ValueString(), m.ID.ValueString())
		return err
	}) {
		m.fill(e)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *emailMethodResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m emailMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.client.UpdateEmailAddress(ctx, m.UserID.ValueString(), m.ID.ValueString(), m.EmailAddress.ValueString()); err != nil {
		graphError(&resp.Diagnostics, "changing the email method of "+m.UserID.ValueString(), err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	identify(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *emailMethodResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m emailMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		deleteUserMethod(ctx, r.client, m.UserID.ValueString(), "emailMethods", m.ID.ValueString(), "the email method of "+m.UserID.ValueString(), &resp.Diagnostics)
	}
}

// ImportState takes <user_id>/<method_id>.
func (r *emailMethodResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importUserMethod(ctx, req, resp, "an email method")
}
