package provider

import (
	"context"
	"errors"
	"fmt"
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

// The steps of a tenant-wide method policy's life cycle, which every
// entra_*_policy resource calls from its own methods. Graph keeps every
// method configuration: creating the resource adopts the tenant's policy (the
// plan lists each value the apply replaces), an update PATCHes it and reads
// it back, and destroying the resource resets it to Microsoft's defaults.

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

// policyName names a policy resource and its Graph configuration.
type policyName struct {
	typeName string // after "entra_"
	configID string // Graph's configuration id
}

// policyModel is what the shared steps need of a policy's Terraform model.
type policyModel[M any] interface {
	*M
	// guids lists the GUIDs the model holds, to keep their configured case.
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

// policyReader reads the tenant's policy as a model, GUIDs spelled as sp
// knows them; nil after reporting a failure.
type policyReader[M any] func(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) *M

// planPolicyChange is ModifyPlan for a create or an update. A create adopts
// the policy the tenant holds: it is read here (a GET, nothing changes), what
// the configuration leaves unset keeps the tenant's value, and a warning lists
// each value the apply replaces. On update, unset arguments keep the state's
// value, which refresh has just read from the tenant. Either way the plan
// carries a warning for each control it weakens.
func planPolicyChange[M any, P policyModel[M]](ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse,
	name policyName, c *graph.Client, read policyReader[M]) {
	var config M
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	var prior *M
	var tenant *tfsdk.State
	switch {
	case !req.State.Raw.IsNull():
		prior = new(M)
		resp.Diagnostics.Append(req.State.Get(ctx, prior)...)
	case c != nil:
		if prior = read(ctx, c, newSpelling(P(&config).guids(ctx)...), &resp.Diagnostics); prior != nil {
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
	P(&plan).adjustPlan(ctx, &config, prior)
	// The rules again, on the values the tenant gives what the configuration
	// leaves unset; the configuration's own warnings are already out.
	var planned diag.Diagnostics
	P(&plan).validate(ctx, &planned)
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
		resp.Diagnostics.AddWarning(fmt.Sprintf("entra_%s adopts the tenant's %s policy", name.typeName, name.configID), detail)
	}
	report(&resp.Diagnostics, name.typeName, P(&plan).weakenings(ctx, prior))
}

// planPolicyReset is ModifyPlan for a destroy: it warns that destroy resets
// the policy, with each value the reset replaces; reset is the policy after
// it, as a model.
func planPolicyReset(ctx context.Context, state tfsdk.State, reset any, name policyName, diags *diag.Diagnostics) {
	after := tfsdk.State{Schema: state.Schema}
	diags.Append(after.Set(ctx, reset)...)
	if diags.HasError() {
		return
	}
	detail := "Microsoft Graph keeps the " + name.configID + " method configuration: destroying this resource resets it to Microsoft's defaults rather than removing it."
	if lines := changes(state.Raw, after.Raw); len(lines) > 0 {
		detail += " The reset changes:\n" + strings.Join(lines, "\n")
	}
	detail += "\nTo stop managing the policy and leave the tenant as it is, replace the resource block with a removed block whose lifecycle sets destroy = false. " +
		"lifecycle { prevent_destroy = true } on the resource refuses any plan that would reset it."
	diags.AddWarning(fmt.Sprintf("Destroying entra_%s resets the tenant's %s policy", name.typeName, name.configID), detail)
}

// readPolicyBack reads the policy after a write until the read shows what
// was planned (graph.ConsistencyWait at most: then the last read stands, and
// Terraform reports the difference), and puts it into state.
func readPolicyBack[M any](ctx context.Context, c *graph.Client, plan tfsdk.Plan, state *tfsdk.State, read policyReader[M], sp spelling, diags *diag.Diagnostics) {
	var m *M
	_, _ = graph.Await(ctx, graph.ConsistencyWait, func() (bool, error) {
		var readDiags diag.Diagnostics
		if m = read(ctx, c, sp, &readDiags); m == nil {
			diags.Append(readDiags...)
			return false, errReadFailed
		}
		got := tfsdk.State{Schema: plan.Schema}
		readDiags.Append(got.Set(ctx, m)...)
		if readDiags.HasError() {
			diags.Append(readDiags...)
			return false, errReadFailed
		}
		return conforms(plan.Raw, got.Raw), nil
	})
	if m != nil {
		diags.Append(state.Set(ctx, m)...)
	}
}

// errReadFailed ends a wait whose read failed; its diagnostics say why.
var errReadFailed = errors.New("read failed")

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

// resetPolicy is Delete: Graph resets the configuration to its defaults.
func resetPolicy(ctx context.Context, c *graph.Client, name policyName, diags *diag.Diagnostics) {
	if err := c.ResetPolicy(ctx, name.configID); err != nil {
		graphError(diags, "resetting the "+name.configID+" policy to its defaults", err)
	}
}

// importPolicy is ImportState: the configuration id, in any case, as Graph
// accepts it.
func importPolicy(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse, name policyName) {
	if !strings.EqualFold(req.ID, name.configID) {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("entra_%s is a tenant-wide singleton: import it with the id %q, not %q.", name.typeName, name.configID, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), name.configID)...)
}

// policyDataSource reads a policy with its resource's attributes, all
// computed: every policy's data source is this one, with its own name,
// description and reader (data_source_*_policy.go).
type policyDataSource[M any] struct {
	graphDataSource
	name        policyName
	description string
	attributes  map[string]schema.Attribute
	read        policyReader[M]
}

func (d *policyDataSource[M]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.name.typeName
}

func (d *policyDataSource[M]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dataSourceSchema(d.attributes, d.description)
}

func (d *policyDataSource[M]) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	if m := d.read(ctx, d.client, spelling{}, &resp.Diagnostics); m != nil {
		resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	}
}
