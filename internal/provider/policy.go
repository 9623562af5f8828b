package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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
	// get and put read and PATCH the configuration in Graph's terms; ids
	// are the passkey profile ids Graph gave profiles this resource
	// created, where they differ from the configured ones.
	get func(*graph.Client, context.Context) (*G, error)
	put func(*graph.Client, context.Context, G, graph.ProfileIDs) (graph.ProfileIDs, error)
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
	weakenings func(ctx context.Context, prior *M, plan *M) []finding
	// resetTo is what Graph holds after destroy resets the policy that
	// prior describes.
	resetTo func(prior *M) G
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

// write PATCHes the planned configuration and returns the profile ids.
func (s policySpec[M, G]) write(ctx context.Context, c *graph.Client, plan, config *M, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	p := s.toGraph(ctx, plan, config, diags)
	if diags.HasError() {
		return ids
	}
	ids, err := s.put(c, ctx, p, ids)
	if err != nil {
		graphError(diags, "updating the "+s.configID+" policy", err)
	}
	return ids
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

// ModifyPlan makes the plan say what the apply does to the tenant. A create
// adopts the policy the tenant holds: the policy is read here (a GET, nothing
// changes), what the configuration leaves unset keeps the tenant's value, and
// a warning lists each value the apply replaces. On update, unset arguments
// keep the state's value, which refresh has just read from the tenant. A destroy lists what the
// reset to Microsoft's defaults replaces.
func (r *policyResource[M, G]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.planReset(ctx, req.State, &resp.Diagnostics)
		return
	}
	var config M
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var prior *M
	var tenant *tfsdk.State
	switch {
	case !req.State.Raw.IsNull():
		prior = new(M)
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	case r.client != nil:
		sp := spelling{}
		sp.learn(r.spec.guids(ctx, &config)...)
		if prior = r.spec.read(ctx, r.client, sp, &resp.Diagnostics); prior != nil {
			tenant = &tfsdk.State{Schema: req.Plan.Schema}
			resp.Diagnostics.Append(tenant.Set(ctx, prior)...)
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	// What the configuration leaves unset keeps its value: the state's on
	// update, the tenant's on create.
	priorRaw := req.State.Raw
	if tenant != nil {
		priorRaw = tenant.Raw
	}
	if !priorRaw.IsNull() {
		kept, err := keepUnset(req.Config.Raw, resp.Plan.Raw, priorRaw)
		if err != nil {
			resp.Diagnostics.AddError("Planning the adoption of the tenant's policy failed", err.Error())
			return
		}
		resp.Plan.Raw = kept
	}
	var plan M
	resp.Diagnostics.Append(resp.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.spec.adjustPlan(ctx, &config, &plan, prior)
	// The rules again, on the values the tenant gives what the configuration
	// leaves unset; the configuration's own warnings are already out.
	var planned diag.Diagnostics
	r.spec.validate(ctx, &plan, &planned)
	resp.Diagnostics.Append(planned.Errors()...)
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if tenant != nil {
		detail := "The configuration matches what the tenant holds: the apply changes nothing."
		if lines := changes(tenant.Raw, resp.Plan.Raw); len(lines) > 0 {
			detail = "The apply changes, from the tenant's current value to the planned one:\n" + strings.Join(lines, "\n") +
				"\nWhat the configuration leaves unset keeps the tenant's value."
		}
		resp.Diagnostics.AddWarning(fmt.Sprintf("entra_%s adopts the tenant's %s policy", r.spec.typeName, r.spec.configID), detail)
	}
	report(&resp.Diagnostics, r.spec.typeName, r.spec.weakenings(ctx, prior, &plan))
}

// planReset warns that destroy resets the policy, with each value it replaces.
func (r *policyResource[M, G]) planReset(ctx context.Context, state tfsdk.State, diags *diag.Diagnostics) {
	var prior M
	diags.Append(state.Get(ctx, &prior)...)
	if diags.HasError() {
		return
	}
	defaults := r.spec.resetTo(&prior)
	sp := spelling{}
	sp.learn(r.spec.guids(ctx, &prior)...)
	after := tfsdk.State{Schema: state.Schema}
	diags.Append(after.Set(ctx, r.spec.fromGraph(ctx, &defaults, sp, diags))...)
	if diags.HasError() {
		return
	}
	detail := "Microsoft Graph keeps the " + r.spec.configID + " method configuration: destroying this resource resets it to Microsoft's defaults rather than removing it."
	if lines := changes(state.Raw, after.Raw); len(lines) > 0 {
		detail += " The reset changes:\n" + strings.Join(lines, "\n")
	}
	detail += "\nTo stop managing the policy and leave the tenant as it is, replace the resource block with a removed block whose lifecycle sets destroy = false. " +
		"lifecycle { prevent_destroy = true } on the resource refuses any plan that would reset it."
	diags.AddWarning(fmt.Sprintf("Destroying entra_%s resets the tenant's %s policy", r.spec.typeName, r.spec.configID), detail)
}

func (r *policyResource[M, G]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.apply(ctx, req.Config, req.Plan, nil, resp.Private, &resp.State, &resp.Diagnostics)
}

func (r *policyResource[M, G]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.apply(ctx, req.Config, req.Plan, req.Private, resp.Private, &resp.State, &resp.Diagnostics)
}

// privateData is a resource's private state, which Terraform keeps beside
// its state without showing it.
type privateData interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// profileIDsKey keeps the ids Graph gave passkey profiles this resource
// created, by their configured ids.
const profileIDsKey = "profile_ids"

func profileIDs(ctx context.Context, priv privateData, diags *diag.Diagnostics) graph.ProfileIDs {
	ids := graph.ProfileIDs{}
	if priv == nil {
		return ids
	}
	raw, d := priv.GetKey(ctx, profileIDsKey)
	diags.Append(d...)
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &ids)
	}
	return ids
}

// learnProfileIDs makes sp spell a profile Graph holds under its own id with
// the configured id, so that state shows the configuration's ids.
func learnProfileIDs(sp spelling, ids graph.ProfileIDs) {
	for configured, held := range ids {
		sp[strings.ToLower(held)] = sp.of(configured)
	}
}

// apply PATCHes the planned configuration, then reads it back so that state
// is what the tenant holds. If the PATCH fails, Graph has changed nothing and
// state keeps its prior value.
func (r *policyResource[M, G]) apply(ctx context.Context, configSrc tfsdk.Config, planSrc tfsdk.Plan, privIn, privOut privateData, state *tfsdk.State, diags *diag.Diagnostics) {
	var config, plan M
	diags.Append(configSrc.Get(ctx, &config)...)
	diags.Append(planSrc.Get(ctx, &plan)...)
	if diags.HasError() {
		return
	}
	ids := r.spec.write(ctx, r.client, &plan, &config, profileIDs(ctx, privIn, diags), diags)
	if raw, err := json.Marshal(ids); err == nil {
		diags.Append(privOut.SetKey(ctx, profileIDsKey, raw)...)
	}
	if diags.HasError() {
		return
	}
	sp := spelling{}
	sp.learn(r.spec.guids(ctx, &plan)...)
	learnProfileIDs(sp, ids)
	if m := r.readBack(ctx, planSrc, sp, diags); m != nil {
		diags.Append(state.Set(ctx, m)...)
	}
}

// readBack reads the policy after a write until the read shows what was
// planned (graph.ConsistencyWait at most: then the last read stands, and
// Terraform reports the difference).
func (r *policyResource[M, G]) readBack(ctx context.Context, plan tfsdk.Plan, sp spelling, diags *diag.Diagnostics) *M {
	var m *M
	_, _ = graph.Await(ctx, graph.ConsistencyWait, func() (bool, error) {
		var read diag.Diagnostics
		if m = r.spec.read(ctx, r.client, sp, &read); m == nil {
			diags.Append(read...)
			return false, errReadFailed
		}
		got := tfsdk.State{Schema: plan.Schema}
		read.Append(got.Set(ctx, m)...)
		if read.HasError() {
			diags.Append(read...)
			return false, errReadFailed
		}
		return conforms(plan.Raw, got.Raw), nil
	})
	return m
}

// errReadFailed ends a wait whose read failed; its diagnostics say why.
var errReadFailed = errors.New("read failed")

func (r *policyResource[M, G]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior M
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sp := spelling{}
	sp.learn(r.spec.guids(ctx, &prior)...)
	learnProfileIDs(sp, profileIDs(ctx, req.Private, &resp.Diagnostics))
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

// conforms reports whether got holds every value plan knows, attribute by
// attribute.
func conforms(plan, got tftypes.Value) bool {
	var p, g map[string]tftypes.Value
	if plan.As(&p) != nil || got.As(&g) != nil {
		return false
	}
	for name, v := range p {
		if v.IsFullyKnown() && !v.Equal(g[name]) {
			return false
		}
	}
	return true
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
