package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// attachedAuthenticatorsDataSource lists the FIDO2 authenticators attached
// to the machine running Terraform, so that a policy's AAGUID allow-list can
// be built from real keys.
type attachedAuthenticatorsDataSource struct {
	data *providerData
}

type attachedModel struct {
	Authenticators []attachedDevice `tfsdk:"authenticators"`
}

type attachedDevice struct {
	Path         types.String    `tfsdk:"path"`
	Manufacturer types.String    `tfsdk:"manufacturer"`
	Product      types.String    `tfsdk:"product"`
	AAGUID       types.String    `tfsdk:"aaguid"`
	Versions     []string        `tfsdk:"versions"`
	Extensions   []string        `tfsdk:"extensions"`
	Options      map[string]bool `tfsdk:"options"`
	PINRetries   types.Int64     `tfsdk:"pin_retries"`
}

func newAttachedAuthenticatorsDataSource() datasource.DataSource {
	return &attachedAuthenticatorsDataSource{}
}

func (d *attachedAuthenticatorsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_attached_authenticators"
}

func (d *attachedAuthenticatorsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) dschema.StringAttribute {
		return dschema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	list := func(desc string) dschema.ListAttribute {
		return dschema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
	}
	resp.Schema = dschema.Schema{
		MarkdownDescription: "Lists the FIDO2 authenticators attached to the machine running Terraform (through libfido2, or the software authenticators of `software_authenticator_dir`): " +
			"their paths for `entra_security_key`'s `device_path`, and their AAGUIDs for a passkey profile's allow-list.",
		Attributes: map[string]dschema.Attribute{
			"authenticators": dschema.ListNestedAttribute{Computed: true, MarkdownDescription: "The attached authenticators.",
				NestedObject: dschema.NestedAttributeObject{Attributes: map[string]dschema.Attribute{
					"path":         str("The device path."),
					"manufacturer": str("The manufacturer, as the device reports it (may be empty)."),
					"product":      str("The product name, as the device reports it (may be empty)."),
					"aaguid":       str("The authenticator model's AAGUID."),
					"versions":     list("CTAP versions supported, such as `FIDO_2_1`."),
					"extensions":   list("CTAP extensions supported."),
					"options": dschema.MapAttribute{Computed: true, ElementType: types.BoolType,
						MarkdownDescription: "CTAP options, such as `clientPin` (a PIN is set) and `rk` (resident keys)."},
					"pin_retries": dschema.Int64Attribute{Computed: true, MarkdownDescription: "PIN attempts left; -1 when no PIN is set or the device does not say."},
				}}},
		},
	}
}

func (d *attachedAuthenticatorsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *attachedAuthenticatorsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	devices, err := d.data.keys.Devices(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Listing attached authenticators failed", err.Error())
		return
	}
	m := attachedModel{Authenticators: []attachedDevice{}}
	for _, dev := range devices {
		m.Authenticators = append(m.Authenticators, attachedDevice{
			Path: types.StringValue(dev.Path), Manufacturer: types.StringValue(dev.Manufacturer), Product: types.StringValue(dev.Product),
			AAGUID: types.StringValue(dev.AAGUID), Versions: dev.Versions, Extensions: dev.Extensions, Options: dev.Options,
			PINRetries: types.Int64Value(int64(dev.PINRetries)),
		})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
