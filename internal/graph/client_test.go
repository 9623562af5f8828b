package graph

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "graph-test")
	if err == nil {
		err = emulator.TrustCA(dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// recordedSleeps replaces real waiting with a record of the delays asked for.
type recordedSleeps []time.Duration

func (r *recordedSleeps) sleep(ctx context.Context, d time.Duration) error {
	*r = append(*r, d)
	return ctx.Err()
}

func newTestClient(t *testing.T, e *emulator.Emulator, policy RetryPolicy) (*Client, *recordedSleeps) {
	t.Helper()
	cred, err := e.Credential()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Endpoint: e.URL(), Credential: cred, Retry: policy})
	if err != nil {
		t.Fatal(err)
	}
	sleeps := &recordedSleeps{}
	replaceSleep(c, sleeps.sleep)
	return c, sleeps
}

func startEmulator(t *testing.T) *emulator.Emulator {
	e, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	return e
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	e := startEmulator(t)
	c, sleeps := newTestClient(t, e, DefaultRetryPolicy)
	e.Inject(emulator.Fault{Method: "GET", PathContains: "TemporaryAccessPass", Status: 429, RetryAfter: 7, Times: 2})
	p, err := c.GetTemporaryAccessPassPolicy(context.Background())
	if err != nil {
		t.Fatalf("throttled GET should succeed after retries: %v", err)
	}
	if p.DefaultLength != 8 {
		t.Errorf("default length = %d, want the tenant default 8", p.DefaultLength)
	}
	if len(*sleeps) != 2 || (*sleeps)[0] != 7*time.Second || (*sleeps)[1] != 7*time.Second {
		t.Errorf("waits = %v, want two waits of the 7s Retry-After", *sleeps)
	}
	if n := e.Requests()["GET authenticationMethodConfigurations"]; n != 3 {
		t.Errorf("emulator saw %d GETs, want 3", n)
	}
}

func TestRetryTransientServerErrors(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		e := startEmulator(t)
		c, sleeps := newTestClient(t, e, DefaultRetryPolicy)
		e.Inject(emulator.Fault{PathContains: "Fido2", Status: status, Times: 3})
		if _, err := c.GetFido2Policy(context.Background()); err != nil {
			t.Errorf("%d: GET should succeed after retries: %v", status, err)
		}
		if len(*sleeps) != 3 {
			t.Errorf("%d: %d waits, want 3", status, len(*sleeps))
		}
		for i, d := range *sleeps {
			if max := DefaultRetryPolicy.BaseDelay << i; d > max || d < max/2 {
				t.Errorf("%d: backoff %d = %v, want within [%v, %v]", status, i, d, max/2, max)
			}
		}
	}
}

func TestRetryBudgetExhausted(t *testing.T) {
	e := startEmulator(t)
	c, sleeps := newTestClient(t, e, RetryPolicy{MaxAttempts: 5, MaxWait: 10 * time.Second, BaseDelay: time.Millisecond})
	// A Retry-After beyond the budget is not waited for: the caller learns it
	// is throttled at once.
	e.Inject(emulator.Fault{Status: 429, RetryAfter: 60, PathContains: "Fido2"})
	_, err := c.GetFido2Policy(context.Background())
	if !IsThrottled(err) {
		t.Fatalf("want a throttled error, got %v", err)
	}
	if len(*sleeps) != 0 {
		t.Errorf("waited %v despite a Retry-After beyond the budget", *sleeps)
	}
	// Attempts are bounded too.
	e.Inject(emulator.Fault{Status: 503, PathContains: "Fido2", Times: 10})
	if _, err := c.GetFido2Policy(context.Background()); err == nil {
		t.Fatal("want an error after MaxAttempts")
	}
	if n := e.Requests()["GET authenticationMethodConfigurations"]; n != 6 {
		t.Errorf("emulator saw %d GETs, want 1 + 5 attempts", n)
	}
}

func TestRetryStopsOnCancel(t *testing.T) {
	e := startEmulator(t)
	c, _ := newTestClient(t, e, DefaultRetryPolicy)
	replaceSleep(c, sleepCtx)
	e.Inject(emulator.Fault{Status: 429, RetryAfter: 30, PathContains: "Fido2"})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err := c.GetFido2Policy(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled while waiting out Retry-After, got %v", err)
	}
}

func TestErrorsAreTyped(t *testing.T) {
	e := startEmulator(t)
	c, _ := newTestClient(t, e, DefaultRetryPolicy)
	ctx := context.Background()

	err := c.ResetPolicy(ctx, "NoSuchMethod")
	if !IsNotFound(err) {
		t.Errorf("unknown configuration: want not found, got %v", err)
	}
	p, err := c.GetTemporaryAccessPassPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.MinimumLifetimeInMinutes, p.MaximumLifetimeInMinutes = 600, 60
	err = c.UpdateTemporaryAccessPassPolicy(ctx, *p, nil)
	var ge *Error
	if !IsBadRequest(err) || !errors.As(err, &ge) || ge.Code != "badRequest" ||
		ge.Message != "MinimumLifetimeInMinutes (600) cannot be greater than MaximumLifetimeInMinutes (60)." {
		t.Errorf("want Graph's bad request with its message, got %#v", err)
	}
}

func TestPolicyRoundTrip(t *testing.T) {
	e := startEmulator(t)
	c, _ := newTestClient(t, e, DefaultRetryPolicy)
	ctx := context.Background()
	f, err := c.GetFido2Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.DefaultPasskeyProfile == nil || len(f.PasskeyProfiles) != 1 {
		t.Fatalf("a migrated tenant has one default profile, got %+v", f)
	}
	f.PasskeyProfiles[0].AttestationEnforcement = "disabled"
	f.PasskeyProfiles[0].PasskeyTypes = "synced,deviceBound"
	f.IsAttestationEnforced, f.KeyRestrictions = nil, nil
	if _, err := c.UpdateFido2Policy(ctx, *f, nil, nil); err != nil {
		t.Fatal(err)
	}
	g, err := c.GetFido2Policy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g.PasskeyProfiles[0].PasskeyTypes != "deviceBound,synced" || g.IsAttestationEnforced == nil || *g.IsAttestationEnforced {
		t.Errorf("profile change not applied or legacy mirror stale: %+v", g)
	}
	if err := c.ResetPolicy(ctx, Fido2ID); err != nil {
		t.Fatal(err)
	}
	g, _ = c.GetFido2Policy(ctx)
	if g.PasskeyProfiles[0].AttestationEnforcement != "registrationOnly" {
		t.Errorf("DELETE should revert to defaults, got %+v", g.PasskeyProfiles[0])
	}
}

// Pre-checks share one policy read; a change through the client forgets it.
func TestPolicyCache(t *testing.T) {
	e := startEmulator(t)
	c, _ := newTestClient(t, e, DefaultRetryPolicy)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := c.CachedTemporaryAccessPassPolicy(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.Requests()["GET authenticationMethodConfigurations"]; n != 1 {
		t.Fatalf("three cached reads made %d GETs, want 1", n)
	}
	p, _ := c.CachedTemporaryAccessPassPolicy(ctx)
	changed := *p
	changed.State = "enabled"
	if err := c.UpdateTemporaryAccessPassPolicy(ctx, changed, nil); err != nil {
		t.Fatal(err)
	}
	if p, _ := c.CachedTemporaryAccessPassPolicy(ctx); p.State != "enabled" {
		t.Errorf("after an update the cache still says %q", p.State)
	}
}

// Collections larger than a page are read to the end through
// @odata.nextLink.
func TestListFollowsNextLink(t *testing.T) {
	u := emulator.User{ID: "aaaaaaaa-0000-4000-8000-000000000001", UserPrincipalName: "many@contoso.example"}
	for i := 0; i < 250; i++ {
		u.Groups = append(u.Groups, fmt.Sprintf("bbbbbbbb-0000-4000-8000-%012d", i))
	}
	e, err := emulator.Start(emulator.Options{Users: []emulator.User{u}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	c, _ := newTestClient(t, e, DefaultRetryPolicy)
	groups, err := c.ListUserGroupIDs(context.Background(), u.UserPrincipalName)
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 250 || groups[249] != u.Groups[249] {
		t.Fatalf("read %d groups, want all 250", len(groups))
	}
	if n := e.Requests()["GET transitiveMemberOf"]; n != 3 {
		t.Errorf("%d pages read, want 3", n)
	}
}

// A Retry-After longer than the HTTP client's own 100-second timeout is waited
// out within the retry budget (waits recorded, not slept).
func TestRetryAfterBeyondHundredSeconds(t *testing.T) {
	e := startEmulator(t)
	c, sleeps := newTestClient(t, e, DefaultRetryPolicy)
	e.Inject(emulator.Fault{Status: 429, RetryAfter: 250, PathContains: "Fido2"})
	if _, err := c.GetFido2Policy(context.Background()); err != nil {
		t.Fatalf("a 250 s Retry-After within the 5-minute budget: %v", err)
	}
	if len(*sleeps) != 1 || (*sleeps)[0] != 250*time.Second {
		t.Fatalf("waits = %v, want one of 250s", *sleeps)
	}
	// Beyond the budget: the caller is told it is throttled, not timed out.
	e.Inject(emulator.Fault{Status: 429, RetryAfter: 400, PathContains: "Fido2"})
	if _, err := c.GetFido2Policy(context.Background()); !IsThrottled(err) {
		t.Fatalf("a Retry-After beyond the budget: %v, want a throttled error", err)
	}
}

// The same through the real clock: Graph throttles with a Retry-After of
// 101 s, beyond the 100 s that kiota's HTTP client would allow the whole
// request, and the request still succeeds. It runs beside the other tests.
func TestRetryAfterBeyondHundredSecondsRealClock(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 101 s")
	}
	t.Parallel()
	e := startEmulator(t)
	c, _ := newTestClient(t, e, DefaultRetryPolicy)
	replaceSleep(c, sleepCtx)
	e.Inject(emulator.Fault{Status: 429, RetryAfter: 101, PathContains: "TemporaryAccessPass"})
	start := time.Now()
	if _, err := c.GetTemporaryAccessPassPolicy(context.Background()); err != nil {
		t.Fatalf("after %s: %v", time.Since(start).Round(time.Second), err)
	}
	if waited := time.Since(start); waited < 101*time.Second {
		t.Fatalf("answered after %s: the Retry-After was not honoured", waited)
	}
}

// A next-page link that points back at a page already read ends the list
// with an error instead of a loop.
func TestListRefusesRepeatedNextLink(t *testing.T) {
	e := startEmulator(t)
	c, _ := newTestClient(t, e, DefaultRetryPolicy)
	e.Inject(emulator.Fault{Method: "GET", PathContains: "transitiveMemberOf", Action: "self-link", Times: 1000})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.ListUserGroupIDs(ctx, "adele.vance@contoso.example")
	if err == nil || !strings.Contains(err.Error(), "was read already") {
		t.Fatalf("got %v, want the repeated link refused", err)
	}
	if n := e.Requests()["GET transitiveMemberOf"]; n != 1 {
		t.Errorf("%d pages read, want 1", n)
	}
}

// A refresh of a user's pass, FIDO2 registration, phone, email and Windows
// Hello registration reads the user's list of methods once and finds all
// of them there, as the item reads would give them;
// a list without the properties (SparseMethodList) sends each read to its
// item; a change through the client forgets the list, so a deleted pass is
// not found in it.
func TestRefreshReadsOneListPerUser(t *testing.T) {
	for _, sparse := range []bool{false, true} {
		e, err := emulator.Start(emulator.Options{SparseMethodList: sparse})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(e.Close)
		c, _ := newTestClient(t, e, DefaultRetryPolicy)
		ctx := context.Background()
		user := emulator.SeedUsers[0].ID
		p, _ := c.GetTemporaryAccessPassPolicy(ctx)
		p.State = "enabled"
		if err := c.UpdateTemporaryAccessPassPolicy(ctx, *p, nil); err != nil {
			t.Fatal(err)
		}
		pass, err := c.CreateTemporaryAccessPass(ctx, user, NewTemporaryAccessPass{})
		if err != nil {
			t.Fatal(err)
		}
		keyID := e.SeedFido2Method(user, "Key", "cb69481e-8ff7-4039-93ec-0a2729a154a8")
		phone, err := c.CreatePhoneMethod(ctx, user, PhoneMethod{PhoneNumber: "+1 2065550100", PhoneType: "mobile"})
		if err != nil {
			t.Fatal(err)
		}
		email, err := c.CreateEmailMethod(ctx, user, "adele@fabrikam.example")
		if err != nil {
			t.Fatal(err)
		}
		e.AddHeldMethod(user, emulator.HeldMethod{Kind: "windowsHelloForBusiness", ID: "w1", Properties: map[string]any{"displayName": "LAPTOP", "keyStrength": "normal"}})
		wantPass, _ := c.GetTemporaryAccessPass(ctx, user, pass.ID)
		wantKey, _ := c.GetFido2Method(ctx, user, keyID)
		wantPhone, _ := c.GetPhoneMethod(ctx, user, phone.ID)
		wantEmail, _ := c.GetEmailMethod(ctx, user, email.ID)
		wantHello, _ := c.GetUserMethod(ctx, user, "windowsHelloForBusinessMethods", "w1")
		e.ResetRequests()

		gotPass, err1 := c.ReadTemporaryAccessPass(ctx, user, pass.ID)
		gotKey, err2 := c.ReadFido2Method(ctx, user, keyID)
		gotPhone, err3 := c.ReadPhoneMethod(ctx, user, phone.ID)
		gotEmail, err4 := c.ReadEmailMethod(ctx, user, email.ID)
		gotHello, err5 := c.ReadUserMethod(ctx, user, "windowsHelloForBusinessMethods", "w1", "displayName", "keyStrength", "createdDateTime")
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil || !reflect.DeepEqual(gotPass, wantPass) || !reflect.DeepEqual(gotKey, wantKey) ||
			!reflect.DeepEqual(gotPhone, wantPhone) || !reflect.DeepEqual(gotEmail, wantEmail) || string(gotHello["displayName"]) != string(wantHello["displayName"]) {
			t.Fatalf("sparse=%v: reads differ from the items' (%v): %+v %+v %+v %+v %s", sparse, err, gotPass, gotKey, gotPhone, gotEmail, gotHello["displayName"])
		}
		reqs := e.Requests()
		items := reqs["GET temporaryAccessPassMethods"] + reqs["GET fido2Methods"] + reqs["GET phoneMethods"] + reqs["GET emailMethods"] + reqs["GET windowsHelloForBusinessMethods"]
		if want := map[bool]int{false: 0, true: 5}[sparse]; reqs["GET methods"] != 1 || items != want {
			t.Errorf("sparse=%v: %d list and %d item reads, want 1 and %d", sparse, reqs["GET methods"], items, want)
		}

		if err := c.DeleteTemporaryAccessPass(ctx, user, pass.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ReadTemporaryAccessPass(ctx, user, pass.ID); !IsNotFound(err) {
			t.Errorf("sparse=%v: a deleted pass reads as %v, want a 404", sparse, err)
		}
	}
}

// A group's members are users and other objects; only the users count.
func TestListGroupUserIDsKeepsUsersOnly(t *testing.T) {
	e, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	c, _ := newTestClient(t, e, DefaultRetryPolicy)
	ids, err := c.ListGroupUserIDs(context.Background(), emulator.PilotGroupID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || ids[0] != emulator.SeedUsers[0].ID {
		t.Errorf("the pilot group's users are %v, want only %s (not its device %s)", ids, emulator.SeedUsers[0].ID, emulator.PilotDeviceID)
	}
}
