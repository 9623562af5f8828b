package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

type strengthModel struct {
	ID                    types.String `tfsdk:"id"`
	DisplayName           types.String `tfsdk:"display_name"`
	Description           types.String `tfsdk:"description"`
	AllowedCombinations   types.Set    `tfsdk:"allowed_combinations"`
	Fido2AllowedAAGUIDs   types.Set    `tfsdk:"fido2_allowed_aaguids"`
	PolicyType            types.String `tfsdk:"policy_type"`
	RequirementsSatisfied types.String `tfsdk:"requirements_satisfied"`
}

func strengthAttributes() map[string]schema.Attribute {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "The strength's id, which Conditional Access policies name."},
		"display_name": schema.StringAttribute{Required: true, Validators: []validator.String{validators.NotBlank()},
			MarkdownDescription: "The strength's name, unique in the tenant."},
		"description": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(""),
			MarkdownDescription: "What the strength is for. Default: empty."},
		"allowed_combinations": schema.SetAttribute{Required: true, ElementType: types.StringType,
			MarkdownDescription: "The method combinations that satisfy the strength, each methods joined by commas: `fido2`, `windowsHelloForBusiness`, " +
				"`x509CertificateMultiFactor`, `password,microsoftAuthenticatorPush`, ...",
			Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(validators.Combination())}},
		"fido2_allowed_aaguids": schema.SetAttribute{Optional: true, ElementType: types.StringType,
			MarkdownDescription: "Narrows `fido2` to these authenticator models (AAGUIDs); needs `fido2` among `allowed_combinations`. " +
				"The plan warns about a model no passkey profile of the tenant's FIDO2 policy lets users register. Unset: any model.",
			Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(validators.UUID("an AAGUID"))}},
		"policy_type": schema.StringAttribute{Computed: true, PlanModifiers: keep, MarkdownDescription: "`custom` (`builtIn` for Microsoft's own, in the data source)."},
		"requirements_satisfied": schema.StringAttribute{Computed: true, PlanModifiers: keep,
			MarkdownDescription: "What the strength satisfies, as Graph says: `mfa`."},
	}
}

// strengthResource is entra_authentication_strength_policy: a custom
// authentication strength, created, changed and deleted.
type strengthResource struct {
	client *graph.Client
	data   *providerData
}

func newAuthenticationStrengthResource() resource.Resource { return &strengthResource{} }

var (
	_ resource.ResourceWithImportState    = (*strengthResource)(nil)
	_ resource.ResourceWithValidateConfig = (*strengthResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*strengthResource)(nil)
)

func (r *strengthResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_authentication_strength_policy"
}

func (r *strengthResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A custom authentication strength: the method combinations a Conditional Access policy can require, such as phishing-resistant " +
			"methods limited to the security key models an organisation approved. Microsoft's built-in strengths are read with `entra_authentication_strengths`.",
		Attributes: strengthAttributes(),
	}
}

func (r *strengthResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if r.data = configureData(req.ProviderData, &resp.Diagnostics); r.data != nil {
		r.client = r.data.graph
	}
}

// ValidateConfig refuses FIDO2 models for a strength that does not allow
// fido2, as Graph does.
func (r *strengthResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m strengthModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Fido2AllowedAAGUIDs.IsNull() || m.AllowedCombinations.IsUnknown() {
		return
	}
	if !slices.Contains(stringsOf(ctx, m.AllowedCombinations, &resp.Diagnostics), "fido2") {
		resp.Diagnostics.AddAttributeError(path.Root("fido2_allowed_aaguids"), "FIDO2 models for a strength without fido2",
			"fido2_allowed_aaguids narrows the fido2 combination, which allowed_combinations does not list: add \"fido2\", or remove fido2_allowed_aaguids.")
	}
}

// ModifyPlan warns about a FIDO2 model the strength allows but the FIDO2
// policy lets no one register: no user could satisfy the strength with it.
// The policy is the one this run plans when the configuration holds it (and
// the strength depends on it, so that it is planned first), else the
// tenant's (a GET).
func (r *strengthResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.client == nil || req.Plan.Raw.IsNull() {
		return
	}
	var m strengthModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || m.Fido2AllowedAAGUIDs.IsNull() || m.Fido2AllowedAAGUIDs.IsUnknown() {
		return
	}
	p, err := r.data.fido2PolicyForChecks(ctx)
	if err != nil {
		resp.Diagnostics.AddWarning("FIDO2 models not checked against the FIDO2 policy", "Reading the Fido2 policy failed: "+err.Error())
		return
	}
	var unregistrable []string
	for _, aaguid := range stringsOf(ctx, m.Fido2AllowedAAGUIDs, &resp.Diagnostics) {
		if !fido2PolicyAllowsModel(p, aaguid) {
			unregistrable = append(unregistrable, aaguid)
		}
	}
	if len(unregistrable) > 0 {
		resp.Diagnostics.AddAttributeWarning(path.Root("fido2_allowed_aaguids"), "The strength allows security keys no one can register",
			fmt.Sprintf("fido2_allowed_aaguids lists %s, which no passkey profile of the FIDO2 policy lets users register (the policy is disabled, "+
				"or every profile's key restrictions refuse it): no user can satisfy this strength with such a key. Allow the models in entra_fido2_policy too.",
				strings.Join(unregistrable, ", ")))
	}
}

// fido2PolicyAllowsModel reports whether some passkey profile of p (or, on
// an unmigrated tenant, its legacy restrictions) lets a device-bound key of
// model aaguid register.
func fido2PolicyAllowsModel(p *graph.Fido2Policy, aaguid string) bool {
	if p.State != "enabled" {
		return false
	}
	allows := func(kr graph.KeyRestrictions) bool {
		listed := slices.ContainsFunc(kr.AAGUIDs, func(g string) bool { return strings.EqualFold(g, aaguid) })
		return !kr.IsEnforced || (kr.EnforcementType == "allow") == listed
	}
	if p.DefaultPasskeyProfile == nil {
		return p.KeyRestrictions == nil || allows(*p.KeyRestrictions)
	}
	return slices.ContainsFunc(p.PasskeyProfiles, func(pp graph.PasskeyProfile) bool {
		return strings.Contains(pp.PasskeyTypes, "deviceBound") && allows(pp.KeyRestrictions)
	})
}

func (r *strengthResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m strengthModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s := m.toGraph(ctx, &resp.Diagnostics)
	created, err := r.client.CreateAuthenticationStrength(ctx, s)
	if graph.MaybeDone(err) && created == nil {
		// The answer was lost: Graph may hold the strength, which its unique
		// name finds.
		created = r.findByName(ctx, s.DisplayName)
	}
	if created == nil || created.ID == "" {
		graphError(&resp.Diagnostics, "creating the authentication strength "+s.DisplayName, err)
		return
	}
	if err != nil {
		// The strength exists but not all of it (its FIDO2 models): complete
		// it as an update would.
		var held *graph.AuthenticationStrength
		if held, err = r.client.GetAuthenticationStrength(ctx, created.ID); err == nil {
			err = r.client.UpdateAuthenticationStrength(ctx, created.ID, s, held.CombinationConfigurations)
		}
		if err != nil {
			// State records what Graph holds; the error marks it for
			// replacement.
			graphError(&resp.Diagnostics, "completing the authentication strength "+s.DisplayName, err)
		}
	}
	if r.read(ctx, created.ID, &m, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// findByName finds a custom strength by its name, nil if none.
func (r *strengthResource) findByName(ctx context.Context, name string) *graph.AuthenticationStrength {
	all, err := r.client.ListAuthenticationStrengths(ctx)
	if err != nil {
		return nil
	}
	for _, s := range all {
		if s.PolicyType == "custom" && strings.EqualFold(s.DisplayName, name) {
			return &s
		}
	}
	return nil
}

func (r *strengthResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m strengthModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	s, err := r.client.GetAuthenticationStrength(ctx, m.ID.ValueString())
	switch {
	case graph.IsNotFound(err):
		resp.Diagnostics.AddWarning("Authentication strength no longer exists",
			fmt.Sprintf("The authentication strength %s was deleted outside Terraform. The resource is removed from state; the next apply creates it again.", m.ID.ValueString()))
		resp.State.RemoveResource(ctx)
	case err != nil:
		graphError(&resp.Diagnostics, "reading the authentication strength "+m.ID.ValueString(), err)
	default:
		m.fill(ctx, s, &resp.Diagnostics)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// read sets m to the strength Graph holds.
func (r *strengthResource) read(ctx context.Context, id string, m *strengthModel, diags *diag.Diagnostics) bool {
	s, err := r.client.GetAuthenticationStrength(ctx, id)
	if err != nil {
		graphError(diags, "reading the authentication strength "+id, err)
		return false
	}
	m.fill(ctx, s, diags)
	return true
}

// fill sets m to s, AAGUIDs spelled as m had them.
func (m *strengthModel) fill(ctx context.Context, s *graph.AuthenticationStrength, diags *diag.Diagnostics) {
	sp := newSpelling(stringsOf(ctx, m.Fido2AllowedAAGUIDs, diags)...)
	*m = strengthModel{ID: types.StringValue(s.ID), DisplayName: types.StringValue(s.DisplayName), Description: types.StringValue(s.Description),
		AllowedCombinations: stringSet(s.AllowedCombinations), Fido2AllowedAAGUIDs: types.SetNull(types.StringType),
		PolicyType: types.StringValue(s.PolicyType), RequirementsSatisfied: types.StringValue(s.RequirementsSatisfied)}
	for _, cc := range s.CombinationConfigurations {
		if cc.IsFido2() {
			m.Fido2AllowedAAGUIDs = stringSet(sp.all(cc.AllowedAAGUIDs))
		}
	}
}

func (r *strengthResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m strengthModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	held, err := r.client.GetAuthenticationStrength(ctx, m.ID.ValueString())
	if err == nil {
		err = r.client.UpdateAuthenticationStrength(ctx, m.ID.ValueString(), m.toGraph(ctx, &resp.Diagnostics), held.CombinationConfigurations)
	}
	if err != nil {
		graphError(&resp.Diagnostics, "updating the authentication strength "+m.ID.ValueString(), err)
	}
	// Read back either way: state holds what the tenant holds, also after
	// a partial update.
	if r.read(ctx, m.ID.ValueString(), &m, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *strengthResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m strengthModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	deleteError(&resp.Diagnostics, "the authentication strength "+m.ID.ValueString(), r.client.DeleteAuthenticationStrength(ctx, m.ID.ValueString()))
}

// ImportState takes a custom strength's id; a built-in one is refused, since
// it cannot be managed.
func (r *strengthResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !validators.IsUUID(req.ID) {
		resp.Diagnostics.AddError("Invalid import id", fmt.Sprintf("An authentication strength is imported by its id, a GUID such as "+
			"00000000-0000-0000-0000-000000000000 (see the entra_authentication_strengths data source), not %q.", req.ID))
		return
	}
	if r.client != nil {
		if s, err := r.client.GetAuthenticationStrength(ctx, req.ID); err == nil && s.PolicyType == "builtIn" {
			resp.Diagnostics.AddError("Built-in authentication strength",
				fmt.Sprintf("%q (%s) is one of Microsoft's built-in strengths, which cannot be changed: read it with the entra_authentication_strengths data source.", s.DisplayName, req.ID))
			return
		}
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

func (m *strengthModel) toGraph(ctx context.Context, diags *diag.Diagnostics) graph.AuthenticationStrength {
	s := graph.AuthenticationStrength{DisplayName: m.DisplayName.ValueString(), Description: m.Description.ValueString(),
		AllowedCombinations: stringsOf(ctx, m.AllowedCombinations, diags)}
	if aaguids := stringsOf(ctx, m.Fido2AllowedAAGUIDs, diags); len(aaguids) > 0 {
		s.CombinationConfigurations = []graph.CombinationConfiguration{graph.Fido2Combination(aaguids)}
	}
	return s
}
