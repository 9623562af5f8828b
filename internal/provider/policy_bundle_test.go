package provider

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

// The policy bundle (policy/) evaluated against plans Terraform makes: the
// rollout is not denied, a weakening is, with the findings the plan's JSON
// carries; a destroy is warned about.
func TestAccPolicyBundle_realPlans(t *testing.T) {
	opa := os.Getenv("ENTRA_OPA")
	if opa == "" {
		t.Skip("set ENTRA_OPA to an opa binary (make test does)")
	}
	e := startEmulator(t, emulator.Options{})
	useEmulator(t, e)
	rollout := readExample(t, "passwordless-rollout")
	cli := newTerraformCLI(t, map[string]string{"main.tf": rollout})

	first := jsonPlan(t, cli)
	if deny, _ := evaluateBundle(t, opa, cli, first); len(deny) != 0 {
		t.Errorf("the rollout is denied: %q", deny)
	}
	if got := controlsOf(t, cli, first, "entra_fido2_policy.this"); got.before["EIDSCA.AF01"] != "not met" || got.after["EIDSCA.AF01"] != "met" {
		t.Errorf("the rollout's FIDO2 controls: before %v, after %v", got.before, got.after)
	}
	if names := afterOf(t, cli, first, "entra_temporary_access_pass_policy.this").TargetNames; names[emulator.BreakGlassGroupID] != "Break-glass accounts" ||
		names[emulator.PilotGroupID] != "Passkey pilot" || len(names) != 2 {
		t.Errorf("the TAP policy's planned target_names: %v", names)
	}
	if out, err := cli.run("apply", "-no-color", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("terraform apply: %v\n%s", err, out)
	}

	weak := strings.Replace(rollout, `state           = "disabled"
  include_targets = [{ id = "all_users", is_usable_for_sign_in = false }]`, `state           = "enabled"
  include_targets = [{ id = "all_users", is_usable_for_sign_in = true }]`, 1)
	if weak == rollout {
		t.Fatal("the rollout's SMS policy is not as this test expects")
	}
	cli.write(t, "main.tf", weak)
	plan := jsonPlan(t, cli)
	got := controlsOf(t, cli, plan, "entra_sms_policy.this")
	if got.before["EIDSCA.AS04"] != "met" || got.after["EIDSCA.AS04"] != "not met" {
		t.Errorf("the weakened SMS policy's controls: before %v, after %v", got.before, got.after)
	}
	text, err := cli.run("show", "-no-color", plan)
	if err != nil {
		t.Fatalf("terraform show: %v\n%s", err, text)
	}
	if !strings.Contains(text, `~ "EIDSCA.AS04" = "met" -> "not met"`) {
		t.Errorf("the plan does not show the weakened control:\n%s", text)
	}
	deny, _ := evaluateBundle(t, opa, cli, plan)
	if want := []string{"entra_sms_policy.this weakens EIDSCA.AS04: met before this plan, not met after it"}; !slices.Equal(deny, want) {
		t.Errorf("the weakening is denied with %q, want %q", deny, want)
	}

	cli.write(t, "main.tf", rollout)
	destroy := jsonPlan(t, cli, "-destroy")
	deny, warn := evaluateBundle(t, opa, cli, destroy)
	if len(deny) != 0 || !slices.Contains(warn, "entra_sms_policy.this resets the tenant's policy to Microsoft's defaults") {
		t.Errorf("the destroy: denied %q, warned %q", deny, warn)
	}
}

// jsonPlan plans into a file, and returns its name.
func jsonPlan(t *testing.T, cli *terraformCLI, args ...string) string {
	t.Helper()
	name := "plan-" + strings.ReplaceAll(t.Name(), "/", "-") + "-" + strings.Join(args, "")
	if out, err := cli.run(append([]string{"plan", "-no-color", "-input=false", "-out=" + name}, args...)...); err != nil {
		t.Fatalf("terraform plan: %v\n%s", err, out)
	}
	return name
}

// showJSON is what `terraform show -json` gives: the plan named, or the
// state.
func showJSON(t *testing.T, cli *terraformCLI, plan ...string) []byte {
	t.Helper()
	cmd := exec.Command(cli.bin, append([]string{"show", "-json"}, plan...)...)
	cmd.Dir, cmd.Env = cli.dir, cli.env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	return out
}

// reviewed is what a policy's change carries for review in the plan's JSON.
type reviewed struct {
	EIDSCA      map[string]string `json:"eidsca"`
	TargetNames map[string]string `json:"target_names"`
}

// changeOf is a resource's change in the plan's JSON: before and after.
func changeOf(t *testing.T, cli *terraformCLI, plan, address string) (before, after reviewed) {
	t.Helper()
	var p struct {
		ResourceChanges []struct {
			Address string
			Change  struct{ Before, After reviewed }
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(showJSON(t, cli, plan), &p); err != nil {
		t.Fatal(err)
	}
	for _, rc := range p.ResourceChanges {
		if rc.Address == address {
			return rc.Change.Before, rc.Change.After
		}
	}
	t.Fatalf("the plan has no change of %s", address)
	return reviewed{}, reviewed{}
}

func afterOf(t *testing.T, cli *terraformCLI, plan, address string) reviewed {
	t.Helper()
	_, after := changeOf(t, cli, plan, address)
	return after
}

type controlChange struct{ before, after map[string]string }

// controlsOf is the eidsca attribute of a resource's change in the plan's
// JSON.
func controlsOf(t *testing.T, cli *terraformCLI, plan, address string) controlChange {
	t.Helper()
	before, after := changeOf(t, cli, plan, address)
	return controlChange{before.EIDSCA, after.EIDSCA}
}

// evaluateBundle evaluates policy/ on the plan's JSON, as conftest does.
func evaluateBundle(t *testing.T, opa string, cli *terraformCLI, plan string) (deny, warn []string) {
	t.Helper()
	input := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(input, showJSON(t, cli, plan), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(opa, "eval", "--format", "json", "--data", filepath.Join("..", "..", "policy", "main.rego"),
		"--input", input, "data.main").Output()
	if err != nil {
		t.Fatalf("opa eval: %v", err)
	}
	var result struct {
		Result []struct {
			Expressions []struct {
				Value struct{ Deny, Warn []string }
			}
		}
	}
	if err := json.Unmarshal(out, &result); err != nil || len(result.Result) != 1 || len(result.Result[0].Expressions) != 1 {
		t.Fatalf("opa eval gave %s (%v)", out, err)
	}
	v := result.Result[0].Expressions[0].Value
	slices.Sort(v.Deny)
	slices.Sort(v.Warn)
	return v.Deny, v.Warn
}

// stateControls lists the EIDSCA controls the state's policies meet and do
// not meet, by id without "EIDSCA.".
func stateControls(t *testing.T, cli *terraformCLI) (met, unmet []string) {
	t.Helper()
	var state struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Mode   string
					Values struct {
						EIDSCA map[string]string `json:"eidsca"`
					}
				}
			} `json:"root_module"`
		}
	}
	if err := json.Unmarshal(showJSON(t, cli), &state); err != nil {
		t.Fatal(err)
	}
	for _, r := range state.Values.RootModule.Resources {
		for id, v := range r.Values.EIDSCA {
			if r.Mode != "managed" {
				continue
			}
			id = strings.TrimPrefix(id, "EIDSCA.")
			if v == "met" {
				met = append(met, id)
			} else {
				unmet = append(unmet, id)
			}
		}
	}
	slices.Sort(met)
	slices.Sort(unmet)
	return met, unmet
}
