package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/graph"
)

// Terraform 1.11 has no terraform query: these tests drive the list
// resources at the plugin protocol, as Terraform 1.14 and later do, against
// the provider served in process and configured from the environment.

type protocolServer struct {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	schemas    *tfprotov6.GetProviderSchemaResponse
	identities *tfprotov6.GetResourceIdentitySchemasResponse
}

func startProtocolServer(t *testing.T, e *emulator.Emulator) *protocolServer {
	t.Helper()
	useEmulator(t, e)
	ctx := context.Background()
	server, err := NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	s := &protocolServer{ProviderServer: server, ListResourceServer: server.(tfprotov6.ListResourceServer)}
	if s.schemas, err = server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	if s.identities, err = server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{}); err != nil {
		t.Fatal(err)
	}
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.15.9",
		Config: dynamic(t, object(s.schemas.Provider.ValueType(), nil))})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "configuring the provider", resp.Diagnostics)
	return s
}

// object is a value of an object type with the attributes in set and every
// other attribute null.
func object(typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	attrs := map[string]tftypes.Value{}
	for name, at := range typ.(tftypes.Object).AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			attrs[name] = v
		}
	}
	return tftypes.NewValue(typ, attrs)
}

func dynamic(t *testing.T, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func strList(items ...string) tftypes.Value {
	var vs []tftypes.Value
	for _, s := range items {
		vs = append(vs, str(s))
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, vs)
}

func noErrors(t *testing.T, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", what, d.Summary, d.Detail)
		}
	}
}

// listed is one result of a list resource.
type listed struct {
	user, id, name string
	resource       tftypes.Value
}

func (l listed) key() string { return l.user + "/" + l.id }

// list runs a list resource with config and returns its results, or the
// diagnostics of the first result that has any.
func (s *protocolServer) list(t *testing.T, typeName string, config map[string]tftypes.Value, limit int64) ([]listed, []*tfprotov6.Diagnostic) {
	t.Helper()
	ctx := context.Background()
	stream, err := s.ListResource(ctx, &tfprotov6.ListResourceRequest{TypeName: typeName,
		Config: dynamic(t, object(s.schemas.ListResourceSchemas[typeName].ValueType(), config)), IncludeResource: true, Limit: limit})
	if err != nil {
		t.Fatal(err)
	}
	var out []listed
	for r := range stream.Results {
		if len(r.Diagnostics) > 0 {
			return out, r.Diagnostics
		}
		identity := s.identityValues(t, typeName, r.Identity)
		state, err := r.Resource.Unmarshal(s.schemas.ResourceSchemas[typeName].ValueType())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, listed{identity["user_id"], identity["id"], r.DisplayName, state})
	}
	return out, nil
}

func (s *protocolServer) identityValues(t *testing.T, typeName string, d *tfprotov6.ResourceIdentityData) map[string]string {
	t.Helper()
	v, err := d.IdentityData.Unmarshal(s.identities.IdentitySchemas[typeName].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, a := range attrs {
		var s string
		_ = a.As(&s)
		out[name] = s
	}
	return out
}

// importAndRead imports a result by its identity and refreshes it, as the
// plan of an import block does, and returns the state that plan compares
// the generated configuration with.
func (s *protocolServer) importAndRead(t *testing.T, typeName string, r listed) tftypes.Value {
	t.Helper()
	ctx := context.Background()
	identity := object(s.identities.IdentitySchemas[typeName].ValueType(), map[string]tftypes.Value{"user_id": str(r.user), "id": str(r.id)})
	imp, err := s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: typeName,
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: dynamic(t, identity)}})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "importing "+r.key(), imp.Diagnostics)
	got := imp.ImportedResources[0]
	read, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: got.State, Private: got.Private, CurrentIdentity: got.Identity})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "reading "+r.key(), read.Diagnostics)
	state, err := read.NewState.Unmarshal(s.schemas.ResourceSchemas[typeName].ValueType())
	if err != nil {
		t.Fatal(err)
	}
	return state
}

// checkFound compares what a list found with what the tenant holds, and
// that importing a result reads back the state it carried.
func (s *protocolServer) checkFound(t *testing.T, typeName string, got []listed, want []string, roundTrips int) {
	t.Helper()
	var keys []string
	for _, r := range got {
		keys = append(keys, r.key())
	}
	slices.Sort(keys)
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		t.Fatalf("%s found %d methods, the tenant holds %d:\nfound %v\nheld  %v", typeName, len(keys), len(want), keys, want)
	}
	for _, r := range got[:min(roundTrips, len(got))] {
		if read := s.importAndRead(t, typeName, r); !read.Equal(r.resource) {
			t.Errorf("%s %s: the state an import reads differs from the listed one:\nimported %v\nlisted   %v", typeName, r.key(), read, r.resource)
		}
	}
}

// tenantOfThousand is an emulated tenant of 1,000 users: a third hold a
// key (a tenth of those two), a quarter a pass, a tenth are in the pilot
// group. It returns the keys, the pilot group's keys and the passes as
// <user>/<method>.
func tenantOfThousand(t *testing.T) (e *emulator.Emulator, keys, pilotKeys, passes []string) {
	users := make([]emulator.User, 1000)
	for i := range users {
		users[i] = emulator.User{ID: fmt.Sprintf("%08d-0000-4000-8000-%012d", i, i), UserPrincipalName: fmt.Sprintf("user%d@contoso.example", i)}
		if i%10 == 0 {
			users[i].Groups = []string{emulator.PilotGroupID}
		}
	}
	e = startEmulator(t, emulator.Options{Users: users})
	admin := adminClient(t, e)
	enableTAPPolicy(t, admin, nil)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, u := range users {
		held := 0
		switch {
		case i%30 == 0:
			held = 2
		case i%3 == 0:
			held = 1
		}
		for k := range held {
			key := u.ID + "/" + e.SeedFido2Method(u.ID, fmt.Sprintf("Key %d", k+1), "cb69481e-8ff7-4039-93ec-0a2729a154a8")
			keys = append(keys, key)
			if i%10 == 0 {
				pilotKeys = append(pilotKeys, key)
			}
		}
		if i%4 == 0 {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				p, err := admin.CreateTemporaryAccessPass(context.Background(), u.ID, graph.NewTemporaryAccessPass{})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				passes = append(passes, u.ID+"/"+p.ID)
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	return e, keys, pilotKeys, passes
}

func TestListResources_discoverTenantOfThousand(t *testing.T) {
	e, keys, pilotKeys, passes := tenantOfThousand(t)
	const users = 1000
	s := startProtocolServer(t, e)

	e.ResetRequests()
	found, diags := s.list(t, "entra_fido2_method", nil, 0)
	noErrors(t, "listing FIDO2 registrations", diags)
	requests := e.Requests()
	s.checkFound(t, "entra_fido2_method", found, keys, 5)
	if holders := (users + 2) / 3; requests["GET fido2Methods"] != holders || requests["GET userRegistrationDetails"] != users/100 {
		t.Errorf("finding the keys of %d holders among %d users took %v", holders, users, requests)
	}

	e.ResetRequests()
	found, diags = s.list(t, "entra_temporary_access_pass", nil, 0)
	noErrors(t, "listing passes", diags)
	s.checkFound(t, "entra_temporary_access_pass", found, passes, 5)
	if r := e.Requests(); r["GET temporaryAccessPassMethods"] != users || r["GET users"] != users/100 {
		t.Errorf("the passes of %d users took %v", users, r)
	}

	found, diags = s.list(t, "entra_fido2_method", map[string]tftypes.Value{"group_id": str(emulator.PilotGroupID)}, 0)
	noErrors(t, "listing the pilot group's keys", diags)
	s.checkFound(t, "entra_fido2_method", found, pilotKeys, 0)

	found, diags = s.list(t, "entra_fido2_method", nil, 7)
	noErrors(t, "listing seven keys", diags)
	if len(found) != 7 {
		t.Errorf("a limit of 7 gave %d results", len(found))
	}
}

func TestListResources_everyMethodType(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	admin := adminClient(t, e)
	ctx := context.Background()
	enableTAPPolicy(t, admin, nil)
	pass, err := admin.CreateTemporaryAccessPass(ctx, adele.ID, graph.NewTemporaryAccessPass{})
	if err != nil {
		t.Fatal(err)
	}
	phone, err := admin.CreatePhoneMethod(ctx, adele.ID, graph.PhoneMethod{PhoneNumber: "+1 2065550100", PhoneType: "mobile"})
	if err != nil {
		t.Fatal(err)
	}
	email, err := admin.CreateEmailMethod(ctx, adele.ID, "adele@fabrikam.example")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"entra_fido2_method":                      e.SeedFido2Method(adele.ID, "Adele's key", "cb69481e-8ff7-4039-93ec-0a2729a154a8"),
		"entra_temporary_access_pass":             pass.ID,
		"entra_phone_method":                      phone.ID,
		"entra_email_method":                      email.ID,
		"entra_microsoft_authenticator_method":    "held-authenticator",
		"entra_software_oath_method":              "held-oath",
		"entra_windows_hello_for_business_method": "held-whfb",
		"entra_platform_credential_method":        "held-psso",
	}
	long := time.Now().Add(-48 * time.Hour)
	for kind, id := range map[string]string{"microsoftAuthenticator": "held-authenticator", "softwareOath": "held-oath", "windowsHelloForBusiness": "held-whfb", "platformCredential": "held-psso"} {
		e.AddHeldMethod(adele.ID, emulator.HeldMethod{Kind: kind, ID: id, Created: long,
			Properties: map[string]any{"displayName": "Adele's device", "deviceTag": "SoftwareTokenActivated", "phoneAppVersion": "6.2", "keyStrength": "normal", "platform": "macOS"}})
	}
	s := startProtocolServer(t, e)
	if len(s.schemas.ListResourceSchemas) != len(want) {
		t.Errorf("the provider has %d list resources, the test knows %d", len(s.schemas.ListResourceSchemas), len(want))
	}
	for typeName, id := range want {
		found, diags := s.list(t, typeName, nil, 0)
		noErrors(t, "listing "+typeName, diags)
		s.checkFound(t, typeName, found, []string{adele.ID + "/" + id}, 1)
	}
}

func TestListResources_registrationReport(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts emulator.Options
		// fromReport is whether the report finds the new method; the
		// users source always does.
		fromReport bool
		refusal    string
	}{
		{name: "current", fromReport: true},
		{name: "passkey names", opts: emulator.Options{PasskeyReportNames: true}, fromReport: true},
		{name: "trailing", opts: emulator.Options{ReportLag: time.Hour}},
		{name: "unlicensed", opts: emulator.Options{UnlicensedReport: true}, refusal: `Set source = "users"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := startEmulator(t, tc.opts)
			key := megan.ID + "/" + e.SeedFido2Method(megan.ID, "Megan's key", "cb69481e-8ff7-4039-93ec-0a2729a154a8")
			s := startProtocolServer(t, e)
			byReport, diags := s.list(t, "entra_fido2_method", nil, 0)
			switch {
			case tc.refusal != "":
				if len(diags) == 0 || !strings.Contains(diags[0].Detail, tc.refusal) {
					t.Fatalf("an unavailable report gave %v, want an error saying %q", diags, tc.refusal)
				}
			case tc.fromReport:
				noErrors(t, "listing keys", diags)
				s.checkFound(t, "entra_fido2_method", byReport, []string{key}, 0)
			default:
				noErrors(t, "listing keys", diags)
				s.checkFound(t, "entra_fido2_method", byReport, nil, 0)
			}
			byUsers, diags := s.list(t, "entra_fido2_method", map[string]tftypes.Value{"source": str("users")}, 0)
			noErrors(t, "listing every user's keys", diags)
			s.checkFound(t, "entra_fido2_method", byUsers, []string{key}, 0)
		})
	}
}

func TestListResources_refusedConfigurations(t *testing.T) {
	e := startEmulator(t, emulator.Options{})
	s := startProtocolServer(t, e)
	for _, tc := range []struct {
		typeName string
		config   map[string]tftypes.Value
		want     string
	}{
		{"entra_fido2_method", map[string]tftypes.Value{"user_ids": strList(adele.ID), "group_id": str(emulator.PilotGroupID)}, "Set user_ids or group_id, not both"},
		{"entra_fido2_method", map[string]tftypes.Value{"user_ids": strList(adele.ID), "source": str("users")}, "source chooses how users are found"},
		{"entra_fido2_method", map[string]tftypes.Value{"source": str("everyone")}, `value must be one of: ["users" "report"]`},
		{"entra_temporary_access_pass", map[string]tftypes.Value{"source": str("report")}, `value must be one of: ["users"]`},
	} {
		resp, err := s.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{TypeName: tc.typeName,
			Config: dynamic(t, object(s.schemas.ListResourceSchemas[tc.typeName].ValueType(), tc.config))})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) != 1 || !strings.Contains(resp.Diagnostics[0].Detail, tc.want) {
			t.Errorf("%s %v: got %v, want one error saying %q", tc.typeName, tc.config, resp.Diagnostics, tc.want)
		}
	}
	// A user that does not exist, named by the configuration, is an error.
	_, diags := s.list(t, "entra_phone_method", map[string]tftypes.Value{"user_ids": strList("nobody@contoso.example")}, 0)
	if len(diags) == 0 || !strings.Contains(diags[0].Summary, "listing the phones of nobody@contoso.example failed") {
		t.Errorf("an unknown user gave %v", diags)
	}
}

// TestAccQuery_generatedConfigurationPlansClean runs terraform query, given
// a Terraform 1.14 or later in ENTRA_TF_QUERY_PATH, over the tenant of
// 1,000 users: the configuration it generates imports every key and pass,
// and plans nothing else.
func TestAccQuery_generatedConfigurationPlansClean(t *testing.T) {
	bin := os.Getenv("ENTRA_TF_QUERY_PATH")
	if os.Getenv("TF_ACC") == "" || bin == "" {
		t.Skip("set TF_ACC and ENTRA_TF_QUERY_PATH (a Terraform 1.14 or later) to run terraform query")
	}
	e, keys, _, passes := tenantOfThousand(t)
	useEmulator(t, e)
	cli := newCLI(t, bin, map[string]string{
		"main.tf": "provider \"entra\" {}\n",
		"discover.tfquery.hcl": `
list "entra_fido2_method" "keys" {
  provider = entra
  limit    = 2000
}
list "entra_temporary_access_pass" "passes" {
  provider = entra
  limit    = 2000
}
`})
	out, err := cli.run("query", "-no-color", "-generate-config-out=generated.tf")
	if err != nil {
		t.Fatalf("terraform query: %v\n%s", err, out)
	}
	generated, err := os.ReadFile(filepath.Join(cli.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range append(append([]string{}, keys...), passes...) {
		user, method, _ := strings.Cut(id, "/")
		if !strings.Contains(string(generated), fmt.Sprintf("id      = %q", method)) || !strings.Contains(string(generated), user) {
			t.Fatalf("generated.tf has no import of %s", id)
		}
	}
	want := fmt.Sprintf("%d to import, 0 to add, 0 to change, 0 to destroy", len(keys)+len(passes))
	if out, err := cli.run("plan", "-no-color", "-input=false"); err != nil || !strings.Contains(out, want) {
		t.Fatalf("the plan of the generated configuration does not say %q: %v\n%s", want, err, tail(out))
	}
	if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, tail(out))
	}
	if out, err := cli.run("plan", "-no-color", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after the imports is not empty: %v\n%s", err, tail(out))
	}
}

// tail is the end of a long CLI output.
func tail(out string) string { return out[max(0, len(out)-4000):] }
