package provider

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// userAuthenticationMethodsDataSource lists every method a user has.
type userAuthenticationMethodsDataSource struct{ graphDataSource }

type userMethodsModel struct {
	UserID  types.String `tfsdk:"user_id"`
	Methods types.List   `tfsdk:"methods"`
}

var methodAttrs = map[string]attr.Type{
	"id": types.StringType, "type": types.StringType, "odata_type": types.StringType,
	"properties": types.MapType{ElemType: types.StringType},
}

func newUserAuthenticationMethodsDataSource() datasource.DataSource {
	return &userAuthenticationMethodsDataSource{}
}

func (d *userAuthenticationMethodsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_authentication_methods"
}

func (d *userAuthenticationMethodsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dschema.Schema{
		MarkdownDescription: "Lists all authentication methods of a user (password, Temporary Access Pass, FIDO2 security keys and passkeys, Microsoft Authenticator, ...), each with its type, id and the properties Graph returns for it.",
		Attributes: map[string]dschema.Attribute{
			"user_id": dschema.StringAttribute{Required: true, MarkdownDescription: "The user's object id or user principal name.",
				Validators: []validator.String{validators.NotBlank()}},
			"methods": dschema.ListNestedAttribute{Computed: true, MarkdownDescription: "The user's methods, in Graph's order.",
				NestedObject: dschema.NestedAttributeObject{Attributes: map[string]dschema.Attribute{
					"id":         dschema.StringAttribute{Computed: true, MarkdownDescription: "The method's id."},
					"type":       dschema.StringAttribute{Computed: true, MarkdownDescription: "Short type name, such as `password`, `temporaryAccessPass` or `fido2`."},
					"odata_type": dschema.StringAttribute{Computed: true, MarkdownDescription: "Graph's full type, such as `#microsoft.graph.fido2AuthenticationMethod`."},
					"properties": dschema.MapAttribute{Computed: true, ElementType: types.StringType,
						MarkdownDescription: "The other properties Graph returned, by name: strings as they are, other values as JSON. A Temporary Access Pass's value is never among them."},
				}}},
		},
	}
}

func (d *userAuthenticationMethodsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m userMethodsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	methods, err := d.client.ListAuthenticationMethods(ctx, m.UserID.ValueString())
	if err != nil {
		graphError(&resp.Diagnostics, "listing the authentication methods of "+m.UserID.ValueString(), err)
		return
	}
	elems := make([]attr.Value, len(methods))
	for i, method := range methods {
		props := map[string]attr.Value{}
		for k, raw := range method.Properties {
			// Graph returns a pass's value only when issuing it; drop the key
			// anyway so no future answer can carry it into state.
			if string(raw) == "null" || strings.HasPrefix(k, "@") || k == "temporaryAccessPass" {
				continue
			}
			v := string(raw)
			var s string
			if json.Unmarshal(raw, &s) == nil {
				v = s
			}
			props[k] = types.StringValue(v)
		}
		elems[i] = types.ObjectValueMust(methodAttrs, map[string]attr.Value{
			"id": types.StringValue(method.ID), "type": types.StringValue(method.Type()),
			"odata_type": types.StringValue(method.ODataType), "properties": types.MapValueMust(types.StringType, props),
		})
	}
	m.Methods = types.ListValueMust(types.ObjectType{AttrTypes: methodAttrs}, elems)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
