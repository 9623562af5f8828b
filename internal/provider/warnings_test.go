package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func tapPolicyFixture(state string, max int64, once bool) *tapPolicyModel {
	return &tapPolicyModel{State: types.StringValue(state), MaximumLifetimeInMinutes: types.Int64Value(max), IsUsableOnce: types.BoolValue(once)}
}

func TestTAPPolicyWeakenings(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name        string
		prior, plan *tapPolicyModel
		want        []string
	}{
		{"new strict policy", nil, tapPolicyFixture("enabled", 480, true), nil},
		{"new permissive policy", nil, tapPolicyFixture("enabled", 1440, false), []string{"longer than 8 hours", "multi-use"}},
		{"disabled policy", nil, tapPolicyFixture("disabled", 1440, false), nil},
		{"lifetime raised past 8h", tapPolicyFixture("enabled", 480, false), tapPolicyFixture("enabled", 600, false), []string{"longer than 8 hours"}},
		{"already long, unchanged", tapPolicyFixture("enabled", 600, false), tapPolicyFixture("enabled", 600, false), nil},
		{"one-time turned off", tapPolicyFixture("enabled", 60, true), tapPolicyFixture("enabled", 60, false), []string{"multi-use"}},
		{"enabling a permissive policy", tapPolicyFixture("disabled", 600, false), tapPolicyFixture("enabled", 600, false), []string{"longer than 8 hours", "multi-use"}},
	}
	for _, c := range cases {
		assertWarnings(t, c.name, tapPolicyWeakenings(ctx, c.prior, c.plan), c.want)
	}
}

func profileSet(t *testing.T, attestation string, kinds []string, enforced bool) types.Set {
	t.Helper()
	kr := types.ObjectValueMust(keyRestrictionsAttrs, map[string]attr.Value{
		"is_enforced": types.BoolValue(enforced), "enforcement_type": types.StringValue("allow"),
		"aaguids": stringSet([]string{"cb69481e-8ff7-4039-93ec-0a2729a154a8"}),
	})
	return types.SetValueMust(types.ObjectType{AttrTypes: passkeyProfileAttrs}, []attr.Value{
		types.ObjectValueMust(passkeyProfileAttrs, map[string]attr.Value{
			"id": types.StringValue(keysProfile), "name": types.StringValue("Keys"),
			"passkey_types": stringSet(kinds), "attestation_enforcement": types.StringValue(attestation),
			"key_restrictions": kr,
		}),
	})
}

func TestFido2PolicyWeakenings(t *testing.T) {
	ctx := context.Background()
	model := func(state string, profiles types.Set) *fido2PolicyModel {
		return &fido2PolicyModel{State: types.StringValue(state), PasskeyProfiles: profiles, IsAttestationEnforced: types.BoolUnknown()}
	}
	strict := profileSet(t, "registrationOnly", []string{"deviceBound"}, true)
	cases := []struct {
		name        string
		prior, plan *fido2PolicyModel
		want        []string
	}{
		{"unchanged strict profile", model("enabled", strict), model("enabled", strict), nil},
		{"attestation off", model("enabled", strict), model("enabled", profileSet(t, "disabled", []string{"deviceBound"}, true)), []string{`"Keys" (` + keysProfile + `) turns attestation enforcement off`}},
		{"restrictions off", model("enabled", strict), model("enabled", profileSet(t, "registrationOnly", []string{"deviceBound"}, false)), []string{"stops enforcing its key restrictions"}},
		{"synced allowed", model("enabled", strict), model("enabled", profileSet(t, "registrationOnly", []string{"deviceBound", "synced"}, true)), []string{"allows synced passkeys"}},
		// A new profile is compared with Graph's defaults: restrictions off is the default.
		{"new profile without restrictions", nil, model("enabled", profileSet(t, "registrationOnly", []string{"deviceBound"}, false)), nil},
		{"new weak profile", nil, model("enabled", profileSet(t, "disabled", []string{"synced"}, false)), []string{"attestation enforcement off", "synced"}},
		{"disabled policy", nil, model("disabled", profileSet(t, "disabled", []string{"synced"}, false)), nil},
	}
	for _, c := range cases {
		assertWarnings(t, c.name, fido2PolicyWeakenings(ctx, c.prior, c.plan), c.want)
	}
}

func assertWarnings(t *testing.T, name string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got warnings %q, want %d containing %q", name, got, len(want), want)
		return
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("%s: warning %d = %q, want it to contain %q", name, i, got[i], want[i])
		}
	}
}
