package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// policySpec describes one tenant-wide method policy. The two policies share
// their life cycle: they always exist, so create adopts the configuration and
// PATCHes it, and destroy reverts it to the tenant defaults.
type policySpec[M any] struct {
	typeName string // suffix after "entra_"
	configID string // Graph's configuration id
	schema   schema.Schema
	// dataDescription describes the data source of the same name.
	dataDescription string
	// read fetches the configuration; sp gives GUIDs their configured case.
	read func(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) *M
	// write PATCHes plan; config tells which optional parts were set.
	write func(ctx context.Context, c *graph.Client, plan, config *M, diags *diag.Diagnostics)
	// guids lists the GUIDs a model holds, to keep their case.
	guids func(ctx context.Context, m *M) []string
	// validate checks cross-field rules of a configuration.
	validate func(ctx context.Context, m *M, diags *diag.Diagnostics)
	// weakenings describes how plan weakens security compared with prior,
	// or with the tenant defaults when prior is nil.
	weakenings func(ctx context.Context, prior *M, plan *M) []string
	// adjustPlan fills computed values the plan can know.
	adjustPlan func(ctx context.Context, config, plan, state *M)
}

func configureClient(providerData any, diags *diag.Diagnostics) *graph.Client {
	if providerData == nil {
		return nil // the provider is not configured yet (validation)
	}
	c, ok := providerData.(*graph.Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *graph.Client, got %T", providerData))
	}
	return c
}

// graphError reports a failed Graph call with Graph's own message.
func graphError(diags *diag.Diagnostics, action string, err error) {
	diags.AddError("Microsoft Graph: "+action+" failed", err.Error())
}

type policyResource[M any] struct {
	spec   policySpec[M]
	client *graph.Client
}

var (
	_ resource.ResourceWithImportState    = (*policyResource[tapPolicyModel])(nil)
	_ resource.ResourceWithValidateConfig = (*policyResource[tapPolicyModel])(nil)
	_ resource.ResourceWithModifyPlan     = (*policyResource[tapPolicyModel])(nil)
)

func (r *policyResource[M]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.spec.typeName
}

func (r *policyResource[M]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.spec.schema
}

func (r *policyResource[M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (r *policyResource[M]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m M
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		r.spec.validate(ctx, &m, &resp.Diagnostics)
	}
}

func (r *policyResource[M]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Destroying entra_%s reverts it to the tenant defaults", r.spec.typeName),
			"Microsoft Graph keeps the "+r.spec.configID+" method configuration; destroying this resource resets it to Microsoft's defaults rather than removing it.")
		return
	}
	var config, plan M
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var prior *M
	if !req.State.Raw.IsNull() {
		prior = new(M)
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	r.spec.adjustPlan(ctx, &config, &plan, prior)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	for _, w := range r.spec.weakenings(ctx, prior, &plan) {
		resp.Diagnostics.AddWarning("Security review: entra_"+r.spec.typeName+" weakens a control", w)
	}
}

func (r *policyResource[M]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.apply(ctx, req.Config, req.Plan, &resp.State, &resp.Diagnostics)
}

func (r *policyResource[M]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.apply(ctx, req.Config, req.Plan, &resp.State, &resp.Diagnostics)
}

type getter interface {
	Get(ctx context.Context, target any) diag.Diagnostics
}

type setter interface {
	Set(ctx context.Context, val any) diag.Diagnostics
}

// apply PATCHes the planned configuration, then reads it back so that state
// is what the tenant holds. If the PATCH fails, Graph has changed nothing and
// state keeps its prior value.
func (r *policyResource[M]) apply(ctx context.Context, configSrc, planSrc getter, state setter, diags *diag.Diagnostics) {
	var config, plan M
	diags.Append(configSrc.Get(ctx, &config)...)
	diags.Append(planSrc.Get(ctx, &plan)...)
	if diags.HasError() {
		return
	}
	r.spec.write(ctx, r.client, &plan, &config, diags)
	if diags.HasError() {
		return
	}
	sp := spelling{}
	sp.learn(r.spec.guids(ctx, &plan)...)
	if m := r.spec.read(ctx, r.client, sp, diags); m != nil {
		diags.Append(state.Set(ctx, m)...)
	}
}

func (r *policyResource[M]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior M
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sp := spelling{}
	sp.learn(r.spec.guids(ctx, &prior)...)
	if m := r.spec.read(ctx, r.client, sp, &resp.Diagnostics); m != nil {
		resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	}
}

func (r *policyResource[M]) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	if err := r.client.ResetPolicy(ctx, r.spec.configID); err != nil {
		graphError(&resp.Diagnostics, "resetting the "+r.spec.configID+" policy to its defaults", err)
	}
}

// ImportState accepts the configuration id in any case, as Graph does.
func (r *policyResource[M]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !strings.EqualFold(req.ID, r.spec.configID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("entra_%s is a tenant-wide singleton: import it with the id %q, not %q.", r.spec.typeName, r.spec.configID, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), r.spec.configID)...)
}

// policyDataSource reads a policy with the resource's attributes, all computed.
type policyDataSource[M any] struct {
	spec   policySpec[M]
	client *graph.Client
}

func (d *policyDataSource[M]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.spec.typeName
}

func (d *policyDataSource[M]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dataSourceSchema(d.spec.schema, d.spec.dataDescription)
}

func (d *policyDataSource[M]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (d *policyDataSource[M]) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if m := d.spec.read(ctx, d.client, spelling{}, &resp.Diagnostics); m != nil {
		resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	}
}
