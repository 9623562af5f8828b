package provider

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

// authEnv are the environment variables the provider's credentials come
// from; each test starts with none of them set.
var authEnv = []string{
	"ARM_TENANT_ID", "ARM_CLIENT_ID", "ARM_CLIENT_ID_FILE_PATH", "ARM_CLIENT_SECRET", "ARM_CLIENT_SECRET_FILE_PATH",
	"ARM_CLIENT_CERTIFICATE", "ARM_CLIENT_CERTIFICATE_PATH", "ARM_CLIENT_CERTIFICATE_PASSWORD",
	"ARM_USE_OIDC", "ARM_OIDC_TOKEN", "ARM_OIDC_TOKEN_FILE_PATH", "ARM_OIDC_REQUEST_URL", "ARM_OIDC_REQUEST_TOKEN",
	"ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "SYSTEM_OIDCREQUESTURI", "SYSTEM_ACCESSTOKEN",
	"ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID", "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID",
	"ARM_USE_AKS_WORKLOAD_IDENTITY", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE",
	"ARM_USE_MSI", "ARM_MSI_ENDPOINT", "ARM_USE_CLI", "AZURE_CONFIG_DIR",
}

// azureadBlock is a provider block as the azuread provider's documentation
// writes one for a pipeline, with only the provider's name changed: the
// rest comes from the environment.
const azureadBlock = `
provider "entra" {
  tenant_id = %q
  client_id = %q
  use_oidc  = true
}
`

// authCase is one way of authenticating: the provider block, the
// environment a CI system or Azure would set, and the grant the emulator
// must have issued the tokens for.
type authCase struct {
	name   string
	block  func(t *testing.T, e *emulator.Emulator) string
	env    func(t *testing.T, e *emulator.Emulator) map[string]string
	grant  string
	refuse string
}

// authCases are every authentication flow and the misconfigurations of
// them that must be refused.
func authCases() []authCase {
	withIDs := func(body string) func(t *testing.T, e *emulator.Emulator) string {
		return func(t *testing.T, e *emulator.Emulator) string {
			return "provider \"entra\" {\n  tenant_id = \"" + e.TenantID() + "\"\n  client_id = \"" + e.ClientID() + "\"\n" + body + "}\n"
		}
	}
	azuread := func(t *testing.T, e *emulator.Emulator) string {
		return fmt.Sprintf(azureadBlock, e.TenantID(), e.ClientID())
	}
	none := func(*testing.T, *emulator.Emulator) string { return "" }
	cases := []authCase{
		{name: "client secret from the environment", block: none, grant: emulator.GrantClientSecret,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				return map[string]string{"ARM_TENANT_ID": e.TenantID(), "ARM_CLIENT_ID": e.ClientID(), "ARM_CLIENT_SECRET": e.ClientSecret()}
			}},
		{name: "client secret file", grant: emulator.GrantClientSecret, block: func(t *testing.T, e *emulator.Emulator) string {
			return withIDs("  client_secret_file_path = \""+writeFile(t, "secret", e.ClientSecret()+"\n")+"\"\n")(t, e)
		}},
		{name: "base64 PKCS#12 certificate with a password", grant: emulator.GrantCertificate, block: func(t *testing.T, e *emulator.Emulator) string {
			pfx := base64.StdEncoding.EncodeToString(clientCertificate(t, e).pfx)
			return withIDs("  client_certificate = \""+pfx+"\"\n  client_certificate_password = \""+certPassword+"\"\n")(t, e)
		}},
		{name: "PEM certificate file", grant: emulator.GrantCertificate, block: func(t *testing.T, e *emulator.Emulator) string {
			return withIDs("  client_certificate_path = \""+writeFile(t, "cert.pem", clientCertificate(t, e).pem)+"\"\n")(t, e)
		}},
		{name: "OIDC token", grant: emulator.GrantFederated, block: azuread,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				return map[string]string{"ARM_OIDC_TOKEN": e.WorkloadIdentityToken(time.Hour)}
			}},
		{name: "OIDC token file", grant: emulator.GrantFederated, block: azuread,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				return map[string]string{"ARM_OIDC_TOKEN_FILE_PATH": writeFile(t, "token", e.WorkloadIdentityToken(time.Hour))}
			}},
		{name: "GitHub Actions", grant: emulator.GrantFederated, block: azuread,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				u, tok := e.GitHubActions()
				return map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": u, "ACTIONS_ID_TOKEN_REQUEST_TOKEN": tok}
			}},
		{name: "Azure Pipelines service connection", grant: emulator.GrantFederated, block: azuread,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				u, tok, sc := e.AzurePipelines()
				return map[string]string{"SYSTEM_OIDCREQUESTURI": u, "SYSTEM_ACCESSTOKEN": tok, "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID": sc}
			}},
		{name: "AKS workload identity", grant: emulator.GrantFederated,
			block: func(*testing.T, *emulator.Emulator) string {
				return "provider \"entra\" {\n  use_aks_workload_identity = true\n}\n"
			},
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				return map[string]string{"AZURE_TENANT_ID": e.TenantID(), "AZURE_CLIENT_ID": e.ClientID(),
					"AZURE_FEDERATED_TOKEN_FILE": writeFile(t, "aks-token", e.WorkloadIdentityToken(time.Hour))}
			}},
		{name: "managed identity endpoint", grant: emulator.GrantManagedIdentity,
			block: func(t *testing.T, e *emulator.Emulator) string {
				return "provider \"entra\" {\n  use_msi = true\n  client_id = \"" + emulator.ManagedIdentityID + "\"\n  msi_endpoint = \"" + e.ManagedIdentityEndpoint() + "\"\n}\n"
			}},
		{name: "Azure CLI when nothing is configured", grant: emulator.GrantAzureCLI, block: none,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				dir := t.TempDir()
				if err := e.AzureCLILogin(dir); err != nil {
					t.Fatal(err)
				}
				return map[string]string{"AZURE_CONFIG_DIR": dir, "PATH": azureCLI(t) + string(os.PathListSeparator) + os.Getenv("PATH")}
			}},
		{name: "precedence: a client secret before OIDC, as azuread", grant: emulator.GrantClientSecret, block: azuread,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				u, tok := e.GitHubActions()
				return map[string]string{"ARM_CLIENT_SECRET": e.ClientSecret(), "ACTIONS_ID_TOKEN_REQUEST_URL": u, "ACTIONS_ID_TOKEN_REQUEST_TOKEN": tok}
			}},

		// Misconfigurations: each error names the argument to fix.
		{name: "expired OIDC token", block: azuread,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				return map[string]string{"ARM_OIDC_TOKEN_FILE_PATH": writeFile(t, "token", e.WorkloadIdentityToken(-time.Hour))}
			},
			refuse: "Microsoft Entra refused an OIDC token (oidc_token or oidc_token_file_path, ARM_OIDC_TOKEN[_FILE_PATH]): AADSTS700024: Client assertion is not within its valid time range"},
		{name: "token for the wrong audience", block: azuread,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				u, tok := e.GitHubActions()
				return map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": u + "&audience=api://wrong", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": tok}
			},
			refuse: "oidc_request_url with oidc_request_token .* AADSTS700212: No matching federated identity record found for presented assertion audience"},
		{name: "stale GitHub request token", block: azuread,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				u, _ := e.GitHubActions()
				return map[string]string{"ACTIONS_ID_TOKEN_REQUEST_URL": u, "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "expired-runner-token"}
			},
			refuse: "requesting an ID token from 127.0.0.1:[0-9]+ \\(oidc_request_url\\): 401 Unauthorized Bad credentials; check oidc_request_token"},
		{name: "certificate without its private key", block: func(t *testing.T, e *emulator.Emulator) string {
			c := clientCertificate(t, e)
			return withIDs("  client_certificate_path = \""+writeFile(t, "cert.pem", c.pem[:strings.Index(c.pem, "-----BEGIN PRIVATE KEY")])+"\"\n")(t, e)
		}, refuse: "client_certificate_path holds a certificate but no private key"},
		{name: "wrong certificate password", block: func(t *testing.T, e *emulator.Emulator) string {
			pfx := base64.StdEncoding.EncodeToString(clientCertificate(t, e).pfx)
			return withIDs("  client_certificate = \""+pfx+"\"\n  client_certificate_password = \"wrong\"\n")(t, e)
		}, refuse: "client_certificate_password (ARM_CLIENT_CERTIFICATE_PASSWORD) does not open client_certificate"},
		{name: "an OIDC token and a token file that differ", block: azuread,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				return map[string]string{"ARM_OIDC_TOKEN": e.WorkloadIdentityToken(time.Hour), "ARM_OIDC_TOKEN_FILE_PATH": writeFile(t, "token", e.WorkloadIdentityToken(2*time.Hour))}
			},
			refuse: "oidc_token and the contents of oidc_token_file_path differ: remove one, or make them match"},
		{name: "AKS tenant differs from tenant_id", block: func(*testing.T, *emulator.Emulator) string {
			return "provider \"entra\" {\n  tenant_id = \"" + emulator.DefaultClientID + "\"\n  use_aks_workload_identity = true\n}\n"
		}, env: func(t *testing.T, e *emulator.Emulator) map[string]string {
			return map[string]string{"AZURE_TENANT_ID": e.TenantID(), "AZURE_CLIENT_ID": e.ClientID(), "AZURE_FEDERATED_TOKEN_FILE": writeFile(t, "aks", e.WorkloadIdentityToken(time.Hour))}
		}, refuse: "tenant_id disagrees with AZURE_TENANT_ID, which AKS workload identity sets"},
		{name: "Azure CLI not signed in", block: none,
			env: func(t *testing.T, e *emulator.Emulator) map[string]string {
				return map[string]string{"AZURE_CONFIG_DIR": t.TempDir(), "PATH": azureCLI(t) + string(os.PathListSeparator) + os.Getenv("PATH")}
			},
			refuse: "authenticating with the Azure CLI (use_cli): .*Please run 'az login' to setup account"},
	}
	return cases
}

// Every authentication flow, through the real CLI: a data source read in a
// plan and an apply, with tokens from the flow's grant only.
func TestAccProvider_authentication(t *testing.T) {
	for _, c := range authCases() {
		t.Run(c.name, func(t *testing.T) { runAuthCase(t, c) })
	}
}

// No credential, token or password of any flow reaches a TF_LOG=trace log
// of terraform and the provider, whether the flow succeeds or is refused.
func TestAccProvider_authenticationKeepsSecretsOutOfLogs(t *testing.T) {
	for _, c := range authCases() {
		switch c.name {
		case "base64 PKCS#12 certificate with a password", "GitHub Actions", "client secret file", "token for the wrong audience", "wrong certificate password":
		default:
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			logFile := filepath.Join(t.TempDir(), "trace.log")
			t.Setenv("TF_LOG", "trace")
			t.Setenv("TF_ACC_LOG_PATH", logFile)
			e := runAuthCase(t, c)
			b, err := os.ReadFile(logFile)
			if err != nil {
				t.Fatal(err)
			}
			log := withoutHarness(string(b))
			if !strings.Contains(log, "ConfigureProvider") || (c.refuse == "" && !strings.Contains(log, "authenticating to Microsoft Entra")) {
				t.Fatal("the trace log lacks the provider's configuration: TF_LOG=trace did not capture the run")
			}
			secrets := map[string]string{"client secret": e.ClientSecret(), "certificate password": certPassword,
				"GitHub request token": os.Getenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN")}
			for what, v := range secrets {
				if v != "" && strings.Contains(log, v) {
					t.Errorf("the %s appears in the TF_LOG=trace output", what)
				}
			}
			for what, re := range map[string]*regexp.Regexp{
				"a JSON web token (an ID token or a client assertion)": regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.`),
				"an access token":  regexp.MustCompile(`emu\.[0-9a-f-]{36}`),
				"a PKCS#12 bundle": regexp.MustCompile(`MII[A-Za-z0-9+/]{40}`),
			} {
				if re.MatchString(log) {
					t.Errorf("%s appears in the TF_LOG=trace output", what)
				}
			}
		})
	}
}

// runAuthCase runs one case in its own emulator and checks which grant issued
// the tokens (none, when the case expects a refusal).
func runAuthCase(t *testing.T, c authCase) *emulator.Emulator {
	e := startEmulator(t, emulator.Options{})
	for _, name := range authEnv {
		t.Setenv(name, "")
	}
	t.Setenv("ENTRA_GRAPH_ENDPOINT", e.URL())
	t.Setenv("ENTRA_AUTHORITY_HOST", e.URL())
	if c.env != nil {
		for k, v := range c.env(t, e) {
			t.Setenv(k, v)
		}
	}
	step := resource.TestStep{
		Config: c.block(t, e) + `data "entra_temporary_access_pass_policy" "current" {}`,
		Check:  resource.TestCheckResourceAttr("data.entra_temporary_access_pass_policy.current", "id", "TemporaryAccessPass"),
	}
	if c.refuse != "" {
		step.Check, step.ExpectError = nil, errorPattern(c.refuse)
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviders, Steps: []resource.TestStep{step}})
	grants := e.Grants()
	if c.refuse != "" {
		if len(grants) != 0 {
			t.Errorf("the emulator issued tokens %v to a misconfigured provider", grants)
		}
		return e
	}
	if grants[c.grant] == 0 || len(grants) != 1 {
		t.Errorf("tokens issued by grant: %v, want %s only", grants, c.grant)
	}
	return e
}

// withoutHarness drops the test harness's own records from a trace log: it
// logs each step's configuration, which a user's run does not.
func withoutHarness(log string) string {
	var kept []string
	records := regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT`).Split(log, -1)
	for _, r := range records {
		if !strings.Contains(r, "sdk.helper_resource") {
			kept = append(kept, r)
		}
	}
	return strings.Join(kept, "\n")
}

const certPassword = "pfx-password"

// appCertificate is a certificate registered on the emulator's
// application, as PKCS#12 (AES, as OpenSSL 3 writes it) and as PEM.
type appCertificate struct {
	pfx []byte
	pem string
}

func clientCertificate(t *testing.T, e *emulator.Emulator) appCertificate {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "terraform-provider-entra"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.RegisterCertificate(der); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pfx, err := pkcs12.Modern.Encode(key, cert, nil, certPassword)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, _ := x509.MarshalPKCS8PrivateKey(key)
	return appCertificate{pfx: pfx, pem: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})) +
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))}
}

var (
	azOnce sync.Once
	azDir  string
	azErr  error
)

// azureCLI builds the emulator's Azure CLI stand-in and returns the
// directory holding it, to put on PATH.
func azureCLI(t *testing.T) string {
	t.Helper()
	azOnce.Do(func() {
		azDir, azErr = os.MkdirTemp("", "entra-az")
		if azErr == nil {
			out, err := exec.Command("go", "build", "-o", filepath.Join(azDir, "az"), "github.com/entra-tf/terraform-provider-entra/internal/emulator/cmd/az").CombinedOutput()
			if err != nil {
				azErr = fmt.Errorf("building the az stand-in: %v\n%s", err, out)
			}
		}
	})
	if azErr != nil {
		t.Fatal(azErr)
	}
	return azDir
}

// ARM_ENVIRONMENT is checked as the environment argument is.
func TestAccProviderEnvironmentFromEnv(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	t.Setenv("ARM_ENVIRONMENT", "mars")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      providerBlock(e) + `data "entra_fido2_policy" "current" {}`,
			ExpectError: errorLike(`environment "mars" (ARM_ENVIRONMENT) is not one of china, dod, global, public, usgovernment, usgovernmentl4, usgovernmentl5`),
		}},
	})
}

// A credential the token service refuses is one error, said by the
// provider, naming the argument to check: not the identity library's dump
// once per resource.
func TestAccProvider_refusedCredentialIsOneError(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	for _, c := range []struct{ name, setting, want string }{
		{"unknown tenant", "tenant_id", "Check tenant_id (ARM_TENANT_ID): no tenant has that id or domain name."},
		{"wrong secret", "client_secret", "AADSTS7000215: Invalid client secret provided. Check the client secret"},
	} {
		t.Run(c.name, func(t *testing.T) {
			config := providerBlock(e, set(c.setting, "00000000-0000-4000-8000-00000000dead")) + tapPolicyConfig(10) +
				"data \"entra_fido2_policy\" \"current\" {}\ndata \"entra_sms_policy\" \"current\" {}\n"
			cli := newTerraformCLI(t, map[string]string{"main.tf": config})
			out, err := cli.run("plan", "-no-color", "-input=false")
			flat := strings.Join(strings.Fields(out), " ")
			if err == nil || strings.Count(flat, "Error:") != 1 || !strings.Contains(flat, "Microsoft Entra refused the provider's credential") ||
				!strings.Contains(flat, c.want) || strings.Contains(flat, "RESPONSE") {
				t.Errorf("want one error saying %q:\n%s", c.want, out)
			}
		})
	}
}
