package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// The life cycle every tenant-wide method policy (entra_*_policy) shares,
// read top to bottom below. Graph keeps every method configuration: creating
// the resource adopts the tenant's policy (the plan lists each value the
// apply replaces), an update PATCHes it and reads it back, and destroying the
// resource resets it to Microsoft's defaults. What differs between policies,
// their schema, Graph calls and rules, is each one's model (policyModel),
// in its own resource_*_policy.go.

// policyModel is a method policy's Terraform model, with what its life
// cycle needs.
type policyModel[M any] interface {
	*M
	// policy names and describes the resource and its Graph configuration.
	policy() policyInfo
	// read sets the model to the tenant's policy, GUIDs spelled as sp knows
	// them; false after reporting a failure.
	read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool
	// write PATCHes what the model holds that from, the tenant's policy, does
	// not; config tells which optional parts the configuration writes, ids
	// the passkey profile ids Graph gave profiles this resource created (FIDO2
	// only), returned as they are after it.
	write(ctx context.Context, c *graph.Client, config, from *M, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs
	// reset sets the model, holding the state, to the policy a destroy
	// leaves: Microsoft's defaults.
	reset(ctx context.Context, sp spelling, diags *diag.Diagnostics)
	// guids lists the GUIDs (and other values Graph matches in any case) the
	// model holds, to keep their configured case.
	guids(ctx context.Context) []string
	// validate checks the cross-field rules Graph enforces.
	validate(ctx context.Context, diags *diag.Diagnostics)
	// adjustPlan fills what the plan can know of computed values; prior is
	// the state on update, the tenant's policy on create, nil if unread.
	adjustPlan(ctx context.Context, config, prior *M)
	// weakenings lists the controls the plan weakens compared with prior
	// (nil: compared with the strictest setting).
	weakenings(ctx context.Context, prior *M) []finding
}

// priorChecker is a policy model with rules that depend on what the plan
// changes: prior is the state on update, the tenant's policy on create.
type priorChecker[M any] interface {
	checkPlan(ctx context.Context, prior *M, diags *diag.Diagnostics)
}

// policyInfo names and describes a policy resource.
type policyInfo struct {
	typeName string // after "entra_"
	configID string // Graph's configuration id
	schema   schema.Schema
	// dataDescription describes the data source of the same name.
	dataDescription string
	// keptOnDestroy is a policy Graph cannot reset (the root policy):
	// destroying the resource only forgets it.
	keptOnDestroy bool
	// beta is a configuration of Graph beta only: it is reset there.
	beta bool
}

// adoptionDescription ends every policy resource's description.
const adoptionDescription = "The policy always exists in a tenant: creating this resource adopts it, and only the arguments the configuration writes change (the plan lists each tenant value it replaces); " +
	"destroying it reverts the policy to Microsoft's defaults (the plan lists what that changes; a `removed` block with `destroy = false` leaves the tenant as it is)."

// readInto is a policy model's read: get fetches the configuration, from
// converts it into m.
func readInto[G, M any](ctx context.Context, m *M, id string, get func(context.Context) (*G, error),
	from func(context.Context, *G, spelling, *diag.Diagnostics) *M, sp spelling, diags *diag.Diagnostics) bool {
	p, err := get(ctx)
	if err != nil {
		graphError(diags, "reading the "+id+" policy", err)
		return false
	}
	*m = *from(ctx, p, sp, diags)
	return true
}

// patchOf reports a policy model's failed PATCH.
func patchOf(id string, err error, diags *diag.Diagnostics) {
	if err != nil {
		graphError(diags, "updating the "+id+" policy", err)
	}
}

// patchChanges is a policy model's write: m and from, the tenant's, become
// Graph's shape alike, and update PATCHes their difference.
func patchChanges[M, G any](ctx context.Context, id string, m, from *M, toGraph func(*M, context.Context, *diag.Diagnostics) G,
	update func(context.Context, G, *G) error, diags *diag.Diagnostics) {
	p, was := toGraph(m, ctx, diags), toGraph(from, ctx, diags)
	if !diags.HasError() {
		patchOf(id, update(ctx, p, &was), diags)
	}
}

// idAttribute and stateAttribute are every policy's id and state.
func idAttribute(configID string) schema.StringAttribute {
	return schema.StringAttribute{
		Computed:            true,
		MarkdownDescription: fmt.Sprintf("Always `%s`, the method configuration's id in Microsoft Graph.", configID),
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

func stateAttribute(method string) schema.StringAttribute {
	return schema.StringAttribute{
		Required:            true,
		MarkdownDescription: fmt.Sprintf("`enabled` or `disabled`: whether targeted users can use %s.", method),
		Validators:          []validator.String{stringvalidator.OneOf("enabled", "disabled")},
	}
}

// upgradable is a policy model whose schema changed shape since an earlier
// version: it moves state of those versions to the current one.
type upgradable interface {
	upgraders() map[int64]resource.StateUpgrader
}

// plannedRecorder is a policy model other resources check against: its
// planned value is recorded in the provider's data for them.
type plannedRecorder interface {
	recordPlan(ctx context.Context, config any, data *providerData)
}

// policyResource is an entra_*_policy resource: the shared life cycle over
// one policy's model M.
type policyResource[M any, P policyModel[M]] struct {
	client *graph.Client
	data   *providerData
}

var (
	_ resource.ResourceWithImportState    = (*policyResource[tapPolicyModel, *tapPolicyModel])(nil)
	_ resource.ResourceWithValidateConfig = (*policyResource[tapPolicyModel, *tapPolicyModel])(nil)
	_ resource.ResourceWithModifyPlan     = (*policyResource[tapPolicyModel, *tapPolicyModel])(nil)
	_ resource.ResourceWithUpgradeState   = (*policyResource[tapPolicyModel, *tapPolicyModel])(nil)
)

func (r *policyResource[M, P]) info() policyInfo { return P(new(M)).policy() }

func (r *policyResource[M, P]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.info().typeName
}

func (r *policyResource[M, P]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = withTargetNames(r.info().schema)
}

func (r *policyResource[M, P]) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	if u, ok := any(P(new(M))).(upgradable); ok {
		return u.upgraders()
	}
	return nil
}

func (r *policyResource[M, P]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if r.data = configureData(req.ProviderData, &resp.Diagnostics); r.data != nil {
		r.client = r.data.graph
	}
}

func (r *policyResource[M, P]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m M
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if !resp.Diagnostics.HasError() {
		P(&m).validate(ctx, &resp.Diagnostics)
	}
}

// ModifyPlan makes the plan say what the apply does to the tenant. A create
// adopts the policy the tenant holds: it is read here (a GET, nothing
// changes), what the configuration leaves unset keeps the tenant's value, and
// a warning lists each value the apply replaces. On update, unset arguments
// keep the state's value, which refresh has just read from the tenant. Either
// way the plan carries a warning for each control it weakens. A destroy lists
// what the reset to Microsoft's defaults replaces.
func (r *policyResource[M, P]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
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
		read := new(M)
		if readPolicy[M, P](ctx, read, r.client, newSpelling(P(&config).guids(ctx)...), &resp.Diagnostics) {
			prior, tenant = read, &tfsdk.State{Schema: req.Plan.Schema}
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
	P(&plan).adjustPlan(ctx, &config, prior)
	review(ctx, &plan)
	nameTargets(ctx, r.client, withTargetNames(r.info().schema), &plan)
	// The rules again, on the values the tenant gives what the configuration
	// leaves unset; the configuration's own warnings are already out.
	var planned diag.Diagnostics
	P(&plan).validate(ctx, &planned)
	resp.Diagnostics.Append(planned.Errors()...)
	if c, ok := any(P(&plan)).(priorChecker[M]); ok {
		c.checkPlan(ctx, prior, &resp.Diagnostics)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if rec, ok := any(P(&plan)).(plannedRecorder); ok && r.data != nil {
		rec.recordPlan(ctx, &config, r.data)
	}
	if r.client != nil {
		checkTargets(ctx, r.client, r.info().typeName, resp.Plan.Raw, &resp.Diagnostics)
	}
	info := r.info()
	// An adoption says what it changes; when it changes nothing, nothing.
	var adopted []string
	if tenant != nil {
		adopted = changes(tenant.Raw, resp.Plan.Raw)
	}
	if len(adopted) > 0 {
		resp.Diagnostics.AddWarning(fmt.Sprintf("entra_%s adopts the tenant's %s policy", info.typeName, info.configID),
			"The apply changes, from the tenant's current value to the planned one:\n"+strings.Join(adopted, "\n")+
				"\nWhat the configuration leaves unset keeps the tenant's value. An import block (id = \""+info.configID+
				"\") shows the same as Terraform's own diff.")
	}
	report(&resp.Diagnostics, info.typeName, P(&plan).weakenings(ctx, prior))
}

// planReset warns that destroy resets the policy, with each value the reset
// replaces.
func (r *policyResource[M, P]) planReset(ctx context.Context, state tfsdk.State, diags *diag.Diagnostics) {
	if info := r.info(); info.keptOnDestroy {
		diags.AddWarning(fmt.Sprintf("Destroying entra_%s leaves the tenant's %s as it is", info.typeName, info.configID),
			"Microsoft Graph has no reset for this policy: the resource leaves state, and the tenant keeps what it holds.")
		return
	}
	var m M
	diags.Append(state.Get(ctx, &m)...)
	if diags.HasError() {
		return
	}
	P(&m).reset(ctx, newSpelling(P(&m).guids(ctx)...), diags)
	review(ctx, &m)
	nameTargets(ctx, r.client, withTargetNames(r.info().schema), &m)
	after := tfsdk.State{Schema: state.Schema}
	diags.Append(after.Set(ctx, &m)...)
	if diags.HasError() {
		return
	}
	info := r.info()
	detail := "Microsoft Graph keeps the " + info.configID + " method configuration: destroying this resource resets it to Microsoft's defaults rather than removing it."
	if lines := changes(state.Raw, after.Raw); len(lines) > 0 {
		detail += " The reset changes:\n" + strings.Join(lines, "\n")
	}
	detail += "\nTo stop managing the policy and leave the tenant as it is, replace the resource block with a removed block whose lifecycle sets destroy = false. " +
		"lifecycle { prevent_destroy = true } on the resource refuses any plan that would reset it."
	diags.AddWarning(fmt.Sprintf("Destroying entra_%s resets the tenant's %s policy", info.typeName, info.configID), detail)
}

func (r *policyResource[M, P]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	r.write(ctx, req.Config, req.Plan, nil, nil, resp.Private, &resp.State, &resp.Diagnostics)
}

// Read reads the tenant's policy, GUIDs spelled as the state spells them.
func (r *policyResource[M, P]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m M
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sp := newSpelling(P(&m).guids(ctx)...)
	learnProfileIDs(sp, profileIDs(ctx, req.Private, &resp.Diagnostics))
	if readPolicy[M, P](ctx, &m, r.client, sp, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *policyResource[M, P]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	r.write(ctx, req.Config, req.Plan, &req.State, req.Private, resp.Private, &resp.State, &resp.Diagnostics)
}

// Delete resets the policy: Graph's DELETE of a configuration does that.
func (r *policyResource[M, P]) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	info := r.info()
	if info.keptOnDestroy {
		return
	}
	reset := r.client.ResetPolicy
	if info.beta {
		reset = r.client.ResetPolicyBeta
	}
	if err := reset(ctx, info.configID); err != nil {
		graphError(&resp.Diagnostics, "resetting the "+info.configID+" policy to its defaults", err)
	}
}

// ImportState takes the configuration id, in any case, as Graph does.
func (r *policyResource[M, P]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	info := r.info()
	if !strings.EqualFold(req.ID, info.configID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("entra_%s is a tenant-wide singleton: import it with the id %q, not %q.", info.typeName, info.configID, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), info.configID)...)
}

// write applies the plan to the tenant's policy as it is now, sending only
// what the plan changes: on update the attributes whose planned value differs
// from the prior state, on create (adoption) those the configuration sets.
// On update the tenant must still hold the prior value of each attribute sent
// (a saved plan may be applied long after it was made): where it does not,
// nothing is written and the error names each one. The passkey profile ids
// Graph gave are kept in private state; the policy is then read back until it
// shows what was sent (graph.ConsistencyWait at most: then the last read
// stands, and Terraform reports the difference). State holds the plan's value
// of each attribute not sent, so a change someone else made since the plan
// shows as drift at the next refresh. If the PATCH fails, Graph has changed
// nothing and state keeps its prior value.
func (r *policyResource[M, P]) write(ctx context.Context, configured tfsdk.Config, planned tfsdk.Plan, prior *tfsdk.State, privIn, privOut privateData, state *tfsdk.State, diags *diag.Diagnostics) {
	var config, plan, prev M
	diags.Append(configured.Get(ctx, &config)...)
	diags.Append(planned.Get(ctx, &plan)...)
	var guids []string
	if prior != nil {
		diags.Append(prior.Get(ctx, &prev)...)
		guids = P(&prev).guids(ctx)
	}
	guids = append(guids, P(&plan).guids(ctx)...) // the plan's spelling wins
	if diags.HasError() {
		return
	}
	ids := profileIDs(ctx, privIn, diags)
	sp := newSpelling(guids...)
	learnProfileIDs(sp, ids)
	var current M
	tenant, ok := r.readState(ctx, &current, sp, tfsdk.State{Schema: planned.Schema}, diags)
	if !ok {
		return
	}
	var send []string
	if prior == nil {
		send = setAttributes(configured.Raw, planned.Raw)
	} else {
		send = changedAttributes(prior.Raw, planned.Raw)
		if stale := changedAttributes(foldCase(prior.Raw), foldCase(tenant.Raw), send...); len(send) > 0 && len(stale) > 0 {
			staleError(diags, r.info(), stale, prior.Raw, planned.Raw, tenant.Raw)
			return
		}
	}
	var next M
	diags.Append((&tfsdk.Plan{Schema: planned.Schema, Raw: withAttributes(tenant.Raw, planned.Raw, send)}).Get(ctx, &next)...)
	if diags.HasError() {
		return
	}
	ids = P(&next).write(ctx, r.client, &config, &current, ids, diags)
	if raw, err := json.Marshal(ids); err == nil {
		diags.Append(privOut.SetKey(ctx, profileIDsKey, raw)...)
	}
	if diags.HasError() {
		return
	}
	learnProfileIDs(sp, ids)
	var read tftypes.Value
	_, _ = graph.Await(ctx, graph.ConsistencyWait, func() (bool, error) {
		var m M
		got, ok := r.readState(ctx, &m, sp, tfsdk.State{Schema: planned.Schema}, diags)
		if !ok {
			return false, errReadFailed
		}
		read = got.Raw
		return conforms(planned.Raw, got.Raw, send), nil
	})
	if diags.HasError() {
		return
	}
	state.Raw = withAttributes(read, planned.Raw, knownAttributes(planned.Raw, send))
	// The controls are those of the values state ends with.
	var final M
	if _, ok := any(&final).(controlled); ok {
		diags.Append(state.Get(ctx, &final)...)
		review(ctx, &final)
		diags.Append(state.Set(ctx, &final)...)
	}
}

// readPolicy reads the tenant's policy into m, with the EIDSCA controls its
// values meet.
func readPolicy[M any, P policyModel[M]](ctx context.Context, m *M, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	if !P(m).read(ctx, c, sp, diags) {
		return false
	}
	review(ctx, m)
	nameTargets(ctx, c, withTargetNames(P(m).policy().schema), m)
	return true
}

// readState reads the tenant's policy into m and into got, a state of the
// resource's schema.
func (r *policyResource[M, P]) readState(ctx context.Context, m *M, sp spelling, got tfsdk.State, diags *diag.Diagnostics) (tfsdk.State, bool) {
	var readDiags diag.Diagnostics
	if readPolicy[M, P](ctx, m, r.client, sp, &readDiags) {
		readDiags.Append(got.Set(ctx, m)...)
	}
	diags.Append(readDiags...)
	return got, !readDiags.HasError()
}

// staleError refuses a write whose prior values the tenant no longer holds.
func staleError(diags *diag.Diagnostics, info policyInfo, names []string, prior, plan, tenant tftypes.Value) {
	var lines []string
	for _, name := range names {
		lines = append(lines, fmt.Sprintf("  %s: planned %s; the plan was made when the tenant held %s; it now holds %s",
			name, render(attribute(plan, name)), render(attribute(prior, name)), render(attribute(tenant, name))))
	}
	diags.AddError(fmt.Sprintf("The tenant's %s policy changed since this plan was made", info.configID),
		"Nothing was written: the apply would overwrite a value someone changed in the tenant after the plan was made:\n"+
			strings.Join(lines, "\n")+"\nRun terraform plan again, review the tenant's values, and apply the new plan.")
}

// errReadFailed ends a wait whose read failed; its diagnostics say why.
var errReadFailed = errors.New("read failed")

// conforms reports whether got holds each value of the named attributes
// that plan knows.
func conforms(plan, got tftypes.Value, names []string) bool {
	for _, name := range names {
		if v := attribute(plan, name); v.IsFullyKnown() && !v.Equal(attribute(got, name)) {
			return false
		}
	}
	return true
}

// attribute is the top-level attribute name of an object value.
func attribute(v tftypes.Value, name string) tftypes.Value {
	var attrs map[string]tftypes.Value
	_ = v.As(&attrs)
	return attrs[name]
}

// derived reports whether a policy's top-level attribute is derived from the
// others (the EIDSCA controls, the targets' names), not held by Graph.
func derived(name string) bool { return name == "eidsca" || name == "target_names" }

// changedAttributes lists the top-level attributes, among only (all when
// empty), whose value in b is known and differs from a's; never the id or
// one derived from the others.
func changedAttributes(a, b tftypes.Value, only ...string) []string {
	var was, now map[string]tftypes.Value
	if a.As(&was) != nil || b.As(&now) != nil {
		return nil
	}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(now)) {
		if name == "id" || derived(name) || (len(only) > 0 && !slices.Contains(only, name)) {
			continue
		}
		if v := now[name]; v.IsFullyKnown() && !v.Equal(was[name]) {
			out = append(out, name)
		}
	}
	return out
}

// foldCase is v with every string in lower case: GUIDs the prior state and
// the plan spell differently are the same to Graph.
func foldCase(v tftypes.Value) tftypes.Value {
	folded, err := tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		var s string
		if !v.Type().Is(tftypes.String) || !v.IsKnown() || v.IsNull() || v.As(&s) != nil {
			return v, nil
		}
		return tftypes.NewValue(tftypes.String, strings.ToLower(s)), nil
	})
	if err != nil {
		return v
	}
	return folded
}

// setAttributes lists the top-level attributes the configuration sets and the
// plan knows.
func setAttributes(config, plan tftypes.Value) []string {
	var c map[string]tftypes.Value
	_ = config.As(&c)
	var out []string
	for _, name := range slices.Sorted(maps.Keys(c)) {
		if !c[name].IsNull() && attribute(plan, name).IsFullyKnown() {
			out = append(out, name)
		}
	}
	return out
}

// knownAttributes lists the top-level attributes plan knows, less except.
func knownAttributes(plan tftypes.Value, except []string) []string {
	var p map[string]tftypes.Value
	_ = plan.As(&p)
	var out []string
	for name, v := range p {
		if v.IsFullyKnown() && !slices.Contains(except, name) {
			out = append(out, name)
		}
	}
	return out
}

// withAttributes is base with the named top-level attributes taken from from.
func withAttributes(base, from tftypes.Value, names []string) tftypes.Value {
	var b, f map[string]tftypes.Value
	if base.As(&b) != nil || from.As(&f) != nil || b == nil {
		return base
	}
	out := maps.Clone(b)
	for _, name := range names {
		out[name] = f[name]
	}
	return tftypes.NewValue(base.Type(), out)
}

// privateData is a resource's private state, which Terraform keeps beside
// its state without showing it.
type privateData interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// profileIDsKey keeps the ids Graph gave passkey profiles a resource created,
// by their configured ids.
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

// policyDataSource is an entra_*_policy data source: the policy read as the
// resource reads it, with the resource's attributes, all computed.
type policyDataSource[M any, P policyModel[M]] struct{ graphDataSource }

func (d *policyDataSource[M, P]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + P(new(M)).policy().typeName
}

func (d *policyDataSource[M, P]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	info := P(new(M)).policy()
	resp.Schema = dataSourceSchema(withTargetNames(info.schema).Attributes, info.dataDescription)
}

func (d *policyDataSource[M, P]) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m M
	if readPolicy[M, P](ctx, &m, d.client, spelling{}, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}
