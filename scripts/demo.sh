#!/usr/bin/env bash
# The README's main command: build the provider, start the bundled Graph
# emulator, and apply examples/demo against it with the real terraform CLI.
set -euo pipefail
# go.mod needs Go 1.27.3: the go command fetches it from the module proxy.
export GOTOOLCHAIN="${GOTOOLCHAIN:-go1.27.3}"
cd "$(dirname "$0")/.."
root=$PWD
command -v terraform >/dev/null || { echo "demo: terraform is not on PATH; install Terraform >= 1.11 first" >&2; exit 1; }

work=$root/.demo
rm -rf "$work" && mkdir -p "$work/bin" "$work/config"
echo "==> building the provider and the emulator"
# Built without the libfido2 driver: the demo enrols with the software key, so
# it needs no libfido2-dev on a fresh machine.
go build -tags nolibfido2 -o "$work/bin/terraform-provider-entra" .
go build -o "$work/entra-emulator" ./internal/emulator/cmd/entra-emulator

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18443)
"$work/entra-emulator" -addr "127.0.0.1:$port" -ca-file "$work/emulator-ca.pem" -software-key-dir "$work/keys" >"$work/emulator.env" 2>"$work/emulator.log" &
emulator=$!
trap 'kill $emulator 2>/dev/null || true' EXIT
for _ in $(seq 50); do grep -q ENTRA_SOFTWARE_AUTHENTICATOR_DIR "$work/emulator.env" 2>/dev/null && break; sleep 0.1; done
grep -q ENTRA_SOFTWARE_AUTHENTICATOR_DIR "$work/emulator.env" || { cat "$work/emulator.log" >&2; exit 1; }
# shellcheck disable=SC1091
source "$work/emulator.env"
echo "==> Graph emulator on $ENTRA_GRAPH_ENDPOINT (tenant $ARM_TENANT_ID), software security key in $ENTRA_SOFTWARE_AUTHENTICATOR_DIR"
# The software key's PIN, as the emulator created it (a demo value).
export ENTRA_SECURITY_KEY_PIN=1234

# dev_overrides points terraform at the local build: no registry, no init.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides { "entra-tf/entra" = "$work/bin" }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE=$work/terraformrc TF_IN_AUTOMATION=1
cp examples/demo/main.tf "$work/config/"
cd "$work/config"

echo "==> terraform plan (what a reviewer sees)"
terraform plan -no-color -out=demo.plan
echo "==> terraform apply"
terraform apply -no-color -auto-approve demo.plan 2>&1 | grep -E 'Creat|Apply complete|Error|Touch' || true
echo "==> what the tenant now holds (terraform output)"
terraform output -no-color
echo "==> a second plan converges"
terraform plan -no-color -detailed-exitcode >/dev/null 2>&1 && echo "No changes: the tenant matches the configuration." || { echo "demo: the second plan was not empty" >&2; exit 1; }
