// Package provider implements the entra Terraform provider's schema,
// resources and data sources on top of internal/graph.
package provider

import (
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// publicAuthorityHost is the public cloud's Microsoft Entra authority.
const publicAuthorityHost = "https://login.microsoftonline.com/"

// New returns a provider factory for the given release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &entraProvider{version: version} }
}

type entraProvider struct {
	version string
}

type providerModel struct {
	TenantID                  types.String `tfsdk:"tenant_id"`
	ClientID                  types.String `tfsdk:"client_id"`
	ClientSecret              types.String `tfsdk:"client_secret"`
	ClientCertificatePath     types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword types.String `tfsdk:"client_certificate_password"`
	UseCLI                    types.Bool   `tfsdk:"use_cli"`
	UseOIDC                   types.Bool   `tfsdk:"use_oidc"`
	OIDCToken                 types.String `tfsdk:"oidc_token"`
	OIDCTokenFilePath         types.String `tfsdk:"oidc_token_file_path"`
	UseMSI                    types.Bool   `tfsdk:"use_msi"`
	GraphEndpoint             types.String `tfsdk:"graph_endpoint"`
	AuthorityHost             types.String `tfsdk:"authority_host"`
}

func (p *entraProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "entra"
	resp.Version = p.version
}

func (p *entraProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	str := func(desc string, sensitive bool) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Sensitive: sensitive, MarkdownDescription: desc}
	}
	flag := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{Optional: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manage Microsoft Entra ID authentication methods (Temporary Access Pass and FIDO2 passkey policies) through Microsoft Graph. " +
			"Exactly one credential method must be configured; each argument can also come from the environment variable named in its description.",
		Attributes: map[string]schema.Attribute{
			"tenant_id":                   str("The tenant's id. Env: `ARM_TENANT_ID`.", false),
			"client_id":                   str("The application (client) id. Env: `ARM_CLIENT_ID`.", false),
			"client_secret":               str("A client secret of the application. Env: `ARM_CLIENT_SECRET`.", true),
			"client_certificate_path":     str("Path to a PEM or PKCS#12 certificate with its private key. Env: `ARM_CLIENT_CERTIFICATE_PATH`.", false),
			"client_certificate_password": str("Password of the PKCS#12 certificate. Env: `ARM_CLIENT_CERTIFICATE_PASSWORD`.", true),
			"use_cli":                     flag("Authenticate with the Azure CLI's signed-in account. Env: `ARM_USE_CLI`."),
			"use_oidc":                    flag("Authenticate with an OpenID Connect (workload identity federation) token. Env: `ARM_USE_OIDC`."),
			"oidc_token":                  str("The OIDC token, with `use_oidc`. Env: `ARM_OIDC_TOKEN`.", true),
			"oidc_token_file_path":        str("A file holding the OIDC token, re-read on each token request, with `use_oidc`. Env: `ARM_OIDC_TOKEN_FILE_PATH`.", false),
			"use_msi":                     flag("Authenticate with a managed identity (`client_id` picks a user-assigned one). Env: `ARM_USE_MSI`."),
			"graph_endpoint":              str("Microsoft Graph's base URL, without the version. Env: `ENTRA_GRAPH_ENDPOINT`. Default `https://graph.microsoft.com`.", false),
			"authority_host":              str("The Microsoft Entra authority. Env: `ENTRA_AUTHORITY_HOST`. Default the public cloud, `https://login.microsoftonline.com/`. With any other host, instance discovery is disabled.", false),
		},
	}
}

// stringSetting returns the configured value, else the environment variable.
func stringSetting(v types.String, env string) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

func boolSetting(v types.Bool, env string) bool {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueBool()
	}
	b, _ := strconv.ParseBool(os.Getenv(env))
	return b
}

func (p *entraProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	authority := stringSetting(m.AuthorityHost, "ENTRA_AUTHORITY_HOST")
	s := authSettings{
		TenantID:              stringSetting(m.TenantID, "ARM_TENANT_ID"),
		ClientID:              stringSetting(m.ClientID, "ARM_CLIENT_ID"),
		ClientSecret:          stringSetting(m.ClientSecret, "ARM_CLIENT_SECRET"),
		ClientCertificatePath: stringSetting(m.ClientCertificatePath, "ARM_CLIENT_CERTIFICATE_PATH"),
		CertPassword:          stringSetting(m.ClientCertificatePassword, "ARM_CLIENT_CERTIFICATE_PASSWORD"),
		UseCLI:                boolSetting(m.UseCLI, "ARM_USE_CLI"),
		UseOIDC:               boolSetting(m.UseOIDC, "ARM_USE_OIDC"),
		OIDCToken:             stringSetting(m.OIDCToken, "ARM_OIDC_TOKEN"),
		OIDCTokenFilePath:     stringSetting(m.OIDCTokenFilePath, "ARM_OIDC_TOKEN_FILE_PATH"),
		UseMSI:                boolSetting(m.UseMSI, "ARM_USE_MSI"),
		AuthorityHost:         authority,
		customAuthority: authority != "" &&
			strings.TrimRight(authority, "/") != strings.TrimRight(publicAuthorityHost, "/"),
	}
	cred, err := s.credential()
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider credentials", err.Error())
		return
	}
	client, err := graph.New(graph.Config{
		Endpoint:   stringSetting(m.GraphEndpoint, "ENTRA_GRAPH_ENDPOINT"),
		Credential: cred,
	})
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	resp.ResourceData = client
	resp.DataSourceData = client
	resp.EphemeralResourceData = client
}

func (p *entraProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newTemporaryAccessPassPolicyResource,
		newFido2PolicyResource,
		newTemporaryAccessPassResource,
	}
}

func (p *entraProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newTemporaryAccessPassEphemeral,
	}
}

func (p *entraProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newTemporaryAccessPassPolicyDataSource,
		newFido2PolicyDataSource,
		newTemporaryAccessPassDataSource,
		newUserAuthenticationMethodsDataSource,
	}
}
