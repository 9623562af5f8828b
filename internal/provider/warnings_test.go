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
		{"new permissive policy", nil, tapPolicyFixture("enabled", 1440, false), []string{"|longer than 8 hours", "EIDSCA.AT02|multi-use"}},
		{"disabled policy", nil, tapPolicyFixture("disabled", 1440, false), nil},
		{"lifetime raised past 8h", tapPolicyFixture("enabled", 480, false), tapPolicyFixture("enabled", 600, false), []string{"|longer than 8 hours"}},
		{"already long, unchanged", tapPolicyFixture("enabled", 600, false), tapPolicyFixture("enabled", 600, false), nil},
		{"one-time turned off", tapPolicyFixture("enabled", 60, true), tapPolicyFixture("enabled", 60, false), []string{"EIDSCA.AT02|multi-use"}},
		{"enabling a permissive policy", tapPolicyFixture("disabled", 600, false), tapPolicyFixture("enabled", 600, false), []string{"|longer than 8 hours", "EIDSCA.AT02|multi-use"}},
		{"policy turned off", tapPolicyFixture("enabled", 60, true), tapPolicyFixture("disabled", 60, true), []string{"EIDSCA.AT01|turns Temporary Access Passes off"}},
	}
	for _, c := range cases {
		assertWarnings(t, c.name, c.plan.weakenings(ctx, c.prior), c.want)
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
		{"attestation off", model("enabled", strict), model("enabled", profileSet(t, "disabled", []string{"deviceBound"}, true)), []string{`EIDSCA.AF03|"Keys" (` + keysProfile + `) turns attestation enforcement off`}},
		{"restrictions off", model("enabled", strict), model("enabled", profileSet(t, "registrationOnly", []string{"deviceBound"}, false)), []string{"EIDSCA.AF04|stops enforcing its key restrictions"}},
		{"synced allowed", model("enabled", strict), model("enabled", profileSet(t, "registrationOnly", []string{"deviceBound", "synced"}, true)), []string{"|allows synced passkeys"}},
		// A new profile is compared with Graph's defaults: restrictions off is the default.
		{"new profile without restrictions", nil, model("enabled", profileSet(t, "registrationOnly", []string{"deviceBound"}, false)), nil},
		{"new weak profile", nil, model("enabled", profileSet(t, "disabled", []string{"synced"}, false)), []string{"EIDSCA.AF03|attestation enforcement off", "|synced"}},
		{"disabled policy", nil, model("disabled", profileSet(t, "disabled", []string{"synced"}, false)), nil},
		{"policy turned off", model("enabled", strict), model("disabled", strict), []string{"EIDSCA.AF01|turns passkeys (FIDO2) off"}},
		{"self-service off", func() *fido2PolicyModel {
			m := model("enabled", strict)
			m.IsSelfServiceRegistrationAllowed = types.BoolValue(true)
			return m
		}(),
			func() *fido2PolicyModel {
				m := model("enabled", strict)
				m.IsSelfServiceRegistrationAllowed = types.BoolValue(false)
				return m
			}(),
			[]string{"EIDSCA.AF02|stops users registering passkeys themselves"}},
	}
	for _, c := range cases {
		assertWarnings(t, c.name, c.plan.weakenings(ctx, c.prior), c.want)
	}
}

// assertWarnings checks each finding against "control|text": the EIDSCA id
// exactly (empty for none) and a part of the detail.
func assertWarnings(t *testing.T, name string, got []finding, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: got findings %+v, want %d like %q", name, got, len(want), want)
		return
	}
	for i := range want {
		control, text, _ := strings.Cut(want[i], "|")
		if got[i].control != control || !strings.Contains(got[i].detail, text) || got[i].recommended == "" {
			t.Errorf("%s: finding %d = %+v, want control %q, a recommended value, and a detail containing %q", name, i, got[i], control, text)
		}
	}
}
