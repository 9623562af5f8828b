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
type policySpec[M, G any] struct {
	typeName string // suffix after "entra_"
	configID string // Graph's configuration id
	schema   schema.Schema
	// dataDescription describes the data source of the same name.
	dataDescription string
	// get and put read and PATCH the configuration in Graph's terms.
	get func(*graph.Client, context.Context) (*G, error)
	put func(*graph.Client, context.Context, G) error
	// toGraph builds the PATCH body from plan; config tells which optional
	// parts were written. fromGraph converts back, sp giving GUIDs their
	// configured case.
	toGraph   func(ctx context.Context, plan, config *M, diags *diag.Diagnostics) G
	fromGraph func(ctx context.Context, p *G, sp spelling, diags *diag.Diagnostics) *M
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

// read fetches the configuration as a model.
func (s policySpec[M, G]) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) *M {
	p, err := s.get(c, ctx)
	if err != nil {
		graphError(diags, "reading the "+s.configID+" policy", err)
		return nil
	}
	return s.fromGraph(ctx, p, sp, diags)
}

// write PATCHes the planned configuration.
func (s policySpec[M, G]) write(ctx context.Context, c *graph.Client, plan, config *M, diags *diag.Diagnostics) {
	p := s.toGraph(ctx, plan, config, diags)
	if diags.HasError() {
		return
	}
	if err := s.put(c, ctx, p); err != nil {
		graphError(diags, "updating the "+s.configID+" policy", err)
	}
}

// configureData extracts the provider's data in a Configure call; nil before
// the provider is configured (during validation).
func configureData(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("expected *providerData, got %T", data))
	}
	return d
}

// configureClient is configureData for those that need only Graph.
func configureClient(data any, diags *diag.Diagnostics) *graph.Client {
	if d := configureData(data, diags); d != nil {
		return d.graph
	}
	return nil
}

// graphError reports a failed Graph call with Graph's own message, and what
// to do when Graph kept throttling past the retry budget.
func graphError(diags *diag.Diagnostics, action string, err error) {
	detail := err.Error()
	if graph.IsThrottled(err) {
		detail += "\n\nGraph kept throttling the tenant beyond the provider's retry budget (5 minutes per request). " +
			"Apply again later, or with a lower -parallelism."
	}
	diags.AddError("Microsoft Graph: "+action+" failed", detail)
}

type policyResource[M, G any] struct {
	spec   policySpec[M, G]
	client *graph.Client
}

var (
	_ resource.ResourceWithImportState    = (*policyResource[tapPolicyModel, graph.TemporaryAccessPassPolicy])(nil)
	_ resource.ResourceWithValidateConfig = (*policyResource[tapPolicyModel, graph.TemporaryAccessPassPolicy])(nil)
	_ resource.ResourceWithModifyPlan     = (*policyResource[tapPolicyModel, graph.TemporaryAccessPassPolicy])(nil)
)

func (r *policyResource[M, G]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.spec.typeName
}

func (r *policyResource[M, G]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.spec.schema
}

func (r *policyResource[M, G]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

func (r *policyResource[M, G]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m M
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		r.spec.validate(ctx, &m, &resp.Diagnostics)
	}
}

func (r *policyResource[M, G]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
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

func (r *policyResource[M, G]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.apply(ctx, req.Config, req.Plan, &resp.State, &resp.Diagnostics)
}

func (r *policyResource[M, G]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
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
func (r *policyResource[M, G]) apply(ctx context.Context, configSrc, planSrc getter, state setter, diags *diag.Diagnostics) {
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

func (r *policyResource[M, G]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
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

func (r *policyResource[M, G]) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	if err := r.client.ResetPolicy(ctx, r.spec.configID); err != nil {
		graphError(&resp.Diagnostics, "resetting the "+r.spec.configID+" policy to its defaults", err)
	}
}

// ImportState accepts the configuration id in any case, as Graph does.
func (r *policyResource[M, G]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !strings.EqualFold(req.ID, r.spec.configID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("entra_%s is a tenant-wide singleton: import it with the id %q, not %q.", r.spec.typeName, r.spec.configID, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), r.spec.configID)...)
}

// graphDataSource gives a data source the provider's Graph client.
type graphDataSource struct {
	client *graph.Client
}

func (d *graphDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.client = configureClient(req.ProviderData, &resp.Diagnostics)
}

// policyDataSource reads a policy with the resource's attributes, all computed.
type policyDataSource[M, G any] struct {
	graphDataSource
	spec policySpec[M, G]
}

func (d *policyDataSource[M, G]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.spec.typeName
}

func (d *policyDataSource[M, G]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dataSourceSchema(d.spec.schema.Attributes, d.spec.dataDescription)
}

func (d *policyDataSource[M, G]) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if m := d.spec.read(ctx, d.client, spelling{}, &resp.Diagnostics); m != nil {
		resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	}
}
