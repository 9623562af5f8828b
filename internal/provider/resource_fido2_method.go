package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

type fido2MethodModel struct {
	fido2MethodFields
	PublicKeyCredential types.String `tfsdk:"public_key_credential"`
}

// fido2MethodResource is entra_fido2_method; what it shares with
// entra_security_key is in common_fido2_registration.go.
type fido2MethodResource struct{ client *graph.Client }

var (
	_ resource.ResourceWithIdentity       = (*fido2MethodResource)(nil)
	_ resource.ResourceWithImportState    = (*fido2MethodResource)(nil)
	_ resource.ResourceWithValidateConfig = (*fido2MethodResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*fido2MethodResource)(nil)
)

func newFido2MethodResource() resource.Resource { return &fido2MethodResource{} }

func (r *fido2MethodResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_fido2_method"
}

func (r *fido2MethodResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = userMethodIdentitySchema
}

func (r *fido2MethodResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
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

// ModifyPlan makes a revocation plain in a destroy plan, and refuses, at
// plan, a new registration Graph cannot make or one with nothing to
// register.
func (r *fido2MethodResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() && !req.State.Raw.IsNull() {
		var m fido2MethodModel
		resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
		resp.Diagnostics.AddWarning("Destroying revokes a FIDO2 registration",
			fmt.Sprintf("This plan deletes the FIDO2 registration %s (%q, %s) of %s: the key or passkey no longer signs the user in. "+
				"To stop managing it without revoking it, remove it with a removed block and lifecycle { destroy = false }.",
				m.ID.ValueString(), m.DisplayName.ValueString(), m.Model.ValueString(), m.UserID.ValueString()))
		return
	}
	planRegistration(ctx, r.client, req, resp)
	if req.Plan.Raw.IsNull() {
		return
	}
	var cred types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("public_key_credential"), &cred)...)
	if !req.State.Raw.IsNull() {
		var prior, plan fido2MethodModel
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		if cred.IsNull() && !resp.Diagnostics.HasError() && !prior.DisplayName.Equal(plan.DisplayName) {
			resp.Diagnostics.AddAttributeError(path.Root("display_name"), "Graph cannot rename a FIDO2 registration",
				fmt.Sprintf("The registration %s of %s is named %q when the key registers, and Graph offers no way to rename it; replacing it would revoke it "+
					"with nothing to register instead. To show another name, register the key again under that name (entra_security_key enrols an attached key, "+
					"or give this resource a new public_key_credential), then remove this registration. To keep it as it is, set display_name = %q.",
					prior.ID.ValueString(), prior.UserID.ValueString(), prior.DisplayName.ValueString(), prior.DisplayName.ValueString()))
		}
		return
	}
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
	method, err := r.client.RegisterFido2Method(ctx, m.UserID.ValueString(), m.DisplayName.ValueString(), *cred)
	if err != nil {
		graphError(&resp.Diagnostics, "registering the FIDO2 credential for "+m.UserID.ValueString(), err)
		return
	}
	m.fill(method)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	identify(ctx, resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *fido2MethodResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	identify(ctx, req.State, resp.Identity, &resp.Diagnostics)
	var m fido2MethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() && refreshRegistration(ctx, r.client, &m.fido2MethodFields, resp) {
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
		deleteRegistration(ctx, r.client, &m.fido2MethodFields, &resp.Diagnostics)
	}
}

func (r *fido2MethodResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importUserMethod(ctx, req, resp, "a FIDO2 registration")
}
