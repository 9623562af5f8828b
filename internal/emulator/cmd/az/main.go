// Command az stands in for the Azure CLI against the emulator: it answers
// `az account get-access-token` for the session the emulator's
// AzureCLILogin wrote into AZURE_CONFIG_DIR, by the refresh token grant, as
// the CLI does, and prints the CLI's JSON. Anything else is refused.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/entra-tf/terraform-provider-entra/internal/emulator"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ERROR:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 2 || args[0] != "account" || args[1] != "get-access-token" {
		return fmt.Errorf("'%s' is not a command of this Azure CLI stand-in, which answers 'az account get-access-token' only", strings.Join(args, " "))
	}
	fs := flag.NewFlagSet("get-access-token", flag.ContinueOnError)
	resource := fs.String("resource", "", "")
	tenant := fs.String("tenant", "", "")
	fs.String("o", "json", "")
	fs.String("output", "json", "")
	fs.String("subscription", "", "")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	dir := os.Getenv("AZURE_CONFIG_DIR")
	endpoint, loginTenant, refresh, err := emulator.ReadCLILogin(dir)
	if err != nil || dir == "" {
		return fmt.Errorf("Please run 'az login' to setup account.")
	}
	if *tenant != "" && !strings.EqualFold(*tenant, loginTenant) {
		return fmt.Errorf("the signed-in account has no access to tenant %s. Please run 'az login --tenant %s'.", *tenant, *tenant)
	}
	resp, err := http.PostForm(endpoint, url.Values{
		"grant_type": {"refresh_token"}, "client_id": {emulator.AzureCLIClientID},
		"refresh_token": {refresh}, "scope": {*resource + "/.default offline_access"},
	})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		Error       string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s Please run 'az login' to setup account.", tok.Error)
	}
	exp := time.Now().Add(time.Duration(tok.ExpiresIn) * time.Second)
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"accessToken": tok.AccessToken, "expiresOn": exp.Format("2006-01-02 15:04:05.000000"), "expires_on": exp.Unix(),
		"subscription": "", "tenant": loginTenant, "tokenType": "Bearer",
	})
}
