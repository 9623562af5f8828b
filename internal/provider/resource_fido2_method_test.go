package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
	"github.com/entra-tf/terraform-provider-entra/internal/webauthn"
)

func TestAccFido2Method(t *testing.T) {
	l := newKeyLab(t, true)
	key := l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	methodRes := "entra_fido2_method.megan"
	cfg := func(cred string) string { return l.methodConfig("megan", megan.ID, "Megan's key", cred) }
	cred := credentialFor(t, l, megan.ID, key)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             l.expectMethods(megan.ID, 0),
		Steps: []resource.TestStep{
			{
				Config: cfg(cred),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(methodRes, "aaguid", softkey.DefaultSoftwareAAGUID),
					resource.TestCheckResourceAttr(methodRes, "attestation_level", "attested"),
					l.expectMethods(megan.ID, 1),
				),
			},
			{
				ResourceName: methodRes, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return megan.ID + "/" + s.RootModule().Resources[methodRes].Primary.ID, nil
				},
				ImportStateVerifyIgnore: []string{"public_key_credential"},
			},
			{
				// Deleted outside Terraform: removed from state, planned again.
				// The old credential's challenge is spent, so a new one is
				// supplied, as the tooling would.
				PreConfig: func() {
					m := l.methods(megan.ID)
					if err := l.admin.DeleteFido2Method(context.Background(), megan.ID, m[0].ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             cfg(cred),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// A credential written by a tool in standard, padded base64 is sent to Graph
// as base64url without padding; a registration Graph shows without a
// createdDateTime has none in state (not year 1).
func TestAccFido2Method_standardBase64AndUndated(t *testing.T) {
	l := newKeyLab(t, true)
	key := l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	var cred graph.PublicKeyCredential
	if err := json.Unmarshal([]byte(credentialFor(t, l, megan.ID, key)), &cred); err != nil {
		t.Fatal(err)
	}
	for _, v := range []*string{&cred.ID, &cred.Response.ClientDataJSON, &cred.Response.AttestationObject} {
		raw, err := webauthn.Decode(*v)
		if err != nil {
			t.Fatal(err)
		}
		*v = base64.StdEncoding.EncodeToString(raw)
	}
	if !strings.ContainsAny(cred.Response.AttestationObject+cred.ID, "+/=") {
		t.Fatal("the standard base64 has none of + / =: the test would not show anything")
	}
	standard, _ := json.Marshal(cred)
	methodRes := "entra_fido2_method.megan"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: l.methodConfig("megan", megan.ID, "Megan's key", string(standard)),
				Check:  l.expectMethods(megan.ID, 1),
			},
			{
				PreConfig: func() { l.e.ClearFido2MethodCreatedDateTime(megan.ID, l.methods(megan.ID)[0].ID) },
				Config:    l.methodConfig("megan", megan.ID, "Megan's key", string(standard)),
				Check:     resource.TestCheckNoResourceAttr(methodRes, "created_date_time"),
			},
		},
	})
}
