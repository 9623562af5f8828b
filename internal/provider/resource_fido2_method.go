package provider

import (
	"context"
	"encoding/json"
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
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

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
		"id": computed("The registration's authentication method id."),
		"user_id": schema.StringAttribute{Required: true, PlanModifiers: replace,
			MarkdownDescription: "The user's object id or user principal name.", Validators: []validator.String{validators.NotBlank()}},
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

// fido2MethodBase is the life cycle a registration shares, however it was
// made: read (a registration deleted outside Terraform leaves state with a
// warning), delete, and import by <user_id>/<method_id>.
type fido2MethodBase struct {
	data *providerData
}

func (r *fido2MethodBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

// refresh reads the registration into f; false means it is gone and the
// resource was removed from state.
func (r *fido2MethodBase) refresh(ctx context.Context, f *fido2MethodFields, resp *resource.ReadResponse) bool {
	user, id := f.UserID.ValueString(), f.ID.ValueString()
	var m *graph.Fido2Method
	err := confirmGone(ctx, f.CreatedDateTime, func() (err error) {
		m, err = r.data.graph.GetFido2Method(ctx, user, id)
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

func (r *fido2MethodBase) remove(ctx context.Context, f *fido2MethodFields, diags *diag.Diagnostics) {
	err := r.data.graph.DeleteFido2Method(ctx, f.UserID.ValueString(), f.ID.ValueString())
	if err != nil && !graph.IsNotFound(err) {
		graphError(diags, "deleting the FIDO2 registration "+f.ID.ValueString(), err)
	}
}

// ModifyPlan refuses a new registration where Graph cannot make one, and
// reports an unknown user, at plan, before any enrolment.
func (r *fido2MethodBase) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil || req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() {
		return
	}
	// Graph's reference for fido2Methods creationOptions and POST lists the
	// global service only among its national cloud deployments.
	if cloud := r.data.graph.NationalCloud(); cloud != "" {
		resp.Diagnostics.AddError("Passkeys cannot be provisioned in this cloud",
			fmt.Sprintf("Microsoft Graph registers FIDO2 keys on a user's behalf in its global service only, and graph_endpoint points at the %s national cloud. "+
				"Users there register their own keys (for example with a Temporary Access Pass); registrations already made can be imported.", cloud))
		return
	}
	var user types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("user_id"), &user)...)
	checkUserExists(ctx, user, r.data.graph.ListFido2Methods, &resp.Diagnostics)
}

func (r *fido2MethodBase) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	user, id, ok := splitImportID(req.ID)
	if !ok {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import a FIDO2 registration with <user_id>/<method_id> (the user's object id or UPN, and the method's id), not %q.", req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), user)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

type fido2MethodModel struct {
	fido2MethodFields
	PublicKeyCredential types.String `tfsdk:"public_key_credential"`
}

type fido2MethodResource struct{ fido2MethodBase }

var (
	_ resource.ResourceWithImportState    = (*fido2MethodResource)(nil)
	_ resource.ResourceWithValidateConfig = (*fido2MethodResource)(nil)
)

func newFido2MethodResource() resource.Resource { return &fido2MethodResource{} }

func (r *fido2MethodResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_fido2_method"
}

func (r *fido2MethodResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := fido2MethodAttributes()
	attrs["public_key_credential"] = schema.StringAttribute{Optional: true,
		PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
		MarkdownDescription: "A WebAuthn registration to post (bring your own attestation): JSON `{\"id\", \"response\": {\"clientDataJSON\", \"attestationObject\"}}` " +
			"with base64 values (base64url without padding is sent to Graph; standard and padded base64 are converted), made against a challenge from Graph's creation options for this user. Needed to create; null for imported registrations (Graph never returns it).",
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A user's FIDO2 security key or passkey registration. Manages registrations that exist already (import them) or that come from elsewhere " +
			"(a `public_key_credential` made by your own tooling). To enrol a key attached to this machine, use `entra_security_key`.",
		Attributes: attrs,
	}
}

// ValidateConfig checks a supplied credential at plan time: JSON, base64url
// values, client data and a CBOR attestation object.
func (r *fido2MethodResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m fido2MethodModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if m.PublicKeyCredential.IsNull() || m.PublicKeyCredential.IsUnknown() {
		return
	}
	if _, err := parseCredential(m.PublicKeyCredential.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("public_key_credential"), "Invalid public_key_credential", err.Error())
	}
}

func parseCredential(s string) (*graph.PublicKeyCredential, error) {
	var c graph.PublicKeyCredential
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return nil, fmt.Errorf("public_key_credential is not JSON: %v", err)
	}
	fields := map[string]string{"id": c.ID, "response.clientDataJSON": c.Response.ClientDataJSON, "response.attestationObject": c.Response.AttestationObject}
	decoded := map[string][]byte{}
	for _, name := range []string{"id", "response.clientDataJSON", "response.attestationObject"} {
		if fields[name] == "" {
			return nil, fmt.Errorf("public_key_credential lacks %s", name)
		}
		b, err := webauthn.Decode(fields[name])
		if err != nil {
			return nil, fmt.Errorf("public_key_credential %s is not base64url: %v", name, err)
		}
		decoded[name] = b
	}
	if _, err := webauthn.ParseClientData(decoded["response.clientDataJSON"]); err != nil {
		return nil, fmt.Errorf("public_key_credential response.clientDataJSON: %v", err)
	}
	obj, err := webauthn.ParseAttestationObject(decoded["response.attestationObject"])
	if err != nil {
		return nil, fmt.Errorf("public_key_credential response.attestationObject: %v", err)
	}
	if _, err := webauthn.ParseAuthenticatorData(obj.AuthData); err != nil {
		return nil, fmt.Errorf("public_key_credential response.attestationObject: %v", err)
	}
	// Tools write standard or padded base64 too; Graph's reference asks
	// for base64url without padding.
	c.ID = webauthn.Encode(decoded["id"])
	c.Response.ClientDataJSON = webauthn.Encode(decoded["response.clientDataJSON"])
	c.Response.AttestationObject = webauthn.Encode(decoded["response.attestationObject"])
	return &c, nil
}

// ModifyPlan refuses, at plan, a new registration with nothing to register.
func (r *fido2MethodResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.fido2MethodBase.ModifyPlan(ctx, req, resp)
	if req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() {
		return
	}
	var cred types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("public_key_credential"), &cred)...)
	if cred.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("public_key_credential"), "Nothing to register", noCredential)
	}
}

const noCredential = "public_key_credential is needed to create a registration. Import an existing one with <user_id>/<method_id>, or enrol an attached key with entra_security_key."

func (r *fido2MethodResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m fido2MethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m.PublicKeyCredential.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("public_key_credential"), "Nothing to register", noCredential)
		return
	}
	cred, err := parseCredential(m.PublicKeyCredential.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Invalid public_key_credential", err.Error())
		return
	}
	method, err := r.data.graph.RegisterFido2Method(ctx, m.UserID.ValueString(), m.DisplayName.ValueString(), *cred)
	if err != nil {
		graphError(&resp.Diagnostics, "registering the FIDO2 credential for "+m.UserID.ValueString(), err)
		return
	}
	m.fill(method)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *fido2MethodResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m fido2MethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() && r.refresh(ctx, &m.fido2MethodFields, resp) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *fido2MethodResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {
	// Every argument forces replacement.
}

func (r *fido2MethodResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m fido2MethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		r.remove(ctx, &m.fido2MethodFields, &resp.Diagnostics)
	}
}
