package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Create adopts the tenant's certificate policy and binds certificates by
// their subject key identifier only, multi-factor for a smart card issuer;
// an update adds a binding; import, a change outside Terraform and the reset
// on destroy follow.
func TestAccX509CertificatePolicy_lifecycle(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	res := "entra_x509_certificate_policy.this"
	config := func(extra string) string {
		return providerBlock(e) + `
resource "entra_x509_certificate_policy" "this" {
  state = "enabled"
  certificate_user_bindings = [
    { certificate_field = "SubjectKeyIdentifier", user_property = "certificateUserIds", priority = 1 },` + extra + `
  ]
  authentication_mode_rules = [
    { type = "issuerSubject", identifier = "CN=Contoso Smart Card CA", authentication_mode = "x509CertificateMultiFactor" },
  ]
}
`
	}
	withUPN := "\n    { certificate_field = \"PrincipalName\", user_property = \"userPrincipalName\", priority = 2 },"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy: checkTenant(admin.GetX509CertificatePolicy, func(p *graph.X509CertificatePolicy) error {
			if p.State != "disabled" || len(p.CertificateUserBindings) != 3 || len(p.AuthenticationModeConfiguration.Rules) != 0 {
				return fmt.Errorf("destroy should reset the policy to Microsoft's defaults, got %+v", p)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(res, tfjsonpath.New("certificate_user_bindings"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"certificate_field": knownvalue.StringExact("SubjectKeyIdentifier"),
							"user_property": knownvalue.StringExact("certificateUserIds"), "priority": knownvalue.Int64Exact(1), "trust_affinity_level": knownvalue.StringExact("high")}),
					})),
					statecheck.ExpectKnownValue(res, tfjsonpath.New("default_authentication_mode"), knownvalue.StringExact("x509CertificateSingleFactor")),
				},
				Check: checkTenant(admin.GetX509CertificatePolicy, func(p *graph.X509CertificatePolicy) error {
					if p.State != "enabled" || len(p.CertificateUserBindings) != 1 || p.AuthenticationModeConfiguration.Rules[0].X509CertificateRequiredAffinityLevel != "low" {
						return fmt.Errorf("tenant does not hold the configuration: %+v", p)
					}
					return nil
				}),
			},
			{Config: config(withUPN), ConfigPlanChecks: expectUpdate(res)},
			{ResourceName: res, ImportState: true, ImportStateId: "x509Certificate", ImportStateVerify: true},
			{
				PreConfig: func() {
					p, err := admin.GetX509CertificatePolicy(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					p.AuthenticationModeConfiguration.Rules = []graph.CertificateRule{}
					if err := admin.UpdateX509CertificatePolicy(context.Background(), *p, nil); err != nil {
						t.Fatal(err)
					}
				},
				Config:           config(withUPN),
				ConfigPlanChecks: expectUpdate(res),
			},
		},
	})
}

// A certificate alone satisfying MFA by default is a weakening, with no
// EIDSCA control.
func TestX509CertificatePolicyWeakenings(t *testing.T) {
	policy := func(mode string) *x509PolicyModel {
		return &x509PolicyModel{State: types.StringValue("enabled"), DefaultAuthenticationMode: types.StringValue(mode)}
	}
	ctx := context.Background()
	assertWarnings(t, "to multi-factor", policy("x509CertificateMultiFactor").weakenings(ctx, policy("x509CertificateSingleFactor")), []string{"|a certificate alone satisfy MFA"})
	assertWarnings(t, "to single-factor", policy("x509CertificateSingleFactor").weakenings(ctx, policy("x509CertificateMultiFactor")), nil)
}
