package provider

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// authSettings are the provider's resolved credential settings, each from the
// configuration or else its ARM_* environment variable (azuread's names).
type authSettings struct {
	TenantID, ClientID                  string
	ClientSecret                        string
	ClientCertificatePath, CertPassword string
	UseCLI, UseOIDC, UseMSI             bool
	OIDCToken, OIDCTokenFilePath        string
	AuthorityHost                       string
	customAuthority                     bool
}

// credential picks exactly one azidentity credential. Several configured
// methods, or none, is an error that names them, so a user never wonders
// which one was used.
func (s authSettings) credential() (azcore.TokenCredential, error) {
	var methods []string
	if s.ClientSecret != "" {
		methods = append(methods, "client_secret (ARM_CLIENT_SECRET)")
	}
	if s.ClientCertificatePath != "" {
		methods = append(methods, "client_certificate_path (ARM_CLIENT_CERTIFICATE_PATH)")
	}
	if s.UseOIDC {
		methods = append(methods, "use_oidc (ARM_USE_OIDC)")
	}
	if s.UseMSI {
		methods = append(methods, "use_msi (ARM_USE_MSI)")
	}
	if s.UseCLI {
		methods = append(methods, "use_cli (ARM_USE_CLI)")
	}
	switch len(methods) {
	case 0:
		return nil, fmt.Errorf("no credentials are configured: set one of client_secret, client_certificate_path, " +
			"use_oidc, use_msi or use_cli (or their ARM_* environment variables)")
	case 1:
	default:
		return nil, fmt.Errorf("conflicting credentials: %s are all configured; choose exactly one", strings.Join(methods, ", "))
	}

	client := azcore.ClientOptions{Cloud: cloud.AzurePublic}
	if s.AuthorityHost != "" {
		client.Cloud.ActiveDirectoryAuthorityHost = s.AuthorityHost
	}
	// Instance discovery asks the public cloud about the authority; a custom
	// authority (a sovereign cloud or the emulator) must skip it.
	noDiscovery := s.customAuthority
	needTenantAndClient := func() error {
		if s.TenantID == "" || s.ClientID == "" {
			return fmt.Errorf("%s needs tenant_id (ARM_TENANT_ID) and client_id (ARM_CLIENT_ID)", methods[0])
		}
		return nil
	}

	switch {
	case s.ClientSecret != "":
		if err := needTenantAndClient(); err != nil {
			return nil, err
		}
		return azidentity.NewClientSecretCredential(s.TenantID, s.ClientID, s.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
	case s.ClientCertificatePath != "":
		if err := needTenantAndClient(); err != nil {
			return nil, err
		}
		data, err := os.ReadFile(s.ClientCertificatePath)
		if err != nil {
			return nil, fmt.Errorf("reading client_certificate_path: %w", err)
		}
		var pw []byte
		if s.CertPassword != "" {
			pw = []byte(s.CertPassword)
		}
		certs, key, err := azidentity.ParseCertificates(data, pw)
		if err != nil {
			return nil, fmt.Errorf("parsing client_certificate_path %s: %w", s.ClientCertificatePath, err)
		}
		return azidentity.NewClientCertificateCredential(s.TenantID, s.ClientID, certs, key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
	case s.UseOIDC:
		if err := needTenantAndClient(); err != nil {
			return nil, err
		}
		if s.OIDCToken == "" && s.OIDCTokenFilePath == "" {
			return nil, fmt.Errorf("use_oidc needs oidc_token (ARM_OIDC_TOKEN) or oidc_token_file_path (ARM_OIDC_TOKEN_FILE_PATH)")
		}
		token, path := s.OIDCToken, s.OIDCTokenFilePath
		assertion := func(context.Context) (string, error) {
			if token != "" {
				return token, nil
			}
			// Re-read each time: CI systems rotate the file's token.
			b, err := os.ReadFile(path)
			return strings.TrimSpace(string(b)), err
		}
		return azidentity.NewClientAssertionCredential(s.TenantID, s.ClientID, assertion,
			&azidentity.ClientAssertionCredentialOptions{ClientOptions: client, DisableInstanceDiscovery: noDiscovery})
	case s.UseMSI:
		opts := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: client}
		if s.ClientID != "" {
			opts.ID = azidentity.ClientID(s.ClientID)
		}
		return azidentity.NewManagedIdentityCredential(opts)
	default:
		return azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: s.TenantID})
	}
}
