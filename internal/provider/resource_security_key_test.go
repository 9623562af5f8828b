package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entra-tf/terraform-provider-entra/internal/authenticator"
	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

const (
	keyRes  = "entra_security_key.adele"
	testPIN = "739164"
)

var onlyTF111 = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}

func TestAccSecurityKey_lifecycle(t *testing.T) {
	l := newKeyLab(t, true)
	key := l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	logFile := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	// The PIN comes from a sensitive variable, as in real use: a literal in
	// the configuration would be in the test harness's own log of it.
	t.Setenv("TF_VAR_pin", testPIN)
	cfg := func(timeout string) string {
		return `variable "pin" {
  type      = string
  sensitive = true
}
` + l.config(adele.UserPrincipalName, fmt.Sprintf("  pin_wo = var.pin\n  touch_timeout = %q", timeout))
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   onlyTF111,
		ProtoV6ProviderFactories: testProviders,
		CheckDestroy:             l.expectMethods(adele.ID, 0),
		Steps: []resource.TestStep{
			{
				Config: cfg("30s"),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(keyRes, "aaguid", softkey.DefaultSoftwareAAGUID),
					resource.TestCheckResourceAttr(keyRes, "attestation_level", "attested"),
					resource.TestCheckResourceAttr(keyRes, "passkey_type", "deviceBound"),
					resource.TestCheckResourceAttr(keyRes, "device", key),
					resource.TestCheckResourceAttr(keyRes, "attestation_certificates.#", "1"),
					resource.TestCheckResourceAttrSet(keyRes, "credential_id"),
					resource.TestCheckNoResourceAttr(keyRes, "pin_wo"),
					// Made with the extensions Graph's creation options ask for.
					func(s *terraform.State) error {
						hmac, level := l.e.Fido2Extensions(adele.ID, s.RootModule().Resources[keyRes].Primary.ID)
						if !hmac || level != 1 {
							return fmt.Errorf("Graph received hmac-secret %t and credProtect %d, want true and 1", hmac, level)
						}
						return nil
					},
					l.expectMethods(adele.ID, 1),
					stateHoldsNone(func() []string { return []string{testPIN} }),
				),
			},
			{
				// Settings of the ceremony change in place: no new enrolment.
				Config:           cfg("45s"),
				ConfigPlanChecks: expectUpdate(keyRes),
				Check:            l.expectMethods(adele.ID, 1),
			},
			{
				ResourceName: keyRes, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return adele.ID + "/" + s.RootModule().Resources[keyRes].Primary.ID, nil
				},
				ImportStateVerifyIgnore: []string{"user_id", "touch_timeout", "credential_id", "device", "pin_wo"},
			},
			{
				// Deleted outside Terraform: enrolled again.
				PreConfig: func() {
					m := l.methods(adele.ID)
					if err := l.admin.DeleteFido2Method(context.Background(), adele.ID, m[0].ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg("45s"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(keyRes, plancheck.ResourceActionCreate),
				}},
				Check: l.expectMethods(adele.ID, 1),
			},
		},
	})
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "Touch the security key") {
		t.Error("the trace log lacks the touch prompt naming the key and the user")
	}
	if strings.Contains(string(log), testPIN) {
		t.Error("the PIN appears in the TF_LOG=trace output")
	}
}

func TestAccSecurityKey_refusals(t *testing.T) {
	l := newKeyLab(t, true)
	l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	t.Setenv(pinEnv, testPIN)
	blockDefault := func(enforce bool) func() {
		return func() {
			l.editFido2(t, func(p *graph.Fido2Policy) {
				p.PasskeyProfiles[0].KeyRestrictions = graph.KeyRestrictions{IsEnforced: enforce, EnforcementType: "block", AAGUIDs: []string{softkey.DefaultSoftwareAAGUID}}
			})
		}
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   onlyTF111,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config:      l.config(adele.ID, `  pin_wo = "000000"`),
				ExpectError: errorLike("wrong PIN: 7 attempts left before the PIN is blocked"),
			},
			{
				// The AAGUID is refused before anything is posted to Graph.
				PreConfig:   blockDefault(true),
				Config:      l.config(adele.ID, ""),
				ExpectError: errorLike(fmt.Sprintf(`passkey profile "Default passkey profile" refuses it: the key's AAGUID %s is on its block list`, softkey.DefaultSoftwareAAGUID)),
			},
			{
				PreConfig: func() {
					blockDefault(false)()
					l.addKey(t, "key2", softkey.SoftwareOptions{PIN: testPIN, AAGUID: "cb69481e-8ff7-4039-93ec-0a2729a154a8"})
				},
				Config:      l.config(adele.ID, ""),
				ExpectError: errorLike("2 authenticators match; choose one with device_path, device_aaguid or device_product."),
			},
			{
				// With a selector, the model chosen is the one enrolled.
				Config: l.config(adele.ID, `  device_aaguid = "CB69481E-8FF7-4039-93EC-0A2729A154A8"`),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(keyRes, "aaguid", "cb69481e-8ff7-4039-93ec-0a2729a154a8"),
					resource.TestCheckResourceAttr(keyRes, "model", "YubiKey 5 Series"),
				),
			},
		},
	})
	if n := l.e.Requests()["POST fido2Methods"]; n != 1 {
		t.Errorf("only the final enrolment should reach Graph, saw %d registrations posted", n)
	}
}

func TestAccSecurityKey_devicesAndTouch(t *testing.T) {
	l := newKeyLab(t, true)
	t.Setenv(pinEnv, testPIN)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config:      l.config(adele.ID, `  touch_timeout = "1s"`),
				ExpectError: errorLike("no FIDO2 authenticator is attached (waited for one to be attached)"),
			},
			{
				PreConfig: func() {
					l.addKey(t, "lazy", softkey.SoftwareOptions{PIN: testPIN, Touch: softkey.TouchNever})
				},
				Config:      l.config(adele.ID, `  touch_timeout = "1s"`),
				ExpectError: errorLike("timed out waiting for the authenticator to be touched (touch_timeout 1s)"),
			},
			{
				PreConfig: func() {
					os.Remove(filepath.Join(l.dir, "lazy.json"))
					l.addKey(t, "fresh", softkey.SoftwareOptions{})
				},
				Config:      l.config(adele.ID, ""),
				ExpectError: errorLike("the authenticator has no PIN yet"),
			},
			{
				// A fresh key gets the PIN, then enrols.
				Config: l.config(adele.ID, "  set_pin_if_unset = true"),
				Check:  l.expectMethods(adele.ID, 1),
			},
		},
	})
}

// Attestation enforced, but the tenant does not trust the key's vendor:
// Graph refuses the registration and nothing reaches state.
func TestAccSecurityKey_untrustedAttestation(t *testing.T) {
	l := newKeyLab(t, false)
	l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	t.Setenv(pinEnv, testPIN)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      l.config(adele.ID, ""),
			ExpectError: errorLike("passkey profile 'Default passkey profile': it requires attestation and the attestation is not from a trusted authenticator vendor."),
		}},
	})
}

// A registration that fails once is redone by the next apply with a fresh
// challenge, with no manual step.
// A registration that gets no real answer (a reset, a timeout, a 5xx) may
// have been carried out. It is never sent again (its challenge is spent):
// the provider looks for it, adopting it only when it can tell it is this
// enrolment's, and enrols again with a fresh challenge only when none
// appeared within the lookup's wait.
func TestAccSecurityKey_answerLost(t *testing.T) {
	cases := []struct {
		name   string
		opts   emulator.Options
		lag    time.Duration
		fault  emulator.Fault
		posts  int // registrations sent
		err    string
		tenant int // registrations the user holds after
	}{
		{name: "504 after Graph committed; the id names the credential",
			fault: emulator.Fault{Action: "committed", Status: 504}, posts: 1, tenant: 1},
		{name: "504 after Graph committed; opaque ids, and the list lags",
			opts: emulator.Options{OpaqueMethodIDs: true}, lag: 2 * time.Second,
			fault: emulator.Fault{Action: "committed", Status: 504}, posts: 1, tenant: 1},
		{name: "answer lost after Graph committed",
			fault: emulator.Fault{Action: "reset-after"}, posts: 1, tenant: 1},
		{name: "503 before Graph acted: enrolled again",
			fault: emulator.Fault{Status: 503, RetryAfter: 1}, posts: 2, tenant: 1},
		{name: "connection reset before Graph acted: enrolled again",
			fault: emulator.Fault{Action: "reset"}, posts: 2, tenant: 1},
		{name: "another registration of the same name and model appears meanwhile: neither adopted",
			opts:  emulator.Options{OpaqueMethodIDs: true},
			fault: emulator.Fault{Action: "committed", Status: 502}, posts: 1, tenant: 2,
			err: `2 registrations named "Adele's key" of this model appeared for the user meanwhile`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newKeyLabWith(t, true, c.opts)
			l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
			t.Setenv(pinEnv, testPIN)
			l.e.SetLag(c.lag)
			f := c.fault
			f.Method, f.PathContains = "POST", "fido2Methods"
			if c.err != "" {
				f.Meanwhile = func() { l.e.SeedFido2Method(adele.ID, "Adele's key", softkey.DefaultSoftwareAAGUID) }
			}
			l.e.Inject(f)
			step := resource.TestStep{Config: l.config(adele.ID, ""), Check: l.expectMethods(adele.ID, c.tenant)}
			if c.err != "" {
				step = resource.TestStep{Config: l.config(adele.ID, ""), ExpectError: errorLike(c.err)}
			}
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviders, Steps: []resource.TestStep{step}})
			if n := l.e.Requests()["POST fido2Methods"]; n != c.posts {
				t.Errorf("%d registrations sent, want %d", n, c.posts)
			}
			// After a refusal nothing is in state, so nothing was destroyed.
			if n := len(l.methods(adele.ID)); c.err != "" && n != c.tenant {
				t.Errorf("Adele holds %d registrations, want %d", n, c.tenant)
			}
		})
	}
}

// Which profile applies depends on the user: the pilot group's profile
// allows one model only, everyone else has the default profile.
func TestAccSecurityKey_perUserProfile(t *testing.T) {
	l := newKeyLab(t, true)
	l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	t.Setenv(pinEnv, testPIN)
	l.editFido2(t, func(p *graph.Fido2Policy) {
		p.PasskeyProfiles = append(p.PasskeyProfiles, graph.PasskeyProfile{ID: keysProfile, Name: "Pilot keys", PasskeyTypes: "deviceBound",
			AttestationEnforcement: "registrationOnly", KeyRestrictions: graph.KeyRestrictions{IsEnforced: true, EnforcementType: "allow", AAGUIDs: []string{yubikeyAAGUID}}})
		p.IncludeTargets = append(p.IncludeTargets, graph.Target{ID: emulator.PilotGroupID, TargetType: "group", AllowedPasskeyProfiles: []string{keysProfile}})
		p.IncludeTargets[0].AllowedPasskeyProfiles = nil // everyone else: the default profile
		p.IncludeTargets[0].AllowedPasskeyProfiles = []string{defaultProfile}
	})
	// Adele is in the pilot group: both her targets' profiles apply, and the
	// default one allows the key. Restrict her to the pilot profile only.
	l.editFido2(t, func(p *graph.Fido2Policy) {
		p.ExcludeTargets = nil
		p.IncludeTargets = []graph.Target{
			{ID: emulator.PilotGroupID, TargetType: "group", AllowedPasskeyProfiles: []string{keysProfile}},
			{ID: megan.ID, TargetType: "user", AllowedPasskeyProfiles: []string{defaultProfile}},
		}
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config:      l.config(adele.ID, ""),
				ExpectError: errorLike(fmt.Sprintf(`passkey profile "Pilot keys" refuses it: the key's AAGUID %s is not on its allow list`, softkey.DefaultSoftwareAAGUID)),
			},
			{
				// Megan is a user target by object id; her UPN must match it.
				Config: l.config(megan.UserPrincipalName, ""),
				Check:  l.expectMethods(megan.ID, 1),
			},
		},
	})
}

// Software keys register only with a local emulator unless allowed.
func TestAccSecurityKey_softwareNeedsLocalGraph(t *testing.T) {
	dir := t.TempDir()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "entra" {
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  client_id                  = "11111111-1111-1111-1111-111111111111"
  client_secret              = "not-used"
  software_authenticator_dir = %q
}
resource "entra_security_key" "adele" {
  user_id      = "adele@contoso.example"
  display_name = "Adele's key"
}`, dir),
			ExpectError: errorLike("software authenticators (software_authenticator_dir) register keys only with a local Graph emulator, and https://graph.microsoft.com is not one"),
		}},
	})
}

// fleetLab is a key lab whose tenant has n users, for many enrolments on one
// key in one run.
func fleetLab(t *testing.T, n int) (*keyLab, []string) {
	t.Helper()
	var users []emulator.User
	var ids []string
	for i := range n {
		id := fmt.Sprintf("%08d-0000-4000-8000-%012d", i+1, i+1)
		users = append(users, emulator.User{ID: id, UserPrincipalName: fmt.Sprintf("user%d@contoso.example", i+1), DisplayName: fmt.Sprintf("User %d", i+1)})
		ids = append(ids, id)
	}
	return newKeyLabWith(t, true, emulator.Options{Users: users}), ids
}

// fleetConfig enrols the one attached key for every user, with pin.
func (l *keyLab) fleetConfig(users []string, pin string) string {
	return l.provider() + fmt.Sprintf(`
locals {
  users = %s
}

resource "entra_security_key" "fleet" {
  count            = length(local.users)
  user_id          = local.users[count.index]
  display_name     = "Fleet key"
  pin_wo           = %q
  set_pin_if_unset = true
}
`, hclList(users), pin)
}

func hclList(vs []string) string {
	quoted := make([]string, len(vs))
	for i, v := range vs {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// pinRetries is what the lab's only key says of its PIN attempts left.
func (l *keyLab) pinRetries(t *testing.T) int {
	t.Helper()
	devices, err := softkey.SoftwareBackend{Dir: l.dir}.Devices(context.Background())
	if err != nil || len(devices) != 1 {
		t.Fatalf("devices: %v %v", devices, err)
	}
	return devices[0].PINRetries
}

// Ten enrolments on one key with a wrong PIN spend one attempt: the first
// meets the wrong PIN, the other nine fail at once with the same error.
func TestAccSecurityKey_wrongPINSpentOncePerKey(t *testing.T) {
	l, users := fleetLab(t, 10)
	l.addKey(t, "key", softkey.SoftwareOptions{PIN: testPIN})
	before := l.pinRetries(t)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   onlyTF111,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      l.fleetConfig(users, "999999"),
			ExpectError: errorLike("wrong PIN"),
		}},
	})
	if after := l.pinRetries(t); after != before-1 {
		t.Fatalf("PIN attempts left went from %d to %d: want exactly one spent", before, after)
	}
	for _, u := range users {
		if n := len(l.methods(u)); n != 0 {
			t.Fatalf("%s has %d registrations", u, n)
		}
	}
}

// A key with few PIN attempts left is not tried at all.
func TestAccSecurityKey_fewPINRetriesRefused(t *testing.T) {
	l, users := fleetLab(t, 1)
	path := l.addKey(t, "key", softkey.SoftwareOptions{PIN: testPIN})
	for range 5 { // five wrong PINs, each on a fresh power-up
		a, err := softkey.SoftwareBackend{Dir: l.dir}.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.MakeCredential(context.Background(), authenticator.MakeCredentialRequest{
			ClientDataHash: make([]byte, 32), RPID: "login.microsoft.com", UserID: []byte("u"), PIN: "000000"})
		if !errors.Is(err, authenticator.ErrPINInvalid) {
			t.Fatalf("wrong PIN: %v", err)
		}
		a.Close()
	}
	if n := l.pinRetries(t); n != 3 {
		t.Fatalf("%d PIN attempts left, want 3", n)
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   onlyTF111,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config:      l.fleetConfig(users, testPIN),
			ExpectError: errorLike("has 3 PIN attempts left, at or below the floor of 3"),
		}},
	})
	if n := l.pinRetries(t); n != 3 {
		t.Fatalf("%d PIN attempts left after the refusal, want 3", n)
	}
}

// Ten enrolments on one fresh key with set_pin_if_unset: the PIN is set
// once and every user gets a registration.
func TestAccSecurityKey_freshKeyManyEnrolments(t *testing.T) {
	l, users := fleetLab(t, 10)
	l.addKey(t, "key", softkey.SoftwareOptions{})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   onlyTF111,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: l.fleetConfig(users, testPIN),
			Check: func(*terraform.State) error {
				for _, u := range users {
					if n := len(l.methods(u)); n != 1 {
						return fmt.Errorf("%s has %d registrations, want 1", u, n)
					}
				}
				if n := l.pinRetries(t); n != 8 {
					return fmt.Errorf("%d PIN attempts left, want all 8", n)
				}
				return nil
			},
		}},
	})
}

// A registration made outside Terraform is imported, then the configuration
// names the key with device selectors: recorded in place, no replacement
// (which would delete the imported registration and enrol again).
func TestAccSecurityKey_importThenSelectors(t *testing.T) {
	l := newKeyLab(t, true)
	key := l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	res := l.enrolOutside(t, key, adele.ID, "Adele's key")
	selected := l.config(adele.ID, fmt.Sprintf("  device_path = %q\n  device_aaguid = %q", key, softkey.DefaultSoftwareAAGUID))
	sameRegistration := func(*terraform.State) error {
		if m := l.methods(adele.ID); len(m) != 1 || m[0].ID != res.Method.ID {
			return fmt.Errorf("Adele's registrations are %+v, want only the imported %s", m, res.Method.ID)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   onlyTF111,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{
			{
				Config: l.config(adele.ID, ""), ResourceName: keyRes, ImportState: true, ImportStatePersist: true,
				ImportStateId: adele.ID + "/" + res.Method.ID,
			},
			{
				Config: selected,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(keyRes, plancheck.ResourceActionUpdate),
				}},
				Check: sameRegistration,
			},
			{
				// A chosen selector changed: another key is meant, so a new
				// enrolment, which cannot go ahead without that key.
				Config:      l.config(adele.ID, fmt.Sprintf("  device_path = %q\n  touch_timeout = \"1s\"", key+".other")),
				ExpectError: errorLike("no attached authenticator matches"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(keyRes, plancheck.ResourceActionUpdate),
				}},
			},
			{
				// The imported registration stayed.
				Config: selected, Check: sameRegistration,
			},
		},
	})
}

// Keys enrolled one after another through one port (attach_in_turn): a
// person at the machine swaps keys when asked. Here a goroutine plays that
// person, removing each key once its user's registration exists and
// attaching the next. Each user gets their own key, each key one
// credential, and the provider's log holds the prompts that name the users.
func TestAccSecurityKey_attachInTurn(t *testing.T) {
	l, users := fleetLab(t, 3)
	shelf := t.TempDir()
	var keys []string
	for i := range users {
		name := fmt.Sprintf("key%d.json", i+1)
		if _, err := softkey.CreateSoftware(filepath.Join(shelf, name), softkey.SoftwareOptions{PIN: testPIN, CA: l.ca}); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, name)
	}
	logFile := filepath.Join(t.TempDir(), "provider.log")
	t.Setenv("TF_ACC_LOG", "info")
	t.Setenv("TF_ACC_LOG_PATH", logFile)
	move := func(name, from, to string) {
		if err := os.Rename(filepath.Join(from, name), filepath.Join(to, name)); err != nil {
			t.Error(err)
		}
	}
	done := make(chan struct{})
	var person sync.WaitGroup
	defer func() { close(done); person.Wait() }()
	// wait is false when the test is over.
	wait := func(d time.Duration) bool {
		select {
		case <-done:
			return false
		case <-time.After(d):
			return true
		}
	}
	person.Add(1)
	go func() {
		defer person.Done()
		move(keys[0], shelf, l.dir)
		for next := 1; next <= len(users) && wait(100*time.Millisecond); {
			enrolled := 0
			for _, u := range users {
				enrolled += len(l.methods(u))
			}
			if enrolled < next {
				continue
			}
			// The person notices, so the next enrolment asks for the swap.
			if !wait(time.Second) {
				return
			}
			move(keys[next-1], l.dir, shelf)
			if next < len(keys) && wait(700*time.Millisecond) {
				move(keys[next], shelf, l.dir)
			}
			next++
		}
	}()
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks:   onlyTF111,
		ProtoV6ProviderFactories: testProviders,
		Steps: []resource.TestStep{{
			Config: strings.Replace(l.fleetConfig(users, testPIN), "set_pin_if_unset = true", "attach_in_turn   = true\n  touch_timeout    = \"20s\"", 1),
			Check: func(*terraform.State) error {
				for _, u := range users {
					if n := len(l.methods(u)); n != 1 {
						return fmt.Errorf("%s has %d registrations, want 1", u, n)
					}
				}
				for _, k := range keys {
					s, err := softkey.OpenSoftware(filepath.Join(shelf, k))
					if err != nil { // the last key may still be attached
						s, err = softkey.OpenSoftware(filepath.Join(l.dir, k))
					}
					if err != nil {
						return err
					}
					if n := s.CredentialCount(); n != 1 {
						return fmt.Errorf("%s holds %d credentials, want 1", k, n)
					}
				}
				return nil
			},
		}},
	})
	log, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	// Terraform picks the order; every enrolment but the first asks for a
	// swap, naming the user whose key to remove and the user next in turn.
	swaps := regexp.MustCompile(`enrolled for ([^\s,]+), and attach the security key for ([^\s:"]+)`).FindAllStringSubmatch(string(log), -1)
	asked := map[string]bool{}
	for _, m := range swaps {
		if m[1] == m[2] || !slices.Contains(users, m[1]) {
			t.Errorf("a swap prompt names %s and %s", m[1], m[2])
		}
		asked[m[2]] = true
	}
	if len(asked) != len(users)-1 {
		t.Errorf("swap prompts asked for the keys of %v, want all users but the first", asked)
	}
}

// force_pin_change: a CTAP 2.1 key reports the forced change once enrolled;
// a key without authenticatorConfig is enrolled all the same, with a
// warning in the apply's output, and keeps its PIN.
func TestAccSecurityKey_forcePINChange(t *testing.T) {
	for _, tc := range []struct {
		name     string
		noConfig bool
	}{{"CTAP 2.1", false}, {"CTAP 2.0", true}} {
		t.Run(tc.name, func(t *testing.T) {
			l := newKeyLab(t, true)
			key := l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN, NoConfig: tc.noConfig})
			useEmulator(t, l.e)
			t.Setenv("ENTRA_SOFTWARE_AUTHENTICATOR_DIR", l.dir)
			cli := newTerraformCLI(t, map[string]string{"main.tf": fmt.Sprintf(`
resource "entra_security_key" "adele" {
  user_id          = %q
  display_name     = "Adele's key"
  pin_wo           = %q
  force_pin_change = true
}
`, adele.ID, testPIN)})
			out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve")
			if err != nil {
				t.Fatalf("terraform apply: %v\n%s", err, out)
			}
			if warned := strings.Contains(out, "The key cannot require a new PIN"); warned != tc.noConfig {
				t.Errorf("the apply warned %v that the key cannot require a new PIN, want %v:\n%s", warned, tc.noConfig, out)
			}
			if n := len(l.methods(adele.ID)); n != 1 {
				t.Errorf("Adele has %d registrations, want 1", n)
			}
			a, err := softkey.SoftwareBackend{Dir: l.dir}.Open(context.Background(), key)
			if err != nil {
				t.Fatal(err)
			}
			if info, err := a.Info(context.Background()); err != nil || info.ForcePINChange == tc.noConfig {
				t.Errorf("the key reports forcePINChange %v (%v), want %v", info != nil && info.ForcePINChange, err, !tc.noConfig)
			}
		})
	}
}

// An enrolment Terraform interrupted says so, rather than blaming the key.
func TestInterruptedEnrolmentSaysSo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	if got := interruptedOr(ctx, "The security key stayed busy"); got != "The security key stayed busy" {
		t.Errorf("a running enrolment: %q", got)
	}
	cancel()
	if got := interruptedOr(ctx, "The security key stayed busy"); got != "The enrolment was interrupted" {
		t.Errorf("an interrupted enrolment: %q", got)
	}
}
