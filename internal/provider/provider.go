// Package provider implements the entra Terraform provider's schema,
// resources and data sources on top of internal/graph.
package provider

import (
	"context"
	"fmt"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"maps"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/validators"
)

// publicAuthorityHost is the public cloud's Microsoft Entra authority.
const publicAuthorityHost = "https://login.microsoftonline.com/"

// cloudEnvironment is where one of Microsoft's clouds serves Graph and
// issues tokens.
type cloudEnvironment struct{ graph, authority string }

// environments are the clouds by the azuread provider's names for them
// (and "public" for the global one).
var environments = map[string]cloudEnvironment{
	"global":         {graph.DefaultEndpoint, publicAuthorityHost},
	"public":         {graph.DefaultEndpoint, publicAuthorityHost},
	"usgovernment":   {"https://graph.microsoft.us", "https://login.microsoftonline.us/"},
	"usgovernmentl4": {"https://graph.microsoft.us", "https://login.microsoftonline.us/"},
	"usgovernmentl5": {"https://dod-graph.microsoft.us", "https://login.microsoftonline.us/"},
	"china":          {"https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn/"},
}

// New returns a provider factory for the given release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &entraProvider{version: version} }
}

type entraProvider struct {
	version string
}

type providerModel struct {
	TenantID                   types.String `tfsdk:"tenant_id"`
	ClientID                   types.String `tfsdk:"client_id"`
	ClientSecret               types.String `tfsdk:"client_secret"`
	ClientCertificatePath      types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword  types.String `tfsdk:"client_certificate_password"`
	UseCLI                     types.Bool   `tfsdk:"use_cli"`
	UseOIDC                    types.Bool   `tfsdk:"use_oidc"`
	OIDCToken                  types.String `tfsdk:"oidc_token"`
	OIDCTokenFilePath          types.String `tfsdk:"oidc_token_file_path"`
	UseMSI                     types.Bool   `tfsdk:"use_msi"`
	GraphEndpoint              types.String `tfsdk:"graph_endpoint"`
	AuthorityHost              types.String `tfsdk:"authority_host"`
	Environment                types.String `tfsdk:"environment"`
	SoftwareAuthenticatorDir   types.String `tfsdk:"software_authenticator_dir"`
	GraphRequestTimeout        types.String `tfsdk:"graph_request_timeout"`
	AllowSoftwareAuthenticator types.Bool   `tfsdk:"allow_software_authenticator"`
	SecurityKeyMinPINRetries   types.Int64  `tfsdk:"security_key_min_pin_retries"`
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
			"graph_endpoint":              str("Microsoft Graph's base URL, without the version. Env: `ENTRA_GRAPH_ENDPOINT`. Default: the `environment`'s, `https://graph.microsoft.com` for the global cloud.", false),
			"authority_host":              str("The Microsoft Entra authority. Env: `ENTRA_AUTHORITY_HOST`. Default: the `environment`'s, `https://login.microsoftonline.com/` for the global cloud. With any other host, instance discovery is disabled.", false),
			"environment": schema.StringAttribute{Optional: true,
				Validators: []validator.String{stringvalidator.OneOf(slices.Sorted(maps.Keys(environments))...)},
				MarkdownDescription: "The cloud, by the azuread provider's names: `global` (or `public`), `usgovernment` (`usgovernmentl4`), `usgovernmentl5` or `china`. " +
					"It sets the Graph endpoint and the authority host together; `graph_endpoint` and `authority_host` override them. Env: `ARM_ENVIRONMENT`. Default `global`."},
			"graph_request_timeout": schema.StringAttribute{Optional: true, Validators: []validator.String{validators.Duration()},
				MarkdownDescription: "How long one attempt of a Graph request may take before it is abandoned (and retried when safe), as a duration such as `30s`. Env: `ENTRA_GRAPH_REQUEST_TIMEOUT`. Default `60s`."},
			"software_authenticator_dir": str("A directory of software authenticator state files (`*.json`) to use instead of the FIDO2 keys attached through libfido2: for tests, demos and offline pipelines. "+
				"Env: `ENTRA_SOFTWARE_AUTHENTICATOR_DIR`.", false),
			"allow_software_authenticator": flag("Allow software authenticators to register keys with a Graph endpoint other than a local emulator. Off by default: a software key is no hardware key. Env: `ENTRA_ALLOW_SOFTWARE_AUTHENTICATOR`."),
			"security_key_min_pin_retries": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(0, 7)},
				MarkdownDescription: fmt.Sprintf("No PIN is tried on a security key that reports this many PIN attempts left, or fewer: a key whose PIN is blocked must be reset, which erases every credential on it. "+
					"Besides, a wrong PIN is tried at most once per key in a run: the other `entra_security_key` resources on that key fail at once with the same error. Default `%d`.", authenticator.DefaultMinPINRetries)},
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
	envName := strings.ToLower(stringSetting(m.Environment, "ARM_ENVIRONMENT"))
	if envName == "" {
		envName = "global"
	}
	cloud, ok := environments[envName]
	if !ok {
		resp.Diagnostics.AddError("Invalid provider configuration", fmt.Sprintf("environment %q (ARM_ENVIRONMENT) is not one of %s", envName,
			strings.Join(slices.Sorted(maps.Keys(environments)), ", ")))
		return
	}
	authority := stringSetting(m.AuthorityHost, "ENTRA_AUTHORITY_HOST")
	if authority == "" && envName != "global" && envName != "public" {
		authority = cloud.authority
	}
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
	endpoint := stringSetting(m.GraphEndpoint, "ENTRA_GRAPH_ENDPOINT")
	if endpoint == "" {
		endpoint = cloud.graph
	}
	retry := graph.DefaultRetryPolicy
	if t := stringSetting(m.GraphRequestTimeout, "ENTRA_GRAPH_REQUEST_TIMEOUT"); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 {
			resp.Diagnostics.AddError("Invalid provider configuration", fmt.Sprintf("graph_request_timeout %q is not a positive duration such as 30s", t))
			return
		}
		retry.AttemptTimeout = d
	}
	client, err := graph.New(graph.Config{Endpoint: endpoint, Credential: cred, Retry: retry})
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	var keys authenticator.Backend = authenticator.Libfido2Backend{}
	data := &providerData{graph: client}
	if dir := stringSetting(m.SoftwareAuthenticatorDir, "ENTRA_SOFTWARE_AUTHENTICATOR_DIR"); dir != "" {
		keys = authenticator.SoftwareBackend{Dir: dir}
		if !isLocalEndpoint(endpoint) && !boolSetting(m.AllowSoftwareAuthenticator, "ENTRA_ALLOW_SOFTWARE_AUTHENTICATOR") {
			data.keysErr = fmt.Errorf("software authenticators (software_authenticator_dir) register keys only with a local Graph emulator, and %s is not one; "+
				"set allow_software_authenticator = true to register software keys with it anyway", endpointOrDefault(endpoint))
		}
	}
	minRetries := int64(authenticator.DefaultMinPINRetries)
	if !m.SecurityKeyMinPINRetries.IsNull() {
		minRetries = m.SecurityKeyMinPINRetries.ValueInt64()
	}
	data.keys = authenticator.NewGuard(keys, int(minRetries))
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
}

func (p *entraProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newTemporaryAccessPassPolicyResource,
		newFido2PolicyResource,
		newTemporaryAccessPassResource,
		newSecurityKeyResource,
		newFido2MethodResource,
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
		newFido2MethodsDataSource,
		newAttachedAuthenticatorsDataSource,
	}
}

// providerData is what resources and data sources get from Configure.
type providerData struct {
	graph *graph.Client
	// keys finds the authenticators attached to this machine and shares
	// them among the resources of the run; keysErr says why they may not be
	// used, when they may not.
	keys    *authenticator.Guard
	keysErr error
}

// keysReady says whether attached keys can be enrolled, and why not.
func (d *providerData) keysReady() error {
	if d.keysErr != nil {
		return d.keysErr
	}
	return d.keys.Ready()
}

// isLocalEndpoint reports whether a Graph endpoint is on this machine (the
// emulator): a loopback address or localhost.
func isLocalEndpoint(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil || endpoint == "" {
		return false
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	return host == "localhost"
}

func endpointOrDefault(endpoint string) string {
	if endpoint == "" {
		return graph.DefaultEndpoint
	}
	return endpoint
}
