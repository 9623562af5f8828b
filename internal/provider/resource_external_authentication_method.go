package provider

import (
	"context"
	"fmt"
	"regexp"

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

// httpsURL is an https URL with a host.
var httpsURL = regexp.MustCompile(`^https://[^/\s]+(/\S*)?$`)

type externalMethodModel struct {
	ID           types.String `tfsdk:"id"`
	DisplayName  types.String `tfsdk:"display_name"`
	AppID        types.String `tfsdk:"app_id"`
	ClientID     types.String `tfsdk:"client_id"`
	DiscoveryURL types.String `tfsdk:"discovery_url"`
	State        types.String `tfsdk:"state"`
	policyTargets
}

// externalMethodResource is entra_external_authentication_method: an
// external MFA provider, created and deleted (unlike the built-in methods'
// policies, which always exist).
type externalMethodResource struct{ client *graph.Client }

func newExternalMethodResource() resource.Resource { return &externalMethodResource{} }

var (
	_ resource.ResourceWithImportState = (*externalMethodResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*externalMethodResource)(nil)
)

func (r *externalMethodResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_external_authentication_method"
}

func (r *externalMethodResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	include := includeTargetsAttribute(false)
	include.MarkdownDescription = "Groups (or users) who may use the external method. Default `all_users`."
	exclude := excludeTargetsAttribute()
	exclude.MarkdownDescription = "Groups (or users) who may not; an exclusion wins over an inclusion. Default: none."
	resp.Schema = schema.Schema{
		MarkdownDescription: "An external authentication method (external MFA): a third-party MFA provider Entra reaches through OpenID Connect, " +
			"registered as an app in the tenant. Unlike the built-in methods' policies it is created, and deleted on destroy.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				MarkdownDescription: "The method's id, which Graph gives."},
			"display_name": schema.StringAttribute{Required: true, Validators: []validator.String{validators.NotBlank()},
				MarkdownDescription: "The name users see at sign-in."},
			"app_id": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{validators.UUID("an application id")},
				MarkdownDescription: "The application (client) id of the app registration that represents the provider in the tenant. Changing it replaces the method."},
			"client_id": schema.StringAttribute{Required: true, Validators: []validator.String{validators.NotBlank()},
				MarkdownDescription: "The client id the provider gave Entra, for OpenID Connect."},
			"discovery_url": schema.StringAttribute{Required: true,
				Validators:          []validator.String{stringvalidator.RegexMatches(httpsURL, "must be an https URL")},
				MarkdownDescription: "The provider's OpenID Connect discovery URL (`https://.../.well-known/openid-configuration`)."},
			"state":           stateAttribute("the external method"),
			"include_targets": include,
			"exclude_targets": exclude,
		},
	}
}

func (r *externalMethodResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fills the targets' defaults: everyone included, no one
// excluded.
func (r *externalMethodResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var config, plan externalMethodModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if config.IncludeTargets.IsNull() {
		config.IncludeTargets = includeTargetsFromGraph([]graph.Target{{ID: "all_users", TargetType: "group"}}, spelling{}, false)
	}
	if config.ExcludeTargets.IsNull() {
		config.ExcludeTargets = excludeTargetsFromGraph(ctx, nil, spelling{}, &resp.Diagnostics)
	}
	plan.planTargets(config.policyTargets)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *externalMethodResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m externalMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	created, err := r.client.CreateExternalMethod(ctx, m.toGraph(ctx, &resp.Diagnostics))
	if graph.MaybeDone(err) {
		// The answer was lost: Graph may hold the method, which its app
		// registration finds (one method per app).
		if found, ferr := r.client.FindExternalMethod(ctx, m.AppID.ValueString()); ferr == nil && found != nil {
			created, err = found, nil
		}
	}
	if err != nil {
		graphError(&resp.Diagnostics, "creating the external authentication method "+m.DisplayName.ValueString(), err)
		return
	}
	m.fill(ctx, created, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *externalMethodResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m externalMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	held, err := r.client.GetExternalMethod(ctx, m.ID.ValueString())
	switch {
	case graph.IsNotFound(err):
		resp.Diagnostics.AddWarning("External authentication method no longer exists",
			fmt.Sprintf("The external authentication method %s was deleted outside Terraform. The resource is removed from state; the next apply creates it again.", m.ID.ValueString()))
		resp.State.RemoveResource(ctx)
	case err != nil:
		graphError(&resp.Diagnostics, "reading the external authentication method "+m.ID.ValueString(), err)
	default:
		m.fill(ctx, held, &resp.Diagnostics)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// Update PATCHes what the plan changes from the prior state, and nothing
// else, so that what someone changed in the tenant since is kept.
func (r *externalMethodResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m, prior externalMethodModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	was := prior.toGraph(ctx, &resp.Diagnostics)
	if err := r.client.UpdateExternalMethod(ctx, m.ID.ValueString(), m.toGraph(ctx, &resp.Diagnostics), &was); err != nil {
		graphError(&resp.Diagnostics, "updating the external authentication method "+m.ID.ValueString(), err)
		return
	}
	held, err := r.client.GetExternalMethod(ctx, m.ID.ValueString())
	if err != nil {
		graphError(&resp.Diagnostics, "reading the external authentication method "+m.ID.ValueString(), err)
		return
	}
	m.fill(ctx, held, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *externalMethodResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m externalMethodModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	deleteError(&resp.Diagnostics, "the external authentication method "+m.ID.ValueString(), r.client.DeleteExternalMethod(ctx, m.ID.ValueString()))
}

func (r *externalMethodResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !validators.IsUUID(req.ID) {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("An external authentication method is imported by the id Graph gave it, "+
			"a GUID such as 00000000-0000-0000-0000-000000000000, not %q.", req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

func (m *externalMethodModel) toGraph(ctx context.Context, diags *diag.Diagnostics) graph.ExternalMethod {
	g := graph.ExternalMethod{DisplayName: m.DisplayName.ValueString(), AppID: m.AppID.ValueString(), State: m.State.ValueString(),
		OpenIDConnectSetting: graph.OpenIDConnectSetting{ClientID: m.ClientID.ValueString(), DiscoveryURL: m.DiscoveryURL.ValueString()}}
	g.IncludeTargets, g.ExcludeTargets = m.policyTargets.toGraph(ctx, diags)
	return g
}

// fill sets m to what Graph holds, GUIDs spelled as m had them.
func (m *externalMethodModel) fill(ctx context.Context, g *graph.ExternalMethod, diags *diag.Diagnostics) {
	sp := newSpelling(append(m.guids(ctx), m.AppID.ValueString())...)
	*m = externalMethodModel{ID: types.StringValue(g.ID), DisplayName: types.StringValue(g.DisplayName), AppID: types.StringValue(sp.of(g.AppID)),
		ClientID: types.StringValue(g.OpenIDConnectSetting.ClientID), DiscoveryURL: types.StringValue(g.OpenIDConnectSetting.DiscoveryURL),
		State: types.StringValue(g.State), policyTargets: policyTargetsFromGraph(ctx, g.IncludeTargets, g.ExcludeTargets, sp, diags)}
}
