package graph

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

func TestRedirectIsNoSuccess(t *testing.T) {
	e := startEmulator(t)
	c, _ := newTestClient(t, e, DefaultRetryPolicy)
	ctx := context.Background()
	e.Inject(emulator.Fault{Method: "DELETE", PathContains: "TemporaryAccessPass", Action: "redirect"})
	err := c.ResetPolicy(ctx, TemporaryAccessPassID)
	var ge *Error
	if !errors.As(err, &ge) || ge.StatusCode != 302 || !strings.Contains(err.Error(), "DELETE") || !strings.Contains(err.Error(), "TemporaryAccessPass") {
		t.Fatalf("a 302 to a DELETE should fail naming the status and the request, got %v", err)
	}
	if MaybeDone(err) {
		t.Error("a redirect is an answer: Graph did not act")
	}
	if n := e.Requests()["GET me"]; n != 0 {
		t.Errorf("the redirect was followed %d times", n)
	}
}

func TestSuccessWithoutBodyIsNoSuccess(t *testing.T) {
	e := startEmulator(t)
	c, _ := newTestClient(t, e, DefaultRetryPolicy)
	e.Inject(emulator.Fault{Method: "GET", PathContains: "TemporaryAccessPass", Action: "empty"})
	if p, err := c.GetTemporaryAccessPassPolicy(context.Background()); err == nil {
		t.Fatalf("a 200 without a body should fail, got %+v", p)
	} else if !strings.Contains(err.Error(), "GET") || !strings.Contains(err.Error(), "TemporaryAccessPass") {
		t.Errorf("the error should name the request: %v", err)
	}
}

func TestAnswerBodyCapped(t *testing.T) {
	body := &cappedBody{r: io.NopCloser(strings.NewReader(strings.Repeat("x", 100))), left: 64, what: "GET /users"}
	_, err := io.ReadAll(body)
	if !errors.Is(err, errAnswerTooLarge) || !strings.Contains(err.Error(), "GET /users") {
		t.Fatalf("a body over the cap should fail naming the request, got %v", err)
	}
	exact := &cappedBody{r: io.NopCloser(strings.NewReader(strings.Repeat("x", 64))), left: 64, what: "GET /users"}
	if b, err := io.ReadAll(exact); err != nil || len(b) != 64 {
		t.Fatalf("a body of exactly the cap should be read whole: %d bytes, %v", len(b), err)
	}
}
