package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// tapPolicyDataSource reads the tenant's Temporary Access Pass policy with
// the resource's attributes, all computed.
type tapPolicyDataSource struct{ graphDataSource }

func newTemporaryAccessPassPolicyDataSource() datasource.DataSource { return &tapPolicyDataSource{} }

func (d *tapPolicyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + tapPolicy.typeName
}

func (d *tapPolicyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dataSourceSchema(tapPolicySchema.Attributes,
		"Reads the tenant's Temporary Access Pass (TAP) method policy: whether passes may be issued, their lifetimes and length, and who may use them.")
}

func (d *tapPolicyDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	readPolicyData(ctx, d.client, readTAPPolicy, &resp.State, &resp.Diagnostics)
}
