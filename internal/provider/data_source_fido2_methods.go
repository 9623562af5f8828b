package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// fido2MethodsDataSource lists a user's FIDO2 registrations.
type fido2MethodsDataSource struct{ graphDataSource }

type fido2MethodsModel struct {
	UserID  types.String `tfsdk:"user_id"`
	Methods types.List   `tfsdk:"methods"`
}

func newFido2MethodsDataSource() datasource.DataSource { return &fido2MethodsDataSource{} }

func (d *fido2MethodsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_fido2_methods"
}

func (d *fido2MethodsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dschema.Schema{
		MarkdownDescription: "Lists a user's FIDO2 security keys and passkeys.",
		Attributes: map[string]dschema.Attribute{
			"user_id": dschema.StringAttribute{Required: true, MarkdownDescription: userIDDescription,
				Validators: []validator.String{validators.NotBlank()}},
			"methods": dschema.ListNestedAttribute{Computed: true, MarkdownDescription: "The user's FIDO2 registrations.",
				NestedObject: dschema.NestedAttributeObject{Attributes: computedAttributes(fido2MethodAttributes())}},
		},
	}
}

func (d *fido2MethodsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m fido2MethodsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	methods, err := d.client.ListFido2Methods(ctx, m.UserID.ValueString())
	if err != nil {
		graphError(&resp.Diagnostics, "listing the FIDO2 registrations of "+m.UserID.ValueString(), err)
		return
	}
	items := make([]fido2MethodFields, len(methods))
	for i := range methods {
		items[i].UserID = m.UserID
		items[i].fill(&methods[i])
	}
	var schemaResp datasource.SchemaResponse
	d.Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	elemType := schemaResp.Schema.Attributes["methods"].GetType().(types.ListType).ElemType
	list, diags := types.ListValueFrom(ctx, elemType, items)
	resp.Diagnostics.Append(diags...)
	m.Methods = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
