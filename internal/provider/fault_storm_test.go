package provider

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

// TestAccFaultStorm applies 200 objects (a pass and an enrolled key for each
// of 100 users) while a tenth of Graph requests fail at random: 429 with
// Retry-After, 500, 503, a connection reset before or after the request is
// served, an answer slower than the client waits, and newly created objects
// that read 404 for a second. The fault sequence is seeded; which request
// meets which fault depends on scheduling. Afterwards the plan is empty and
// the tenant holds exactly what the state holds.
func TestAccFaultStorm(t *testing.T) {
	users := emulator.GenerateUsers(100)
	ca, err := softkey.NewAttestationCA("vendor")
	if err != nil {
		t.Fatal(err)
	}
	e := startEmulator(t, emulator.Options{Users: users, TrustedAttestationCAs: [][]byte{ca.Cert.Raw}})
	admin := adminClient(t, e)
	enableTAPPolicy(t, admin, nil)
	l := &keyLab{e: e, admin: admin, ca: ca, dir: t.TempDir()}
	l.editFido2(t, func(p *graph.Fido2Policy) { p.State = "enabled" })
	const keys = 4
	for i := 0; i < keys; i++ {
		l.addKey(t, fmt.Sprintf("key%d", i), softkey.SoftwareOptions{PIN: testPIN})
	}
	t.Setenv(pinEnv, testPIN)

	var ids []string
	for _, u := range users {
		ids = append(ids, fmt.Sprintf("%q", u.ID))
	}
	cfg := l.provider(set("graph_request_timeout", "1s")) + fmt.Sprintf(`
locals {
  users = [%s]
}
resource "entra_temporary_access_pass" "pass" {
  count   = length(local.users)
  user_id = local.users[count.index]
}
resource "entra_security_key" "key" {
  count        = length(local.users)
  user_id      = local.users[count.index]
  display_name = "Key ${count.index}"
  device_path  = "%s${count.index %% %d}.json"
}
`, strings.Join(ids, ", "), softkey.SoftwarePathPrefix+filepath.Join(l.dir, "key"), keys)

	var injected map[string]int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				e.StartStorm(emulator.StormOptions{Seed: 20261125, Rate: 0.1, SlowDelay: 1500 * time.Millisecond, Lag: time.Second})
			},
			Config: cfg,
			Check: func(s *terraform.State) error {
				injected = e.StopStorm()
				return tenantMatchesState(admin, users, s)
			},
		}},
	})
	total := 0
	for _, n := range injected {
		total += n
	}
	t.Logf("faults injected: %v", injected)
	if total < 50 {
		t.Errorf("only %d faults were injected: the storm did not blow", total)
	}
}

// tenantMatchesState checks that every user has exactly the pass and the
// key the state names: nothing duplicated, orphaned or lost.
func tenantMatchesState(admin *graph.Client, users []emulator.User, s *terraform.State) error {
	ctx := context.Background()
	res := s.RootModule().Resources
	for i, u := range users {
		passes, err := admin.ListTemporaryAccessPasses(ctx, u.ID)
		if err != nil {
			return err
		}
		want := res[fmt.Sprintf("entra_temporary_access_pass.pass.%d", i)]
		if want == nil || len(passes) != 1 || passes[0].ID != want.Primary.ID {
			return fmt.Errorf("user %s: tenant passes %v, state %v", u.UserPrincipalName, passes, want)
		}
		keys, err := admin.ListFido2Methods(ctx, u.ID)
		if err != nil {
			return err
		}
		wantKey := res[fmt.Sprintf("entra_security_key.key.%d", i)]
		if wantKey == nil || len(keys) != 1 || keys[0].ID != wantKey.Primary.ID {
			return fmt.Errorf("user %s: tenant keys %v, state %v", u.UserPrincipalName, keys, wantKey)
		}
	}
	return nil
}

// A create whose answer is lost although Graph carried it out: the pass is
// issued again (Graph keeps one per user, so nothing is duplicated and the
// state holds the pass the user has), and the key's registration is found
// and adopted rather than registered twice.
func TestAccLostCreateAnswers(t *testing.T) {
	l := newKeyLab(t, true)
	l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	enableTAPPolicy(t, l.admin, nil)
	t.Setenv(pinEnv, testPIN)
	l.e.Inject(emulator.Fault{Method: "POST", PathContains: "temporaryAccessPassMethods", Action: "reset-after"})
	l.e.Inject(emulator.Fault{Method: "POST", PathContains: "fido2Methods", Action: "slow", Delay: 3 * time.Second})
	cfg := l.config(adele.ID, "", set("graph_request_timeout", "1s")) +
		fmt.Sprintf(`
resource "entra_temporary_access_pass" "adele" { user_id = %q }
data "entra_fido2_methods" "adele" {
  user_id    = %q
  depends_on = [entra_security_key.adele]
}
`, adele.ID, adele.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkPassValue(l.e),
				l.expectMethods(adele.ID, 1),
				resource.TestCheckResourceAttrPair(keyRes, "id", "data.entra_fido2_methods.adele", "methods.0.id"),
			),
		}},
	})
	reqs := l.e.Requests()
	if reqs["POST temporaryAccessPassMethods"] != 2 || reqs["POST fido2Methods"] != 1 {
		t.Errorf("want the pass issued twice and the key registered once, got %v", reqs)
	}
}
