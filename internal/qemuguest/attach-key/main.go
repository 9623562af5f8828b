//go:build linux

// Command attach-key attaches a software security key to a Linux machine as
// a kernel HID device (through /dev/uhid), where libfido2 finds it like any
// key, and serves it until it is stopped. The release tier runs it in its
// QEMU guest, beside the provider as released.
//
//	attach-key -state key.json
package main

import (
	"flag"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

func main() {
	state := flag.String("state", "", "the software key's state file")
	flag.Parse()
	core, err := softkey.OpenSoftware(*state)
	if err != nil {
		log.Fatalf("attach-key: %v", err)
	}
	dev, err := softkey.AttachUHID(core, "Entra test key", 0x1209, 0xf1d0)
	if err != nil {
		log.Fatalf("attach-key: %v", err)
	}
	defer func() { _ = dev.Destroy() }()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
}
