#!/usr/bin/env bash
# Binary audit benchmark: how long `tykdeps audit` and `tykdeps inspect` take, and
# how much memory they use, against the size of the files they read.
#
# Builds a plugin-capable "gateway" that links a large part of the standard
# library (net/http, crypto/tls, database/sql, html/template, ...) and a plugin
# sharing a package with it, in a temp dir, with the real go command; then
# measures the audit of that pair and the inspect of the largest toolchain binary.
#
# Usage: bench/binary-audit.sh            (uses $CARGO_TARGET_DIR or target/, debug build)
#        TYKDEPS=path/to/tykdeps bench/binary-audit.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tykdeps=${TYKDEPS:-${CARGO_TARGET_DIR:-$root/target}/debug/tykdeps}
[ -x "$tykdeps" ] || { echo "no tykdeps binary at $tykdeps (cargo build -p tykdeps)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/shared" "$work/gw" "$work/plug"
printf 'module example.com/shared\n\ngo 1.22\n' > "$work/shared/go.mod"
printf 'package shared\n\nfunc Hello() string { return "hi" }\n' > "$work/shared/shared.go"
for m in gw plug; do
  printf 'module example.com/%s\n\ngo 1.22\n\nrequire example.com/shared v0.0.0\n\nreplace example.com/shared => ../shared\n' "$m" > "$work/$m/go.mod"
done
cat > "$work/gw/main.go" <<'GO'
package main

import (
	"crypto/tls"
	"database/sql"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httputil"
	"net/smtp"
	"os"
	"plugin"
	"regexp"
	"text/tabwriter"

	"example.com/shared"
)

func main() {
	_ = []any{tls.Config{}, sql.Open, json.Marshal, xml.Marshal, template.New, http.ListenAndServe,
		httputil.NewSingleHostReverseProxy, smtp.Dial, regexp.MustCompile, tabwriter.NewWriter, shared.Hello}
	for _, p := range os.Args[1:] {
		_, err := plugin.Open(p)
		fmt.Println(p, err)
	}
}
GO
printf 'package main\n\nimport "example.com/shared"\n\nfunc Greet() string { return shared.Hello() }\n' > "$work/plug/main.go"
export GOFLAGS=-buildvcs=false GOTOOLCHAIN=local GOPROXY=off
(cd "$work/gw" && go build -trimpath -o ../gateway .)
(cd "$work/plug" && go build -trimpath -buildmode=plugin -o ../plugin.so .)
"$work/gateway" "$work/plugin.so"

biggest=$(ls -S "$(go env GOROOT)"/pkg/tool/*/* "$(go env GOROOT)"/bin/* | head -1)
size() { stat -c %s "$1" | awk '{ printf "%.1f MB", $1 / 1e6 }'; }
echo "gateway: $(size "$work/gateway"), plugin: $(size "$work/plugin.so"), $biggest: $(size "$biggest")"

audit=("$tykdeps" audit --gateway-bin "$work/gateway" --plugin-so "$work/plugin.so" --format json)
inspect=("$tykdeps" inspect --json "$biggest")
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 3 --runs 30 -N "${audit[*]}" "${inspect[*]}"
else
  for cmd in audit inspect; do
    declare -n argv=$cmd
    start=$(date +%s%N)
    for _ in $(seq 30); do "${argv[@]}" > /dev/null; done
    echo "$cmd: $(( ($(date +%s%N) - start) / 30000000 )) ms mean over 30 runs"
  done
fi
for cmd in audit inspect; do
  declare -n argv=$cmd
  /usr/bin/time -v "${argv[@]}" 2>&1 > /dev/null | awk -v c="$cmd" '/Maximum resident/ { print c ": peak RSS " $6 " KB" }'
done
