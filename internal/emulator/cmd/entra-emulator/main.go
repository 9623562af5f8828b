// Command entra-emulator runs the Graph emulator standalone so Terraform can
// be pointed at it for offline plans and applies.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8443", "listen address")
	caFile := flag.String("ca-file", "emulator-ca.pem", "where to write the emulator's CA certificate")
	legacy := flag.Bool("legacy-fido2", false, "seed a tenant not yet migrated to passkey profiles")
	keyDir := flag.String("software-key-dir", "", "create a software security key (PIN 1234) in this directory, if it has none, and trust its attestation")
	lag := flag.Duration("lag", 0, "replication lag: for this long after a write, reads are stale and new passes and keys are missing")
	expand := flag.Bool("profiles-only-when-expanded", false, "leave passkey profiles out of Fido2 reads that do not ask for $expand=passkeyProfiles")
	serverIDs := flag.Bool("server-assigned-profile-ids", false, "give new passkey profiles ids of the server's, whatever the client sent")
	opaque := flag.Bool("opaque-method-ids", false, "give FIDO2 methods ids unrelated to their credential ids")
	latency := flag.Duration("latency", 0, "answer each Graph request after about this long, as Graph does (80ms is realistic)")
	jitter := flag.Duration("jitter", 0, "spread -latency by up to this much either way")
	flag.Parse()

	opts := emulator.Options{Addr: *addr, LegacyFido2: *legacy, ProfilesOnlyWhenExpanded: *expand,
		ServerAssignedProfileIDs: *serverIDs, OpaqueMethodIDs: *opaque, Latency: *latency, Jitter: *jitter}
	if *keyDir != "" {
		ca, err := softwareKey(*keyDir)
		if err != nil {
			log.Fatalf("entra-emulator: software key: %v", err)
		}
		opts.TrustedAttestationCAs = [][]byte{ca}
	}
	e, err := emulator.Start(opts)
	if err != nil {
		log.Fatalf("entra-emulator: %v", err)
	}
	defer e.Close()
	e.SetLag(*lag)
	abs, err := filepath.Abs(*caFile)
	if err != nil {
		log.Fatalf("entra-emulator: %v", err)
	}
	if err := e.WriteCAFile(abs); err != nil {
		log.Fatalf("entra-emulator: %v", err)
	}
	// The client secret printed here is the emulator's fixed test secret.
	fmt.Printf(`# Graph emulator listening on %[1]s. Point the provider at it with:
export SSL_CERT_FILE=%[2]s
export ENTRA_GRAPH_ENDPOINT=%[1]s
export ENTRA_AUTHORITY_HOST=%[1]s
export ARM_TENANT_ID=%[3]s
export ARM_CLIENT_ID=%[4]s
export ARM_CLIENT_SECRET=%[5]s
`, e.URL(), abs, e.TenantID(), e.ClientID(), e.ClientSecret())
	if *keyDir != "" {
		dir, _ := filepath.Abs(*keyDir)
		fmt.Printf("export ENTRA_SOFTWARE_AUTHENTICATOR_DIR=%s\n", dir)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}

// softwareKey makes sure dir holds a software key and returns the DER of its
// attestation CA, which the emulated tenant then trusts.
func softwareKey(dir string) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "software-key.json")
	s, err := softkey.OpenSoftware(path)
	if errors.Is(err, os.ErrNotExist) {
		s, err = softkey.CreateSoftware(path, softkey.SoftwareOptions{PIN: "1234"})
	}
	if err != nil {
		return nil, err
	}
	return s.AttestationCA(), nil
}
