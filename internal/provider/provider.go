// Package provider implements the entra Terraform provider's schema,
// resources and data sources on top of internal/graph.
package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
	"github.com/entra-tf/terraform-provider-entra/internal/credentials"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
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
	"dod":            {"https://dod-graph.microsoft.us", "https://login.microsoftonline.us/"},
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
	ClientIDFilePath           types.String `tfsdk:"client_id_file_path"`
	ClientSecretFilePath       types.String `tfsdk:"client_secret_file_path"`
	ClientCertificate          types.String `tfsdk:"client_certificate"`
	ClientCertificatePath      types.String `tfsdk:"client_certificate_path"`
	ClientCertificatePassword  types.String `tfsdk:"client_certificate_password"`
	UseCLI                     types.Bool   `tfsdk:"use_cli"`
	UseOIDC                    types.Bool   `tfsdk:"use_oidc"`
	OIDCToken                  types.String `tfsdk:"oidc_token"`
	OIDCTokenFilePath          types.String `tfsdk:"oidc_token_file_path"`
	OIDCRequestURL             types.String `tfsdk:"oidc_request_url"`
	OIDCRequestToken           types.String `tfsdk:"oidc_request_token"`
	ADOServiceConnectionID     types.String `tfsdk:"ado_pipeline_service_connection_id"`
	OIDCServiceConnectionID    types.String `tfsdk:"oidc_azure_service_connection_id"`
	UseAKSWorkloadIdentity     types.Bool   `tfsdk:"use_aks_workload_identity"`
	UseMSI                     types.Bool   `tfsdk:"use_msi"`
	MSIEndpoint                types.String `tfsdk:"msi_endpoint"`
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
			"Credentials are found as the azuread provider finds them (the same arguments, `ARM_*` environment variables and order); each argument can also come from the environment variables named in its description.",
		Attributes: map[string]schema.Attribute{
			"tenant_id":                   str("The tenant's id. Env: `ARM_TENANT_ID`.", false),
			"client_id":                   str("The application (client) id; with `use_msi`, picks a user-assigned identity. Env: `ARM_CLIENT_ID`.", false),
			"client_id_file_path":         str("A file holding the client id. Env: `ARM_CLIENT_ID_FILE_PATH`.", false),
			"client_secret":               str("A client secret of the application. Env: `ARM_CLIENT_SECRET`.", true),
			"client_secret_file_path":     str("A file holding the client secret. Env: `ARM_CLIENT_SECRET_FILE_PATH`.", false),
			"client_certificate":          str("A base64-encoded PKCS#12 bundle of the application's certificate and its private key (PEM is accepted too). Env: `ARM_CLIENT_CERTIFICATE`.", true),
			"client_certificate_path":     str("Path to a PKCS#12 (`.pfx`) bundle, or PEM, with the certificate and its private key. Env: `ARM_CLIENT_CERTIFICATE_PATH`.", false),
			"client_certificate_password": str("Password of the PKCS#12 bundle. Env: `ARM_CLIENT_CERTIFICATE_PASSWORD`.", true),
			"use_oidc":                    flag("Authenticate with an OpenID Connect token (workload identity federation): `oidc_token`, `oidc_token_file_path`, or one requested from `oidc_request_url`. Env: `ARM_USE_OIDC`. Default `false`."),
			"oidc_token":                  str("The OIDC token, with `use_oidc`. Env: `ARM_OIDC_TOKEN`.", true),
			"oidc_token_file_path":        str("A file holding the OIDC token, read again at each token request, with `use_oidc`. Env: `ARM_OIDC_TOKEN_FILE_PATH`.", false),
			"oidc_request_url":            str("The URL of a CI system's ID token endpoint, with `use_oidc`. Env: `ARM_OIDC_REQUEST_URL`, `ACTIONS_ID_TOKEN_REQUEST_URL` (GitHub Actions), `SYSTEM_OIDCREQUESTURI` (Azure Pipelines), the first one set.", false),
			"oidc_request_token":          str("The bearer token for `oidc_request_url`. Env: `ARM_OIDC_REQUEST_TOKEN`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, `SYSTEM_ACCESSTOKEN`, the first one set.", true),
			"ado_pipeline_service_connection_id": str("The Azure Pipelines service connection whose federated token `oidc_request_url` issues, with `use_oidc`. "+
				"Env: `ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID`, `ARM_OIDC_AZURE_SERVICE_CONNECTION_ID`.", false),
			"oidc_azure_service_connection_id": str("The same as `ado_pipeline_service_connection_id`, by the azurerm provider's and backend's name.", false),
			"use_aks_workload_identity":        flag("Authenticate with AKS workload identity: `tenant_id`, `client_id` and the token file come from `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` and `AZURE_FEDERATED_TOKEN_FILE`. Env: `ARM_USE_AKS_WORKLOAD_IDENTITY`. Default `false`."),
			"use_msi":                          flag("Authenticate with a managed identity (`client_id` picks a user-assigned one). Env: `ARM_USE_MSI`. Default `false`."),
			"msi_endpoint":                     str("A managed identity token endpoint answering as the Instance Metadata Service does, in place of the detected one. Env: `ARM_MSI_ENDPOINT`.", false),
			"use_cli":                          flag("Authenticate with the Azure CLI's signed-in account when no other method is configured. Env: `ARM_USE_CLI`. Default `true`."),
			"graph_endpoint":                   str("Microsoft Graph's base URL, without the version. Env: `ENTRA_GRAPH_ENDPOINT`. Default: the `environment`'s, `https://graph.microsoft.com` for the global cloud.", false),
			"authority_host":                   str("The Microsoft Entra authority. Env: `ENTRA_AUTHORITY_HOST`. Default: the `environment`'s, `https://login.microsoftonline.com/` for the global cloud. With any other host, instance discovery is disabled.", false),
			"environment": schema.StringAttribute{Optional: true,
				Validators: []validator.String{stringvalidator.OneOf(slices.Sorted(maps.Keys(environments))...)},
				MarkdownDescription: "The cloud, by the azuread provider's names: `global` (or `public`), `usgovernment` (`usgovernmentl4`), `usgovernmentl5` (`dod`) or `china`. " +
					"It sets the Graph endpoint and the authority host together; `graph_endpoint` and `authority_host` override them. Env: `ARM_ENVIRONMENT`. Default `global`."},
			"graph_request_timeout": schema.StringAttribute{Optional: true, Validators: []validator.String{validators.Duration()},
				MarkdownDescription: "How long one attempt of a Graph request may take before it is abandoned (and retried when safe), as a duration such as `30s`. Env: `ENTRA_GRAPH_REQUEST_TIMEOUT`. Default `60s`."},
			"software_authenticator_dir": str("A directory of software authenticator state files (`*.json`) to use instead of the FIDO2 keys attached through libfido2: for tests, demos and offline pipelines. "+
				"Env: `ENTRA_SOFTWARE_AUTHENTICATOR_DIR`.", false),
			"allow_software_authenticator": flag("Allow software authenticators to register keys with a Graph endpoint other than a local emulator. Off by default: a software key is no hardware key. Env: `ENTRA_ALLOW_SOFTWARE_AUTHENTICATOR`."),
			"security_key_min_pin_retries": schema.Int64Attribute{Optional: true, Validators: []validator.Int64{int64validator.Between(2, 7)},
				MarkdownDescription: fmt.Sprintf("No PIN is tried on a security key that reports this many PIN attempts left, or fewer (2 to 7, so that after a wrong PIN the key keeps at least two attempts for the person who knows it): a key whose PIN is blocked must be reset, which erases every credential on it. "+
					"Besides, a wrong PIN is tried at most once per key in a run: the other `entra_security_key` resources on that key fail at once with the same error. Default `%d`.", authenticator.DefaultMinPINRetries)},
		},
	}
}

// stringSetting returns the configured value, else the first of the
// environment variables that is set.
func stringSetting(v types.String, envs ...string) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	for _, env := range envs {
		if s := os.Getenv(env); s != "" {
			return s
		}
	}
	return ""
}

// boolSetting returns the configured value, else the environment
// variable's, else def.
func boolSetting(v types.Bool, def bool, env string) bool {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueBool()
	}
	if b, err := strconv.ParseBool(os.Getenv(env)); err == nil {
		return b
	}
	return def
}

func (p *entraProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	// An argument known only after apply would read as unset and fall back
	// to the environment: the plan would be made with other credentials or
	// another tenant than the apply.
	var args map[string]tftypes.Value
	_ = req.Config.Raw.As(&args)
	var unknown []string
	for name, v := range args {
		if !v.IsFullyKnown() {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		resp.Diagnostics.AddError("Provider arguments not known at plan",
			fmt.Sprintf("%s of the entra provider depend on values known only after apply. The plan would be made as if they were unset "+
				"(from the environment, perhaps with another tenant or credential than the apply), so it is refused. Give the provider values "+
				"known at plan time: variables, files or the environment.", strings.Join(unknown, ", ")))
		return
	}
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
	serviceConnection := stringSetting(m.ADOServiceConnectionID, "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID")
	if alt := stringSetting(m.OIDCServiceConnectionID); alt != "" {
		if serviceConnection != "" && serviceConnection != alt {
			resp.Diagnostics.AddError("Invalid provider credentials", "ado_pipeline_service_connection_id and oidc_azure_service_connection_id name different service connections: set one")
			return
		}
		serviceConnection = alt
	}
	s := credentials.Settings{
		TenantID:                  stringSetting(m.TenantID, "ARM_TENANT_ID"),
		ClientID:                  stringSetting(m.ClientID, "ARM_CLIENT_ID"),
		ClientIDFilePath:          stringSetting(m.ClientIDFilePath, "ARM_CLIENT_ID_FILE_PATH"),
		ClientSecret:              stringSetting(m.ClientSecret, "ARM_CLIENT_SECRET"),
		ClientSecretFilePath:      stringSetting(m.ClientSecretFilePath, "ARM_CLIENT_SECRET_FILE_PATH"),
		ClientCertificate:         stringSetting(m.ClientCertificate, "ARM_CLIENT_CERTIFICATE"),
		ClientCertificatePath:     stringSetting(m.ClientCertificatePath, "ARM_CLIENT_CERTIFICATE_PATH"),
		ClientCertificatePassword: stringSetting(m.ClientCertificatePassword, "ARM_CLIENT_CERTIFICATE_PASSWORD"),
		UseOIDC:                   boolSetting(m.UseOIDC, false, "ARM_USE_OIDC"),
		UseAKSWorkloadIdentity:    boolSetting(m.UseAKSWorkloadIdentity, false, "ARM_USE_AKS_WORKLOAD_IDENTITY"),
		OIDCToken:                 stringSetting(m.OIDCToken, "ARM_OIDC_TOKEN"),
		OIDCTokenFilePath:         stringSetting(m.OIDCTokenFilePath, "ARM_OIDC_TOKEN_FILE_PATH"),
		OIDCRequestURL:            stringSetting(m.OIDCRequestURL, "ARM_OIDC_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_URL", "SYSTEM_OIDCREQUESTURI"),
		OIDCRequestToken:          stringSetting(m.OIDCRequestToken, "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SYSTEM_ACCESSTOKEN"),
		ADOServiceConnectionID:    serviceConnection,
		UseMSI:                    boolSetting(m.UseMSI, false, "ARM_USE_MSI"),
		MSIEndpoint:               stringSetting(m.MSIEndpoint, "ARM_MSI_ENDPOINT"),
		UseCLI:                    boolSetting(m.UseCLI, true, "ARM_USE_CLI"),
		AuthorityHost:             authority,
		DisableInstanceDiscovery: authority != "" &&
			strings.TrimRight(authority, "/") != strings.TrimRight(publicAuthorityHost, "/"),
	}
	cred, err := s.New()
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider credentials", err.Error())
		return
	}
	tflog.Info(ctx, "authenticating to Microsoft Entra", map[string]any{"method": cred.Method})
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
	// A credential the token service refuses is said once, here, rather than
	// by every resource; a token service out of reach is left to the calls
	// that need one (a configuration may not).
	if err := checkCredential(ctx, cred, endpointOrDefault(endpoint)); err != nil {
		resp.Diagnostics.AddError("Microsoft Entra refused the provider's credential", err.Error())
		return
	}
	var keys authenticator.Backend = authenticator.Libfido2Backend{}
	data := &providerData{graph: client}
	if dir := stringSetting(m.SoftwareAuthenticatorDir, "ENTRA_SOFTWARE_AUTHENTICATOR_DIR"); dir != "" {
		keys = softkey.SoftwareBackend{Dir: dir}
		if !isLocalEndpoint(endpoint) && !boolSetting(m.AllowSoftwareAuthenticator, false, "ENTRA_ALLOW_SOFTWARE_AUTHENTICATOR") {
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
	resp.ListResourceData = data
}

func (p *entraProvider) Resources(context.Context) []func() resource.Resource {
	return append([]func() resource.Resource{
		newMethodsPolicyResource,
		newAuthenticationStrengthResource,
		newExternalMethodResource,
		newTemporaryAccessPassPolicyResource,
		newFido2PolicyResource,
		newSmsPolicyResource,
		newVoicePolicyResource,
		newEmailPolicyResource,
		newSoftwareOathPolicyResource,
		newMicrosoftAuthenticatorPolicyResource,
		newQRCodePinPolicyResource,
		newX509CertificatePolicyResource,
		newHardwareOathPolicyResource,
		newTemporaryAccessPassResource,
		newSecurityKeyResource,
		newFido2MethodResource,
		newPhoneMethodResource,
		newEmailMethodResource,
		newQRCodePinMethodResource,
		newHardwareOathTokenResource,
	}, registeredMethodResources()...)
}

func (p *entraProvider) ListResources(context.Context) []func() list.ListResource {
	return listResources()
}

func (p *entraProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newTemporaryAccessPassEphemeral,
		newSecurityKeyPINEphemeral,
	}
}

func (p *entraProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newMethodsPolicyDataSource,
		newAuthenticationStrengthsDataSource,
		newTemporaryAccessPassPolicyDataSource,
		newFido2PolicyDataSource,
		newSmsPolicyDataSource,
		newVoicePolicyDataSource,
		newEmailPolicyDataSource,
		newSoftwareOathPolicyDataSource,
		newMicrosoftAuthenticatorPolicyDataSource,
		newQRCodePinPolicyDataSource,
		newX509CertificatePolicyDataSource,
		newHardwareOathPolicyDataSource,
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
	// plannedFido2 and plannedTAP are the policies the run plans, once
	// their resources are planned: what other resources of the same
	// configuration check against (an authentication strength's models, a
	// pass's user), rather than the tenant's.
	plannedFido2 planned[graph.Fido2Policy]
	plannedTAP   planned[graph.TemporaryAccessPassPolicy]
	// claims are the one-of-a-kind methods of users the run's resources
	// manage (claimUserMethod).
	claims methodClaims
	// turn orders the enrolments that ask for their keys in turn
	// (attach_in_turn), and remembers the key the last one used.
	turn struct {
		sync.Mutex
		lastPath, lastUser string
	}
}

// planned is a policy the run plans, once its resource is planned.
type planned[T any] struct {
	mu     sync.Mutex
	policy *T
}

func (p *planned[T]) record(v *T) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.policy = v
}

// orTenant is the planned policy, else the tenant's, read through read.
func (p *planned[T]) orTenant(ctx context.Context, read func(context.Context) (*T, error)) (*T, error) {
	p.mu.Lock()
	v := p.policy
	p.mu.Unlock()
	if v != nil {
		return v, nil
	}
	return read(ctx)
}

// fido2PolicyForChecks is the FIDO2 policy this run plans, else the
// tenant's.
func (d *providerData) fido2PolicyForChecks(ctx context.Context) (*graph.Fido2Policy, error) {
	return d.plannedFido2.orTenant(ctx, d.graph.CachedFido2Policy)
}

// tapPolicyForChecks is the Temporary Access Pass policy this run plans,
// else the tenant's.
func (d *providerData) tapPolicyForChecks(ctx context.Context) (*graph.TemporaryAccessPassPolicy, error) {
	return d.plannedTAP.orTenant(ctx, d.graph.CachedTemporaryAccessPassPolicy)
}

// keysReady says whether attached keys can be enrolled, and why not.
func (d *providerData) keysReady() error {
	if d.keysErr != nil {
		return d.keysErr
	}
	return d.keys.Ready()
}

// checkCredential asks for a token once, and returns the token service's
// refusal, if it refuses; the token is kept for the calls that follow.
func checkCredential(ctx context.Context, cred azcore.TokenCredential, endpoint string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{strings.TrimRight(endpoint, "/") + "/.default"}})
	var refused *credentials.RefusedError
	if errors.As(err, &refused) {
		return refused
	}
	return nil
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
