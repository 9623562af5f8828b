package enrollment

import (
	"strings"
	"testing"

	"github.com/entra-tf/terraform-provider-entra/internal/policytable"
)

const user = "a2f1c6d4-0b1e-4c7a-9f3e-1d2c3b4a5f60"

// checkSays is how Check words each refusal of the shared table.
var checkSays = map[policytable.Why]string{
	policytable.NotAllowed:    "is not on its allow list",
	policytable.Blocked:       "is on its block list",
	policytable.NoAttestation: "it requires attestation and the key gave none",
	policytable.SyncedOnly:    "it allows synced passkeys only",
	policytable.Excluded:      "the FIDO2 policy excludes " + user,
	policytable.NotTargeted:   "no include target of the FIDO2 policy covers " + user,
	policytable.Disabled:      "the FIDO2 policy is disabled",
}

// Check gives the answers of the table the emulator is held to as well
// (emulator.TestRegistrationFollowsPolicyTable), and names the profile that
// refuses a key.
func TestCheck(t *testing.T) {
	for _, c := range policytable.Fido2Cases() {
		err := Check(&c.Policy, user, c.Groups, c.AAGUID, c.Attested)
		switch want := checkSays[c.Want]; {
		case c.Want == policytable.Allowed && err != nil:
			t.Errorf("%s: unexpected refusal: %v", c.Name, err)
		case c.Want != policytable.Allowed && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: got %v, want an error containing %q", c.Name, err, want)
		}
	}
	err := Check(&policytable.Fido2Cases()[1].Policy, user, []string{policytable.PilotGroup}, policytable.OtherAAGUID, true)
	if err == nil || !strings.Contains(err.Error(), `passkey profile "Pilot keys" refuses it`) {
		t.Errorf("a refusal names the profile: %v", err)
	}
}
