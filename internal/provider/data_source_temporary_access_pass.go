package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// temporaryAccessPassDataSource reads a user's pass metadata, never its value.
type temporaryAccessPassDataSource struct{ graphDataSource }

func newTemporaryAccessPassDataSource() datasource.DataSource {
	return &temporaryAccessPassDataSource{}
}

func (d *temporaryAccessPassDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_temporary_access_pass"
}

func (d *temporaryAccessPassDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := tapAttributes(false)
	delete(attrs, "temporary_access_pass")
	resp.Schema = dataSourceSchema(attrs, "Reads a user's current Temporary Access Pass: when it starts, how long it lives and whether it is usable. "+
		"Never the value, which Graph returns only when a pass is issued. Fails when the user has no pass.", "user_id")
}

func (d *temporaryAccessPassDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m tapMetadata
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	passes, err := d.client.ListTemporaryAccessPasses(ctx, m.UserID.ValueString())
	if err != nil {
		graphError(&resp.Diagnostics, "listing the Temporary Access Passes of "+m.UserID.ValueString(), err)
		return
	}
	if len(passes) == 0 {
		resp.Diagnostics.AddError("No Temporary Access Pass", fmt.Sprintf("The user %s has no Temporary Access Pass.", m.UserID.ValueString()))
		return
	}
	m.fill(&passes[0])
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
