package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// What a user's FIDO2 registration is and how it lives, however it was made:
// entra_fido2_method (imported, or bring your own attestation) and
// entra_security_key (enrolled from an attached key) call these from their
// own methods.

// fido2MethodFields is what Graph tells about a FIDO2 registration; both the
// security-key resource and entra_fido2_method hold it.
type fido2MethodFields struct {
	ID                      types.String `tfsdk:"id"`
	UserID                  types.String `tfsdk:"user_id"`
	DisplayName             types.String `tfsdk:"display_name"`
	AAGUID                  types.String `tfsdk:"aaguid"`
	Model                   types.String `tfsdk:"model"`
	AttestationLevel        types.String `tfsdk:"attestation_level"`
	AttestationCertificates types.List   `tfsdk:"attestation_certificates"`
	PasskeyType             types.String `tfsdk:"passkey_type"`
	CreatedDateTime         types.String `tfsdk:"created_date_time"`
}

func (f *fido2MethodFields) fill(m *graph.Fido2Method) {
	f.ID = types.StringValue(m.ID)
	f.DisplayName = types.StringValue(m.DisplayName)
	f.AAGUID = types.StringValue(m.AAGUID)
	f.Model = types.StringValue(m.Model)
	f.AttestationLevel = types.StringValue(m.AttestationLevel)
	certs := make([]attr.Value, len(m.AttestationCertificates))
	for i, c := range m.AttestationCertificates {
		certs[i] = types.StringValue(c)
	}
	f.AttestationCertificates = types.ListValueMust(types.StringType, certs)
	f.PasskeyType = types.StringValue(m.PasskeyType)
	f.CreatedDateTime = timestamp(m.CreatedDateTime)
}

// fido2MethodAttributes are the registration's attributes: user_id and
// display_name force a new registration (Graph cannot change one).
func fido2MethodAttributes() map[string]schema.Attribute {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: desc}
	}
	return map[string]schema.Attribute{
		"id":      computed("The registration's authentication method id."),
		"user_id": userIDAttribute(replace...),
		"display_name": schema.StringAttribute{Required: true, PlanModifiers: replace,
			MarkdownDescription: "The name the user sees for the key, 1 to 30 characters.",
			Validators:          []validator.String{stringvalidator.LengthBetween(1, 30)}},
		"aaguid":            computed("The authenticator model's AAGUID."),
		"model":             computed("The authenticator model, as Entra names it from the AAGUID (empty when unknown)."),
		"attestation_level": computed("`attested` when Entra verified the key's attestation, else `notAttested`."),
		"attestation_certificates": schema.ListAttribute{Computed: true, ElementType: types.StringType,
			MarkdownDescription: "Thumbprints of the attestation certificates.",
			PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()}},
		"passkey_type":      computed("`deviceBound` or `synced`."),
		"created_date_time": computed("When the key was registered."),
	}
}

// refreshRegistration reads the registration into f; false means it is gone
// (deleted outside Terraform: the resource leaves state with a warning) or
// unreadable.
func refreshRegistration(ctx context.Context, c *graph.Client, f *fido2MethodFields, resp *resource.ReadResponse) bool {
	user, id := f.UserID.ValueString(), f.ID.ValueString()
	var m *graph.Fido2Method
	err := confirmGone(ctx, f.CreatedDateTime, func() (err error) {
		m, err = c.ReadFido2Method(ctx, user, id)
		return err
	})
	if graph.IsNotFound(err) {
		resp.Diagnostics.AddWarning("FIDO2 registration no longer exists",
			fmt.Sprintf("The FIDO2 registration %s of %s was deleted outside Terraform. The resource is removed from state; the next apply registers a key again.", id, user))
		resp.State.RemoveResource(ctx)
		return false
	}
	if err != nil {
		graphError(&resp.Diagnostics, "reading the FIDO2 registration "+id+" of "+user, err)
		return false
	}
	f.fill(m)
	return true
}

// deleteRegistration deletes the registration; one already gone is fine.
func deleteRegistration(ctx context.Context, c *graph.Client, f *fido2MethodFields, diags *diag.Diagnostics) {
	deleteError(diags, "the FIDO2 registration "+f.ID.ValueString(), c.DeleteFido2Method(ctx, f.UserID.ValueString(), f.ID.ValueString()))
}

// planRegistration refuses, at plan and before any enrolment, a new
// registration where Graph cannot make one, and an unknown user; it
// returns the user's registrations when it read them.
func planRegistration(ctx context.Context, c *graph.Client, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) []graph.Fido2Method {
	if c == nil || req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() {
		return nil
	}
	// Graph's reference for fido2Methods creationOptions and POST lists the
	// global service only among its national cloud deployments.
	if cloud := c.NationalCloud(); cloud != "" {
		resp.Diagnostics.AddError("Passkeys cannot be provisioned in this cloud",
			fmt.Sprintf("Microsoft Graph registers FIDO2 keys on a user's behalf in its global service only, and graph_endpoint points at the %s national cloud. "+
				"Users there register their own keys (for example with a Temporary Access Pass); registrations already made can be imported.", cloud))
		return nil
	}
	var user types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("user_id"), &user)...)
	held, _ := checkUserExists(ctx, user, c.ListFido2Methods, &resp.Diagnostics)
	return held
}
