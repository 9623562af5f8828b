package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

type qrCodePinPolicyModel struct {
	ID                           types.String `tfsdk:"id"`
	State                        types.String `tfsdk:"state"`
	PinLength                    types.Int64  `tfsdk:"pin_length"`
	StandardQRCodeLifetimeInDays types.Int64  `tfsdk:"standard_qr_code_lifetime_in_days"`
	policyTargets
	targetNames
}

var qrCodePinPolicySchema = schema.Schema{
	MarkdownDescription: "The tenant's QR code + PIN method policy, for frontline workers on shared devices: who may sign in by scanning a QR code and typing a PIN, " +
		"how long a standard code lives and how long the PIN is. " + adoptionDescription,
	Attributes: map[string]schema.Attribute{
		"id":    idAttribute(graph.QRCodePinID),
		"state": stateAttribute("QR codes with a PIN"),
		"pin_length": schema.Int64Attribute{Optional: true, Computed: true, Validators: []validator.Int64{int64validator.Between(8, 20)},
			MarkdownDescription: "How many digits a PIN has, 8 to 20. Unset: the tenant's value is kept (Microsoft's default is `8`)."},
		"standard_qr_code_lifetime_in_days": schema.Int64Attribute{Optional: true, Computed: true, Validators: []validator.Int64{int64validator.Between(1, 395)},
			MarkdownDescription: "How many days a standard QR code lives, 1 to 395. Unset: the tenant's value is kept (Microsoft's default is `365`)."},
		"include_targets": includeTargetsAttribute(false),
		"exclude_targets": excludeTargetsAttribute(),
	},
}

// entra_qr_code_pin_policy: the shared policy life cycle (common_policy.go)
// over this model.
func newQRCodePinPolicyResource() resource.Resource {
	return &policyResource[qrCodePinPolicyModel, *qrCodePinPolicyModel]{}
}

func newQRCodePinPolicyDataSource() datasource.DataSource {
	return &policyDataSource[qrCodePinPolicyModel, *qrCodePinPolicyModel]{}
}

func (*qrCodePinPolicyModel) policy() policyInfo {
	return policyInfo{typeName: "qr_code_pin_policy", configID: graph.QRCodePinID, schema: qrCodePinPolicySchema,
		dataDescription: "Reads the tenant's QR code + PIN method policy: whether it is on, for whom, and its code lifetime and PIN length."}
}

func (m *qrCodePinPolicyModel) read(ctx context.Context, c *graph.Client, sp spelling, diags *diag.Diagnostics) bool {
	return readInto(ctx, m, graph.QRCodePinID, c.GetQRCodePinPolicy, qrCodePinPolicyFromGraph, sp, diags)
}

func (m *qrCodePinPolicyModel) write(ctx context.Context, c *graph.Client, _, from *qrCodePinPolicyModel, ids graph.ProfileIDs, diags *diag.Diagnostics) graph.ProfileIDs {
	patchChanges(ctx, graph.QRCodePinID, m, from, (*qrCodePinPolicyModel).graphPolicy, c.UpdateQRCodePinPolicy, diags)
	return ids
}

func (m *qrCodePinPolicyModel) graphPolicy(ctx context.Context, diags *diag.Diagnostics) graph.QRCodePinPolicy {
	p := graph.QRCodePinPolicy{State: m.State.ValueString(), PinLength: m.PinLength.ValueInt64(),
		StandardQRCodeLifetimeInDays: m.StandardQRCodeLifetimeInDays.ValueInt64()}
	p.IncludeTargets, p.ExcludeTargets = m.toGraph(ctx, diags)
	return p
}

func (m *qrCodePinPolicyModel) reset(ctx context.Context, sp spelling, diags *diag.Diagnostics) {
	defaults := graph.DefaultQRCodePinPolicy()
	*m = *qrCodePinPolicyFromGraph(ctx, &defaults, sp, diags)
}

func qrCodePinPolicyFromGraph(ctx context.Context, p *graph.QRCodePinPolicy, sp spelling, diags *diag.Diagnostics) *qrCodePinPolicyModel {
	return &qrCodePinPolicyModel{ID: types.StringValue(graph.QRCodePinID), State: types.StringValue(p.State), PinLength: types.Int64Value(p.PinLength),
		StandardQRCodeLifetimeInDays: types.Int64Value(p.StandardQRCodeLifetimeInDays),
		policyTargets:                policyTargetsFromGraph(ctx, p.IncludeTargets, p.ExcludeTargets, sp, diags)}
}

// validate: the QR code + PIN policy has no rules across its arguments.
func (m *qrCodePinPolicyModel) validate(context.Context, *diag.Diagnostics) {}

// adjustPlan fills the targets' unset defaults.
func (m *qrCodePinPolicyModel) adjustPlan(_ context.Context, config, _ *qrCodePinPolicyModel) {
	m.planTargets(config.policyTargets)
}

// weakenings: no EIDSCA control covers QR codes with a PIN; a PIN shorter
// than before is a weakening all the same.
func (m *qrCodePinPolicyModel) weakenings(_ context.Context, prior *qrCodePinPolicyModel) []finding {
	if prior == nil || !known(m.PinLength) || m.PinLength.ValueInt64() >= prior.PinLength.ValueInt64() || m.State.ValueString() != "enabled" {
		return nil
	}
	return []finding{{"", "pin_length >= " + prior.PinLength.String(), "pin_length = " + m.PinLength.String() + " makes PINs shorter than the " +
		prior.PinLength.String() + " digits they had: easier to guess on a shared device."}}
}
