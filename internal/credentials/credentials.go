// Package credentials turns the provider's authentication settings into one
// token credential. The settings, their environment variables and the order
// in which methods are tried are the azuread provider's, so a provider block
// copied from an azuread configuration authenticates the same way; where an
// azuread provider would quietly skip a half-configured method, this one
// stops and names what is missing.
package credentials

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"software.sslmate.com/src/go-pkcs12"
)

// Settings are the resolved authentication settings: each from the provider
// block, else its environment variables.
type Settings struct {
	TenantID, ClientID, ClientIDFilePath string

	ClientSecret, ClientSecretFilePath string

	// ClientCertificate is a base64-encoded PKCS#12 bundle (or PEM).
	ClientCertificate, ClientCertificatePath, ClientCertificatePassword string

	UseOIDC, UseAKSWorkloadIdentity  bool
	OIDCToken, OIDCTokenFilePath     string
	OIDCRequestURL, OIDCRequestToken string
	// ADOServiceConnectionID selects Azure Pipelines' token endpoint for
	// the request URL.
	ADOServiceConnectionID string

	UseMSI      bool
	MSIEndpoint string

	UseCLI bool

	// AuthorityHost is the Entra authority; empty means the public cloud's.
	// DisableInstanceDiscovery must be set for any authority the public
	// cloud does not know (a sovereign cloud's or the emulator).
	AuthorityHost            string
	DisableInstanceDiscovery bool
}

// Credential is a token credential and the method it uses, in the words of
// the provider's arguments.
type Credential struct {
	azcore.TokenCredential
	Method string
}

// GetToken names the method and the arguments to check when the token
// service refuses.
func (c *Credential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := c.TokenCredential.GetToken(ctx, opts)
	if err != nil {
		return tok, explain(c.Method, err)
	}
	return tok, nil
}

// RefusedError is the token service's refusal of a credential: its AADSTS
// code and message, without the identity library's dump of the exchange,
// and the argument to check.
type RefusedError struct {
	Method, Code, Message, Check string
	err                          error
}

func (e *RefusedError) Error() string {
	msg := fmt.Sprintf("Microsoft Entra refused %s: AADSTS%s: %s", e.Method, e.Code, e.Message)
	if e.Check != "" {
		msg += " Check " + e.Check + "."
	}
	return msg
}

func (e *RefusedError) Unwrap() error { return e.err }

var aadsts = regexp.MustCompile(`AADSTS(\d+): ([^\r\n"\\]*)`)

// checks names, by AADSTS code, the argument a refusal is about.
var checks = map[string]string{
	"90002":   "tenant_id (ARM_TENANT_ID): no tenant has that id or domain name",
	"900023":  "tenant_id (ARM_TENANT_ID): it is not a tenant id or domain name",
	"700016":  "client_id (ARM_CLIENT_ID): no application with that id is in the tenant",
	"7000215": "the client secret: it is not one of the application's secrets",
	"7000222": "the client secret: it has expired",
}

// explain turns a refusal into a RefusedError; other failures (no answer,
// say) keep their detail.
func explain(method string, err error) error {
	m := aadsts.FindStringSubmatch(err.Error())
	if m == nil {
		return fmt.Errorf("authenticating with %s: %w", method, err)
	}
	return &RefusedError{Method: method, Code: m[1], Message: strings.TrimSpace(m[2]), Check: checks[m[1]], err: err}
}

// Methods, named by their arguments and environment variables.
const (
	methodCertificate = "a client certificate (client_certificate or client_certificate_path, ARM_CLIENT_CERTIFICATE[_PATH])"
	methodSecret      = "a client secret (client_secret or client_secret_file_path, ARM_CLIENT_SECRET[_FILE_PATH])"
	methodOIDCToken   = "an OIDC token (oidc_token or oidc_token_file_path, ARM_OIDC_TOKEN[_FILE_PATH])"
	methodAKS         = "AKS workload identity (use_aks_workload_identity: AZURE_FEDERATED_TOKEN_FILE)"
	methodPipelines   = "an Azure Pipelines service connection (ado_pipeline_service_connection_id, oidc_request_url, oidc_request_token)"
	methodGitHub      = "an OIDC token requested from oidc_request_url with oidc_request_token (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN)"
	methodMSI         = "a managed identity (use_msi)"
	methodCLI         = "the Azure CLI (use_cli)"
)

// New picks the credential as the azuread provider does: a client
// certificate, then a client secret, an OIDC token (given, or from a file),
// Azure Pipelines' and then GitHub's token request endpoint (with use_oidc),
// a managed identity (with use_msi), and the Azure CLI (use_cli, on unless
// turned off). The first method whose settings are present is used.
func (s Settings) New() (*Credential, error) {
	if err := s.reconcile(); err != nil {
		return nil, err
	}
	client := azcore.ClientOptions{Cloud: cloud.AzurePublic}
	if s.AuthorityHost != "" {
		client.Cloud.ActiveDirectoryAuthorityHost = s.AuthorityHost
	}
	noDiscovery := s.DisableInstanceDiscovery
	app := func(method string) error {
		if s.TenantID == "" || s.ClientID == "" {
			return fmt.Errorf("%s needs tenant_id (ARM_TENANT_ID) and client_id (ARM_CLIENT_ID)", method)
		}
		return nil
	}
	assertion := func(method string, get func(context.Context) (string, error)) (*Credential, error) {
		if err := app(method); err != nil {
			return nil, err
		}
		c, err := azidentity.NewClientAssertionCredential(s.TenantID, s.ClientID, get,
			&azidentity.ClientAssertionCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
		return &Credential{c, method}, err
	}
	oidc := s.UseOIDC || s.UseAKSWorkloadIdentity

	switch {
	case s.ClientCertificate != "" || s.ClientCertificatePath != "":
		if err := app(methodCertificate); err != nil {
			return nil, err
		}
		certs, key, err := s.certificate()
		if err != nil {
			return nil, err
		}
		c, err := azidentity.NewClientCertificateCredential(s.TenantID, s.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
		return &Credential{c, methodCertificate}, err
	case s.ClientSecret != "":
		if err := app(methodSecret); err != nil {
			return nil, err
		}
		c, err := azidentity.NewClientSecretCredential(s.TenantID, s.ClientID, s.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
		return &Credential{c, methodSecret}, err
	case oidc && (s.OIDCToken != "" || s.OIDCTokenFilePath != ""):
		method := methodOIDCToken
		if s.UseAKSWorkloadIdentity && s.OIDCTokenFilePath == os.Getenv("AZURE_FEDERATED_TOKEN_FILE") {
			method = methodAKS
		}
		token, path := s.OIDCToken, s.OIDCTokenFilePath
		return assertion(method, func(context.Context) (string, error) {
			if path == "" {
				return token, nil
			}
			// Read at each token request: Kubernetes and CI systems rotate
			// the file's token.
			b, err := os.ReadFile(path)
			if err != nil {
				return "", fmt.Errorf("reading oidc_token_file_path: %w", err)
			}
			return strings.TrimSpace(string(b)), nil
		})
	case oidc && s.OIDCRequestURL != "" && s.OIDCRequestToken != "" && s.ADOServiceConnectionID != "":
		return assertion(methodPipelines, s.pipelinesToken)
	case oidc && s.OIDCRequestURL != "" && s.OIDCRequestToken != "":
		return assertion(methodGitHub, s.githubToken)
	case oidc:
		return nil, s.missingOIDC()
	case s.UseMSI:
		return s.managedIdentity(client)
	case s.UseCLI:
		c, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: s.TenantID})
		return &Credential{c, methodCLI}, err
	}
	return nil, errors.New("no credentials are configured, and use_cli (ARM_USE_CLI) is false: set client_secret, client_certificate(_path), " +
		"use_oidc with a token or token request, use_msi, or use_cli (or their ARM_* environment variables)")
}

// missingOIDC says what use_oidc lacks.
func (s Settings) missingOIDC() error {
	switch {
	case s.OIDCRequestURL != "" && s.OIDCRequestToken == "":
		return errors.New("use_oidc: oidc_request_url is set but oidc_request_token is not (ARM_OIDC_REQUEST_TOKEN, or ACTIONS_ID_TOKEN_REQUEST_TOKEN in GitHub Actions, SYSTEM_ACCESSTOKEN in Azure Pipelines)")
	case s.OIDCRequestToken != "" && s.OIDCRequestURL == "":
		return errors.New("use_oidc: oidc_request_token is set but oidc_request_url is not (ARM_OIDC_REQUEST_URL, or ACTIONS_ID_TOKEN_REQUEST_URL in GitHub Actions, SYSTEM_OIDCREQUESTURI in Azure Pipelines)")
	case s.UseAKSWorkloadIdentity:
		return errors.New("use_aks_workload_identity: AZURE_FEDERATED_TOKEN_FILE is not set; is the pod labelled azure.workload.identity/use: \"true\"?")
	}
	return errors.New("use_oidc is set, but there is no token to use: set oidc_token or oidc_token_file_path, or oidc_request_url and oidc_request_token " +
		"(GitHub Actions sets ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN for a job with `permissions: id-token: write`)")
}

// reconcile fills settings that come from files or from AKS's environment,
// and refuses settings that disagree: no precedence decides between two
// values of one setting.
func (s *Settings) reconcile() error {
	var err error
	if s.ClientID, err = fromFile(s.ClientID, s.ClientIDFilePath, "client_id", "client_id_file_path"); err != nil {
		return err
	}
	if s.ClientSecret, err = fromFile(s.ClientSecret, s.ClientSecretFilePath, "client_secret", "client_secret_file_path"); err != nil {
		return err
	}
	if s.ClientCertificate != "" && s.ClientCertificatePath != "" {
		return errors.New("both client_certificate and client_certificate_path are set (or ARM_CLIENT_CERTIFICATE and ARM_CLIENT_CERTIFICATE_PATH): set one")
	}
	if s.OIDCToken != "" && s.OIDCTokenFilePath != "" {
		if _, err := fromFile(s.OIDCToken, s.OIDCTokenFilePath, "oidc_token", "oidc_token_file_path"); err != nil {
			return err
		}
	}
	if s.UseAKSWorkloadIdentity {
		for _, v := range []struct {
			setting *string
			env     string
			name    string
		}{
			{&s.TenantID, "AZURE_TENANT_ID", "tenant_id"},
			{&s.ClientID, "AZURE_CLIENT_ID", "client_id"},
			{&s.OIDCTokenFilePath, "AZURE_FEDERATED_TOKEN_FILE", "oidc_token_file_path"},
		} {
			env := os.Getenv(v.env)
			switch {
			case env == "":
			case *v.setting == "":
				*v.setting = env
			case *v.setting != env:
				return fmt.Errorf("%s disagrees with %s, which AKS workload identity sets: remove %s, make them match, or turn off use_aks_workload_identity", v.name, v.env, v.name)
			}
		}
	}
	return nil
}

// fromFile returns a setting given directly or read from a file; both must
// agree when both are given.
func fromFile(value, path, name, pathName string) (string, error) {
	if path == "" {
		return value, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", pathName, err)
	}
	file := strings.TrimSpace(string(b))
	if value != "" && value != file {
		return "", fmt.Errorf("%s and the contents of %s differ: remove one, or make them match", name, pathName)
	}
	return file, nil
}

// certificate reads the client certificate and its private key: a PKCS#12
// bundle (as azuread takes it, including OpenSSL 3's AES-encrypted ones) or
// PEM. Entra signs client assertions with RSA keys only.
func (s Settings) certificate() ([]*x509.Certificate, crypto.PrivateKey, error) {
	name := "client_certificate_path"
	var data []byte
	if s.ClientCertificate != "" {
		name = "client_certificate"
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s.ClientCertificate), ""))
		if err != nil {
			return nil, nil, errors.New("client_certificate is not base64: it holds the base64 of a PKCS#12 (.pfx) bundle, as `base64 -w0 cert.pfx` prints")
		}
		data = b
	} else {
		b, err := os.ReadFile(s.ClientCertificatePath)
		if err != nil {
			return nil, nil, fmt.Errorf("reading client_certificate_path: %w", err)
		}
		data = b
	}
	var certs []*x509.Certificate
	var key crypto.PrivateKey
	if bytes.Contains(data, []byte("-----BEGIN")) {
		var err error
		certs, key, err = azidentity.ParseCertificates(data, nil)
		switch {
		case err != nil && strings.Contains(err.Error(), "no private key"):
			return nil, nil, fmt.Errorf("%s holds a certificate but no private key: export the certificate with its key (a PKCS#12 .pfx, or PEM with the key)", name)
		case err != nil:
			return nil, nil, fmt.Errorf("%s is PEM without a usable certificate and key: %v", name, err)
		}
	} else {
		k, cert, chain, err := pkcs12.DecodeChain(data, s.ClientCertificatePassword)
		switch {
		case errors.Is(err, pkcs12.ErrIncorrectPassword):
			return nil, nil, fmt.Errorf("client_certificate_password (ARM_CLIENT_CERTIFICATE_PASSWORD) does not open %s", name)
		case err != nil && strings.Contains(err.Error(), "private key"):
			return nil, nil, fmt.Errorf("%s holds a certificate but no private key: export the certificate with its key", name)
		case err != nil:
			return nil, nil, fmt.Errorf("%s is not a PKCS#12 bundle with a certificate and its key: %v", name, err)
		}
		certs, key = append([]*x509.Certificate{cert}, chain...), k
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return nil, nil, fmt.Errorf("%s holds a %T key; Microsoft Entra accepts RSA certificates only", name, key)
	}
	return certs, key, nil
}
