package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// fido2PolicyDataSource reads the tenant's FIDO2 policy with the resource's
// attributes, all computed.
type fido2PolicyDataSource struct{ graphDataSource }

func newFido2PolicyDataSource() datasource.DataSource { return &fido2PolicyDataSource{} }

func (d *fido2PolicyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + fido2Policy.typeName
}

func (d *fido2PolicyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dataSourceSchema(fido2PolicySchema.Attributes,
		"Reads the tenant's FIDO2 (passkey) method policy: its passkey profiles, key restrictions, attestation rules and targets. "+
			"Useful to review a tenant before adopting it with `entra_fido2_policy`.")
}

func (d *fido2PolicyDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	readPolicyData(ctx, d.client, readFido2Policy, &resp.State, &resp.Diagnostics)
}
