// Command entra-emulator runs the Graph emulator standalone so Terraform can
// be pointed at it for offline plans and applies.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8443", "listen address")
	caFile := flag.String("ca-file", "emulator-ca.pem", "where to write the emulator's CA certificate")
	legacy := flag.Bool("legacy-fido2", false, "seed a tenant not yet migrated to passkey profiles")
	flag.Parse()

	e, err := emulator.Start(emulator.Options{Addr: *addr, LegacyFido2: *legacy})
	if err != nil {
		log.Fatalf("entra-emulator: %v", err)
	}
	defer e.Close()
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
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}
