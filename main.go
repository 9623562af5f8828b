// Command terraform-provider-entra is the entra Terraform provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/entra-tf/terraform-provider-entra/internal/provider"
)

// version is set by goreleaser.
var version = "dev"

func main() {
	debug := flag.Bool("debug", false, "run with support for debuggers such as delve")
	flag.Parse()
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/entra-tf/entra",
		Debug:   *debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
