package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Methods users register on their own devices, which Graph can read and
// delete but not create: entra_microsoft_authenticator_method,
// entra_software_oath_method, entra_windows_hello_for_business_method and
// entra_platform_credential_method. They come under management by import;
// destroying one revokes it, so revoking what a lost device held is a
// reviewed plan. One table row per type; the life cycle is shared.

// registeredKind is one such type.
type registeredKind struct {
	typeName   string // after "entra_"
	collection string // under /users/{id}/authentication/
	title      string // "Microsoft Authenticator registration"
	// registeredHow tells how a user registers one, for the refusal to
	// create.
	registeredHow string
	// properties are Graph's string properties of the method, by
	// attribute name.
	properties []registeredProperty
}

type registeredProperty struct{ attribute, graphName, description string }

var (
	displayNameProperty = registeredProperty{"display_name", "displayName", "The name of the device the method is on, as Graph shows it."}
	createdProperty     = registeredProperty{"created_date_time", "createdDateTime", "When the user registered the method."}
	keyStrengthProperty = registeredProperty{"key_strength", "keyStrength", "`normal`, `weak` or `unknown`."}
)

var registeredKinds = []registeredKind{
	{typeName: "microsoft_authenticator_method", collection: "microsoftAuthenticatorMethods", title: "Microsoft Authenticator registration",
		registeredHow: "the user adds their account in the Microsoft Authenticator app",
		properties: []registeredProperty{displayNameProperty, createdProperty,
			{"device_tag", "deviceTag", "Tags the device: `SoftwareTokenActivated` and others Graph defines."},
			{"phone_app_version", "phoneAppVersion", "The app's version on the device."}}},
	{typeName: "software_oath_method", collection: "softwareOathMethods", title: "software OATH token",
		registeredHow: "the user adds a token in an authenticator app, which holds its secret"},
	{typeName: "windows_hello_for_business_method", collection: "windowsHelloForBusinessMethods", title: "Windows Hello for Business registration",
		registeredHow: "the user sets up Windows Hello for Business on a Windows device",
		properties:    []registeredProperty{displayNameProperty, createdProperty, keyStrengthProperty}},
	{typeName: "platform_credential_method", collection: "platformCredentialMethods", title: "platform credential",
		registeredHow: "the user registers their Mac with Platform SSO",
		properties: []registeredProperty{displayNameProperty, createdProperty, keyStrengthProperty,
			{"platform", "platform", "The device's platform, such as `macOS`."}}},
}

// setProperties writes the kind's properties, from Graph's, through set
// (a state's or a listed resource's SetAttribute).
func (k registeredKind) setProperties(ctx context.Context, props map[string]json.RawMessage, set func(context.Context, path.Path, any) diag.Diagnostics) diag.Diagnostics {
	var diags diag.Diagnostics
	for _, p := range k.properties {
		var s *string
		_ = json.Unmarshal(props[p.graphName], &s)
		diags.Append(set(ctx, path.Root(p.attribute), types.StringPointerValue(s))...)
	}
	return diags
}

func registeredMethodResources() []func() resource.Resource {
	return factories(registeredKinds, func(k registeredKind) resource.Resource { return &registeredMethodResource{kind: k} })
}

type registeredMethodResource struct {
	kind   registeredKind
	client *graph.Client
}

var (
	_ resource.ResourceWithIdentity    = (*registeredMethodResource)(nil)
	_ resource.ResourceWithImportState = (*registeredMethodResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*registeredMethodResource)(nil)
)

func (r *registeredMethodResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.typeName
}

func (r *registeredMethodResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = userMethodIdentitySchema
}

func (r *registeredMethodResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (r *registeredMethodResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	attrs := map[string]schema.Attribute{
		"id":      schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "The method's id."},
		"user_id": userIDAttribute(stringplanmodifier.RequiresReplace()),
	}
	for _, p := range r.kind.properties {
		attrs[p.attribute] = schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: p.description}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("A user's %s. Graph cannot create one (%s): bring an existing one under management with an import "+
			"(`<user_id>/<method_id>`; `entra_user_authentication_methods` finds the ids). Destroying the resource revokes the method: "+
			"the user can no longer sign in with it. To stop managing one without revoking it, use a `removed` block with `destroy = false`.",
			r.kind.title, r.kind.registeredHow),
		Attributes: attrs,
	}
}

// ModifyPlan refuses to create at plan, and makes a revocation plain in the
// plan a reviewer approves.
func (r *registeredMethodResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	switch {
	case req.State.Raw.IsNull() && !req.Plan.Raw.IsNull():
		resp.Diagnostics.AddError(fmt.Sprintf("A %s cannot be created", r.kind.title),
			fmt.Sprintf("Graph cannot create a %s: %s. Import an existing one instead: import { to = <this resource>, id = \"<user_id>/<method_id>\" } "+
				"(data.entra_user_authentication_methods lists a user's methods with their ids).", r.kind.title, r.kind.registeredHow))
	case req.Plan.Raw.IsNull() && !req.State.Raw.IsNull():
		var user, id, device types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("user_id"), &user)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
		on := ""
		if r.has("display_name") {
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("display_name"), &device)...)
			on = fmt.Sprintf(" on %q", device.ValueString())
		}
		resp.Diagnostics.AddWarning(fmt.Sprintf("Destroying revokes a %s", r.kind.title),
			fmt.Sprintf("This plan deletes the %s %s%s of %s: the user can no longer sign in with it and must register again. "+
				"To stop managing it without revoking it, remove it with a removed block and lifecycle { destroy = false }.",
				r.kind.title, id.ValueString(), on, user.ValueString()))
	}
}

// graphNames are the Graph properties the resource reads.
func (r *registeredMethodResource) graphNames() []string {
	var out []string
	for _, p := range r.kind.properties {
		out = append(out, p.graphName)
	}
	return out
}

func (r *registeredMethodResource) has(attribute string) bool {
	for _, p := range r.kind.properties {
		if p.attribute == attribute {
			return true
		}
	}
	return false
}

func (r *registeredMethodResource) Create(_ context.Context, _ resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.AddError(fmt.Sprintf("A %s cannot be created", r.kind.title), "Graph cannot create one; import it (see the plan's error).")
}

func (r *registeredMethodResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	identify(ctx, req.State, resp.Identity, &resp.Diagnostics)
	var user, id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("user_id"), &user)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var props map[string]json.RawMessage
	what := fmt.Sprintf("the %s %s of %s", r.kind.title, id.ValueString(), user.ValueString())
	if !readOrForget(ctx, resp, types.StringNull(), what, "remove it from the configuration too: Graph cannot create one again.", func() (err error) {
		props, err = r.client.ReadUserMethod(ctx, user.ValueString(), r.kind.collection, id.ValueString(), r.graphNames()...)
		return err
	}) {
		return
	}
	resp.Diagnostics.Append(r.kind.setProperties(ctx, props, resp.State.SetAttribute)...)
}

func (r *registeredMethodResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {
	// user_id forces replacement, the rest is computed: nothing to update.
}

// Delete revokes the method.
func (r *registeredMethodResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var user, id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("user_id"), &user)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	if !resp.Diagnostics.HasError() {
		deleteUserMethod(ctx, r.client, user.ValueString(), r.kind.collection, id.ValueString(),
			fmt.Sprintf("the %s %s of %s", r.kind.title, id.ValueString(), user.ValueString()), &resp.Diagnostics)
	}
}

func (r *registeredMethodResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importUserMethod(ctx, req, resp, "a "+r.kind.title)
}
