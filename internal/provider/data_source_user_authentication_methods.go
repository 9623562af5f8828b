package provider

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// userAuthenticationMethodsDataSource lists the methods a user has, all or
// those its filters select: what a lost device held, say.
type userAuthenticationMethodsDataSource struct{ graphDataSource }

type userMethodsModel struct {
	UserID        types.String `tfsdk:"user_id"`
	Types         types.Set    `tfsdk:"types"`
	DisplayName   types.String `tfsdk:"display_name"`
	CreatedBefore types.String `tfsdk:"created_before"`
	Methods       types.List   `tfsdk:"methods"`
}

var methodAttrs = map[string]attr.Type{
	"id": types.StringType, "type": types.StringType, "odata_type": types.StringType,
	"display_name": types.StringType, "created_date_time": types.StringType,
	"properties": types.MapType{ElemType: types.StringType},
}

// methodTypes are the short type names of Graph's user methods, v1.0 and
// beta.
var methodTypes = []string{"password", "temporaryAccessPass", "fido2", "microsoftAuthenticator", "passwordlessMicrosoftAuthenticator",
	"phone", "email", "softwareOath", "hardwareOath", "windowsHelloForBusiness", "platformCredential", "qrCodePin"}

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
			"user_id": dschema.StringAttribute{Required: true, MarkdownDescription: userIDDescription,
				Validators: []validator.String{validators.NotBlank()}},
			"types": dschema.SetAttribute{Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Only methods of these types: " + codeList(methodTypes) + ".",
				Validators:          []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(methodTypes...))}},
			"display_name": dschema.StringAttribute{Optional: true,
				MarkdownDescription: "Only methods with this display name, whatever its case: for Microsoft Authenticator, Windows Hello for Business and platform credentials, the device's name; for FIDO2, the key's.",
				Validators:          []validator.String{validators.NotBlank()}},
			"created_before": dschema.StringAttribute{Optional: true,
				MarkdownDescription: "Only methods registered before this time (RFC 3339). Methods Graph gives no creation time (password, phone, email, software OATH) are left out when it is set.",
				Validators:          []validator.String{validators.RFC3339()}},
			"methods": dschema.ListNestedAttribute{Computed: true, MarkdownDescription: "The user's methods that pass the filters, in Graph's order.",
				NestedObject: dschema.NestedAttributeObject{Attributes: map[string]dschema.Attribute{
					"id":                dschema.StringAttribute{Computed: true, MarkdownDescription: "The method's id."},
					"type":              dschema.StringAttribute{Computed: true, MarkdownDescription: "Short type name, such as `password`, `temporaryAccessPass` or `fido2`."},
					"odata_type":        dschema.StringAttribute{Computed: true, MarkdownDescription: "Graph's full type, such as `#microsoft.graph.fido2AuthenticationMethod`."},
					"display_name":      dschema.StringAttribute{Computed: true, MarkdownDescription: "The method's display name, when it has one."},
					"created_date_time": dschema.StringAttribute{Computed: true, MarkdownDescription: "When the method was registered, when Graph says."},
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
	var elems []attr.Value
	for _, method := range methods {
		if !m.selects(ctx, method, &resp.Diagnostics) {
			continue
		}
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
		elems = append(elems, types.ObjectValueMust(methodAttrs, map[string]attr.Value{
			"id": types.StringValue(method.ID), "type": types.StringValue(method.Type()),
			"odata_type": types.StringValue(method.ODataType), "properties": types.MapValueMust(types.StringType, props),
			"display_name": types.StringPointerValue(method.String("displayName")), "created_date_time": types.StringPointerValue(method.String("createdDateTime")),
		}))
	}
	m.Methods = types.ListValueMust(types.ObjectType{AttrTypes: methodAttrs}, elems)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// selects reports whether method passes the filters.
func (m *userMethodsModel) selects(ctx context.Context, method graph.AuthenticationMethod, diags *diag.Diagnostics) bool {
	if !m.Types.IsNull() && !slices.Contains(stringsOf(ctx, m.Types, diags), method.Type()) {
		return false
	}
	name := method.String("displayName")
	if !m.DisplayName.IsNull() && (name == nil || !strings.EqualFold(*name, m.DisplayName.ValueString())) {
		return false
	}
	if m.CreatedBefore.IsNull() {
		return true
	}
	before, _ := time.Parse(time.RFC3339, m.CreatedBefore.ValueString()) // validated
	created := method.String("createdDateTime")
	if created == nil {
		return false
	}
	t, err := time.Parse(time.RFC3339, *created)
	return err == nil && t.Before(before)
}
