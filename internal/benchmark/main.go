// Command benchmark measures the provider against the Graph emulator with
// the real terraform CLI, for N = 10, 100 and 1000 users, and prints a table:
// apply and plan (refresh) wall time, Graph requests by kind, tokens fetched,
// the provider's peak RSS and start time, and each time as a ratio to its
// floor: the same reads by a minimal Go client at Terraform's default
// parallelism (10), measured in the same run. A second plan runs with
// Graph's latency (-latency, 80 ms by default) beside its floor there:
// the plan's requests × latency ÷ parallelism. Run it with `make bench`.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

// magicCookie is go-plugin's handshake cookie for Terraform providers.
const magicCookie = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

type result struct {
	n                  int
	objects            int
	apply, plan, floor time.Duration
	planNoRefresh      time.Duration
	planRequests       map[string]int
	planTokens         int
	rssMB              float64
	start              time.Duration
	budgetApply        time.Duration
	budgetPlan         time.Duration
	budgetRequests     int
	budgetThrottled    int
	latencyPlan        time.Duration
	latencyRequests    int
}

// parallelism is Terraform's default -parallelism.
const parallelism = 10

func main() {
	sizes := flag.String("n", "10,100,1000", "numbers of users to measure")
	budget := flag.Int("budget", 100, "requests per second the tenant allows in the throttled run (0 skips it)")
	latency := flag.Duration("latency", 80*time.Millisecond, "Graph's latency for the realistic plan (0 skips it)")
	flag.Parse()
	work, err := os.MkdirTemp("", "entra-bench")
	check(err)
	defer os.RemoveAll(work)
	check(emulator.TrustCA(work))
	provider := filepath.Join(work, "bin", "terraform-provider-entra")
	build := exec.Command("go", "build", "-tags", "nolibfido2", "-o", provider, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	check(build.Run())
	rc := filepath.Join(work, "terraformrc")
	check(os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides { "entra-tf/entra" = %q }
  direct {}
}
`, filepath.Dir(provider))), 0o644))

	var results []result
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		check(err)
		r := run(work, rc, provider, n, *budget, *latency)
		results = append(results, r)
		fmt.Fprintf(os.Stderr, "N=%d done\n", n)
	}
	report(results, *budget, *latency)
}

func run(work, rc, provider string, n, budget int, latency time.Duration) result {
	r := result{n: n, objects: 2*n + 2}
	e, dir, env, users := setup(work, rc, n, "")
	r.apply = terraform(dir, env, nil, "apply", "-auto-approve", "-input=false")
	e.ResetRequests()
	var peak float64
	r.plan = terraform(dir, env, &peak, "plan", "-input=false", "-detailed-exitcode")
	r.rssMB = peak
	r.planRequests = e.Requests()
	r.planTokens = r.planRequests["POST token"]
	r.floor = floor(e, users)
	// Terraform's own share: the same plan without reading anything.
	r.planNoRefresh = terraform(dir, env, nil, "plan", "-input=false", "-refresh=false", "-detailed-exitcode")
	r.start = startTime(provider)
	if latency > 0 {
		e.SetLatency(latency, latency/4)
		e.ResetRequests()
		r.latencyPlan = terraform(dir, env, nil, "plan", "-input=false", "-detailed-exitcode")
		r.latencyRequests = graphRequests(e.Requests())
	}
	e.Close()
	if budget > 0 {
		// A fresh tenant that allows budget requests a second, as Graph's
		// throttling does: apply and plan must still complete.
		e, dir, env, _ := setup(work, rc, n, "-budget")
		e.SetBudget(budget, time.Second)
		r.budgetApply = terraform(dir, env, nil, "apply", "-auto-approve", "-input=false")
		e.ResetRequests()
		r.budgetPlan = terraform(dir, env, nil, "plan", "-input=false", "-detailed-exitcode")
		r.budgetRequests = graphRequests(e.Requests())
		r.budgetThrottled = e.Throttled()
		e.Close()
	}
	return r
}

// graphRequests counts the requests to Graph itself, leaving out the
// identity platform's.
func graphRequests(counts map[string]int) int {
	n := 0
	for k, v := range counts {
		if k != "POST token" && k != "GET openid-configuration" {
			n += v
		}
	}
	return n
}

// setup starts a tenant of n users, each with a FIDO2 registration to
// import, and writes the configuration that manages them.
func setup(work, rc string, n int, suffix string) (*emulator.Emulator, string, []string, []emulator.User) {
	users := emulator.GenerateUsers(n)
	e, err := emulator.Start(emulator.Options{Users: users})
	check(err)
	// The TAP policy is enabled outside Terraform first: passes are checked
	// against it at plan.
	adminHTTP(e).patch("TemporaryAccessPass", `{"@odata.type":"#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration","state":"enabled"}`)
	imports := map[string]string{}
	for i, u := range users {
		imports[u.ID] = u.ID + "/" + e.SeedFido2Method(u.ID, fmt.Sprintf("Key %d", i+1), "cb69481e-8ff7-4039-93ec-0a2729a154a8")
	}
	dir := filepath.Join(work, fmt.Sprintf("n%d%s", n, suffix))
	check(os.MkdirAll(dir, 0o755))
	check(os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config(users, imports)), 0o644))
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1",
		"ENTRA_GRAPH_ENDPOINT="+e.URL(), "ENTRA_AUTHORITY_HOST="+e.URL(),
		"ARM_TENANT_ID="+e.TenantID(), "ARM_CLIENT_ID="+e.ClientID(), "ARM_CLIENT_SECRET="+e.ClientSecret())
	return e, dir, env, users
}

// config manages one Temporary Access Pass per user, imports each user's
// existing FIDO2 registration, and both policies.
func config(users []emulator.User, imports map[string]string) string {
	var b strings.Builder
	b.WriteString(`terraform {
  required_providers {
    entra = { source = "entra-tf/entra" }
  }
}
provider "entra" {}

resource "entra_temporary_access_pass_policy" "this" {
  state = "enabled"
}

resource "entra_fido2_policy" "this" {
  state           = "enabled"
  include_targets = [{ id = "all_users", allowed_passkey_profiles = ["00000000-0000-0000-0000-000000000001"] }]
}

locals {
  users = {
`)
	for _, u := range users {
		fmt.Fprintf(&b, "    %q = %q\n", u.ID, imports[u.ID])
	}
	b.WriteString(`  }
}

resource "entra_temporary_access_pass" "tap" {
  for_each   = local.users
  user_id    = each.key
  depends_on = [entra_temporary_access_pass_policy.this]
}

import {
  for_each = local.users
  to       = entra_fido2_method.key[each.key]
  id       = each.value
}

resource "entra_fido2_method" "key" {
  for_each     = local.users
  user_id      = each.key
  display_name = "Key ${index(keys(local.users), each.key) + 1}"
}
`)
	return b.String()
}

// terraform runs a command and returns its wall time; with peak it also
// samples the provider process's peak RSS (VmHWM) while the command runs.
func terraform(dir string, env []string, peak *float64, args ...string) time.Duration {
	cmd := exec.Command("terraform", args...)
	cmd.Dir, cmd.Env = dir, env
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	check(cmd.Start())
	done := make(chan struct{})
	var wg sync.WaitGroup
	if peak != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				*peak = max(*peak, providerHWM())
				select {
				case <-done:
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}()
	}
	err := cmd.Wait()
	elapsed := time.Since(start)
	close(done)
	wg.Wait()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 0 {
			log.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
	}
	if strings.Contains(args[0], "plan") && !strings.Contains(out.String(), "No changes.") {
		log.Fatalf("the plan after apply is not empty:\n%s", out.String())
	}
	return elapsed
}

// providerHWM is the largest VmHWM (MB) of running provider processes.
func providerHWM() float64 {
	var mb float64
	procs, _ := filepath.Glob("/proc/[0-9]*/comm")
	for _, p := range procs {
		comm, err := os.ReadFile(p)
		if err != nil || !strings.HasPrefix(string(comm), "terraform-provi") {
			continue
		}
		f, err := os.Open(filepath.Join(filepath.Dir(p), "status"))
		if err != nil {
			continue
		}
		s := bufio.NewScanner(f)
		for s.Scan() {
			if kb, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
				v, _ := strconv.Atoi(strings.Fields(kb)[0])
				mb = max(mb, float64(v)/1024)
			}
		}
		f.Close()
	}
	return mb
}

// floor does the plan's reads with a minimal client: one token, then every
// GET the refresh needs, ten at a time.
func floor(e *emulator.Emulator, users []emulator.User) time.Duration {
	start := time.Now()
	c := adminHTTP(e)
	paths := []string{
		"/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass",
		"/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Fido2",
	}
	// One list of each user's methods holds both of the user's objects.
	for _, u := range users {
		paths = append(paths, "/users/"+u.ID+"/authentication/methods")
	}
	work := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < parallelism; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				c.get(p)
			}
		}()
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	wg.Wait()
	return time.Since(start)
}

// startTime is how long the provider binary takes to be ready to serve:
// from exec to go-plugin's handshake line (best of five).
func startTime(provider string) time.Duration {
	best := time.Hour
	for i := 0; i < 5; i++ {
		cmd := exec.Command(provider)
		cmd.Env = append(os.Environ(), "TF_PLUGIN_MAGIC_COOKIE="+magicCookie, "PLUGIN_PROTOCOL_VERSIONS=6")
		out, err := cmd.StdoutPipe()
		check(err)
		start := time.Now()
		check(cmd.Start())
		line, _ := bufio.NewReader(out).ReadString('\n')
		d := time.Since(start)
		_ = cmd.Process.Kill() // the plugin is measured, not run
		_ = cmd.Wait()
		if !strings.Contains(line, "|6|") {
			log.Fatalf("provider handshake: %q", line)
		}
		best = min(best, d)
	}
	return best
}

type client struct {
	e     *emulator.Emulator
	h     *http.Client
	token string
}

func adminHTTP(e *emulator.Emulator) *client {
	cred, err := e.Credential()
	check(err)
	tok, err := cred.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{e.URL() + "/.default"}})
	check(err)
	return &client{e: e, h: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 10}}, token: tok.Token}
}

func (c *client) do(method, path, body string) {
	req, _ := http.NewRequest(method, c.e.URL()+"/v1.0"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.h.Do(req)
	check(err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		log.Fatalf("%s %s: HTTP %d", method, path, resp.StatusCode)
	}
}

func (c *client) get(path string) { c.do("GET", path, "") }
func (c *client) patch(id, body string) {
	c.do("PATCH", "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/"+id, body)
}

func report(rs []result, budget int, latency time.Duration) {
	fmt.Println("| N users | objects | apply | plan (refresh) | plan without refresh | floor | plan / floor | GET requests / object | requests by kind (plan) | tokens (plan) | provider peak RSS | provider start |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|")
	for _, r := range rs {
		gets := 0
		var kinds []string
		for k, v := range r.planRequests {
			if strings.HasPrefix(k, "GET ") && k != "GET openid-configuration" {
				gets += v
			}
			kinds = append(kinds, fmt.Sprintf("%s %d", k, v))
		}
		sort.Strings(kinds)
		fmt.Printf("| %d | %d | %s | %s | %s | %s | %.2f× | %.2f | %s | %d | %.0f MB | %s |\n",
			r.n, r.objects, round(r.apply), round(r.plan), round(r.planNoRefresh), round(r.floor), float64(r.plan)/float64(r.floor),
			float64(gets)/float64(r.objects), strings.Join(kinds, ", "), r.planTokens, r.rssMB, round(r.start))
	}
	if latency > 0 {
		fmt.Printf("\nWith Graph's latency of %s (± %s), the floor being requests × latency ÷ %d:\n\n", latency, latency/4, parallelism)
		fmt.Println("| N users | plan (refresh) | floor | plan / floor | Graph requests | requests / object |")
		fmt.Println("|---:|---:|---:|---:|---:|---:|")
		for _, r := range rs {
			fl := time.Duration(r.latencyRequests) * latency / parallelism
			fmt.Printf("| %d | %s | %s | %.2f× | %d | %.2f |\n", r.n, round(r.latencyPlan), round(fl), float64(r.latencyPlan)/float64(fl),
				r.latencyRequests, float64(r.latencyRequests)/float64(r.objects))
		}
	}
	if budget > 0 {
		fmt.Printf("\nUnder a budget of %d requests per second (429 with Retry-After beyond it):\n\n", budget)
		fmt.Println("| N users | apply | plan (refresh) | plan requests | requests / object | answered 429 (apply and plan) |")
		fmt.Println("|---:|---:|---:|---:|---:|---:|")
		for _, r := range rs {
			fmt.Printf("| %d | %s | %s | %d | %.2f | %d |\n", r.n, round(r.budgetApply), round(r.budgetPlan), r.budgetRequests, float64(r.budgetRequests)/float64(r.objects), r.budgetThrottled)
		}
	}
}

func round(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(10 * time.Millisecond).String()
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
