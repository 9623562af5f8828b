package emulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Client assertions are checked as Entra checks them: each way an assertion
// can be wrong gets its own AADSTS refusal, and a right one a token.
func TestClientAssertions(t *testing.T) {
	e := start(t, Options{})
	c, _ := client(t, e)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "app"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.RegisterCertificate(der); err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	thumb := sha256.Sum256(der)
	certAssertion := func(aud string, exp time.Duration, signer *rsa.PrivateKey) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodPS256, jwt.RegisteredClaims{Issuer: e.ClientID(), Subject: e.ClientID(),
			Audience: jwt.ClaimStrings{aud}, ExpiresAt: jwt.NewNumericDate(time.Now().Add(exp)), NotBefore: jwt.NewNumericDate(time.Now().Add(-time.Minute))})
		tok.Header["x5t#S256"] = base64.StdEncoding.EncodeToString(thumb[:])
		s, err := tok.SignedString(signer)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tokenURL := e.URL() + "/" + e.TenantID() + "/oauth2/v2.0/token"
	cases := []struct {
		name, assertion, want string
	}{
		{"certificate", certAssertion(tokenURL, 10*time.Minute, key), ""},
		{"certificate, signed by another key", certAssertion(tokenURL, 10*time.Minute, other), "AADSTS700027: Client assertion failed signature validation."},
		{"certificate, for another audience", certAssertion("https://login.example/token", 10*time.Minute, key), "AADSTS50012"},
		{"certificate, expired", certAssertion(tokenURL, -10*time.Minute, key), "AADSTS700024"},
		{"workload identity token", e.WorkloadIdentityToken(time.Hour), ""},
		{"workload identity token, expired", e.WorkloadIdentityToken(-time.Hour), "AADSTS700024"},
		{"federated token, wrong audience", e.mint(e.githubIssuer(), GitHubSubject, "api://elsewhere", time.Hour), "AADSTS700212"},
		{"federated token, unknown subject", e.mint(e.githubIssuer(), "repo:contoso/other:ref:refs/heads/main", federatedAudience, time.Hour), "AADSTS700213"},
		{"federated token, unknown issuer", e.mint("https://issuer.example", GitHubSubject, federatedAudience, time.Hour), "AADSTS700211"},
		{"not a JWT", "not-a-jwt", "AADSTS50027"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := c.PostForm(tokenURL, url.Values{
				"grant_type": {"client_credentials"}, "client_id": {e.ClientID()}, "scope": {e.URL() + "/.default"},
				"client_assertion_type": {jwtBearer}, "client_assertion": {tc.assertion},
			})
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if tc.want == "" {
				if resp.StatusCode != 200 || !strings.Contains(string(body), "access_token") {
					t.Fatalf("HTTP %d %s, want a token", resp.StatusCode, body)
				}
				return
			}
			if resp.StatusCode != 401 || !strings.Contains(string(body), tc.want) {
				t.Fatalf("HTTP %d %s, want 401 with %s", resp.StatusCode, body, tc.want)
			}
		})
	}
	if g := e.Grants(); g[GrantCertificate] != 1 || g[GrantFederated] != 1 {
		t.Errorf("grants %v, want one certificate and one federated", g)
	}
}
