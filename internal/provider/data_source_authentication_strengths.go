package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// strengthsDataSource lists the tenant's authentication strengths, Microsoft's
// built-in ones and the custom ones, with the resource's attributes.
type strengthsDataSource struct{ graphDataSource }

func newAuthenticationStrengthsDataSource() datasource.DataSource { return &strengthsDataSource{} }

type strengthsModel struct {
	PolicyType types.String `tfsdk:"policy_type"`
	Strengths  types.List   `tfsdk:"strengths"`
}

var strengthAttrs = map[string]attr.Type{"id": types.StringType, "display_name": types.StringType, "description": types.StringType,
	"allowed_combinations": types.SetType{ElemType: types.StringType}, "fido2_allowed_aaguids": types.SetType{ElemType: types.StringType},
	"policy_type": types.StringType, "requirements_satisfied": types.StringType}

func (d *strengthsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_authentication_strengths"
}

func (d *strengthsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the tenant's authentication strengths: Microsoft's built-in ones (multifactor, passwordless, phishing-resistant) and custom ones, " +
			"for Conditional Access policies to name by id.",
		Attributes: map[string]schema.Attribute{
			"policy_type": schema.StringAttribute{Optional: true, Validators: []validator.String{stringvalidator.OneOf("builtIn", "custom")},
				MarkdownDescription: "Only `builtIn` or only `custom` strengths. Unset: all."},
			"strengths": schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The strengths, by name.",
				NestedObject: schema.NestedAttributeObject{Attributes: computedAttributes(strengthAttributes())}},
		},
	}
}

func (d *strengthsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m strengthsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	all, err := d.client.ListAuthenticationStrengths(ctx)
	if err != nil {
		graphError(&resp.Diagnostics, "listing the authentication strengths", err)
		return
	}
	var out []strengthModel
	for _, s := range all {
		if !m.PolicyType.IsNull() && s.PolicyType != m.PolicyType.ValueString() {
			continue
		}
		// Only custom strengths hold combination configurations, which a
		// list does not expand.
		if s.PolicyType == "custom" {
			full, err := d.client.GetAuthenticationStrength(ctx, s.ID)
			if err != nil {
				graphError(&resp.Diagnostics, "reading the authentication strength "+s.ID, err)
				return
			}
			s = *full
		}
		var sm strengthModel
		sm.fill(ctx, &s, &resp.Diagnostics)
		out = append(out, sm)
	}
	list, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: strengthAttrs}, out)
	resp.Diagnostics.Append(diags...)
	m.Strengths = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
