#!/usr/bin/env bash
# Binary audit benchmark: how long `tykdeps audit` and `tykdeps inspect` take, and
# how much memory they use, against the size of the files they read.
#
# Builds a plugin-capable "gateway" that links a large part of the standard
# library (net/http, crypto/tls, database/sql, html/template, ...) and a plugin
# sharing a package with it, in a temp dir, with the real go command; then
# measures the audit of that pair and the inspect of the largest binary at hand
# (the gateway, or the largest toolchain binary).
#
# Usage: bench/binary-audit.sh            (uses $CARGO_TARGET_DIR or target/, debug build)
#        TYKDEPS=path/to/tykdeps bench/binary-audit.sh
#        GATEWAY_BIN=tyk PLUGIN_SO=plugin.so bench/binary-audit.sh
#            (audit that pair instead, e.g. the real gateway that
#             `WORK=bench/out KEEP=1 bench/real-world.sh` leaves in bench/out)
#        RUNS=N (default 11) runs per command; the median is printed.
# Targets (issue 5): an audit under 100 ms, peak RSS under the two files' size.
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

gateway=${GATEWAY_BIN:-$work/gateway}
plugin=${PLUGIN_SO:-$work/plugin.so}
biggest=$(ls -S "$gateway" "$(go env GOROOT)"/pkg/tool/*/* "$(go env GOROOT)"/bin/* | head -1)
bytes() { stat -L -c %s "$@" | awk '{ s += $1 } END { print s }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
echo "gateway $gateway: $(mb "$(bytes "$gateway")"), plugin $plugin: $(mb "$(bytes "$plugin")"), $biggest: $(mb "$(bytes "$biggest")")"

audit=("$tykdeps" audit --gateway-bin "$gateway" --plugin-so "$plugin" --format json)
inspect=("$tykdeps" inspect --json "$biggest")
runs=${RUNS:-11}
# One run's wall time in ms; the audit exits 1 for a plugin that fails to load.
wall_ms() {
  local t0; t0=$(date +%s%N)
  "$@" > /dev/null || [ $? = 1 ]
  echo $(( ($(date +%s%N) - t0) / 1000000 ))
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
peak_kb() { { /usr/bin/time -v "$@" 2>&1 > /dev/null || true; } | awk '/Maximum resident/ { print $6 }'; }
for cmd in audit inspect; do
  declare -n argv=$cmd
  "${argv[@]}" > /dev/null || [ $? = 1 ]   # warm the page cache
  ms=$(for _ in $(seq "$runs"); do wall_ms "${argv[@]}"; done | median)
  rss=$(peak_kb "${argv[@]}")
  case $cmd in audit) files=$(bytes "$gateway" "$plugin");; inspect) files=$(bytes "$biggest");; esac
  awk -v c="$cmd" -v ms="$ms" -v n="$runs" -v rss="$rss" -v f="$files" 'BEGIN {
    printf "%s: median %s ms over %d runs (target < 100 ms: %s); peak RSS %.1f MB vs files %.1f MB (%.0f%%, target < 100%%: %s)\n",
      c, ms, n, (ms < 100 ? "met" : "MISSED"), rss / 1e3, f / 1e6, 100 * rss * 1e3 / f, (rss * 1e3 < f ? "met" : "MISSED") }'
done
