#!/usr/bin/env bash
# Time `tykdeps audit` (release build, package level) of a small plugin
# against a Tyk gateway, warm and cold, and the go command resolving both
# build lists (`go list -m all` in the gateway and in the plugin), alternating
# the tools; print medians and ratios.
#
#   bench/audit.sh [GATEWAY-DIR-WITH-go.mod] [RUNS]
#
# The gateway is the newest corpus release whose build list the go command
# resolves through this workplace's proxy (default gateway/v5.14.0). Its
# module source cannot be had here: the proxy answers 403 for every Tyk
# gateway version (v5.14.0's pseudo-version included), so the gateway is
# benched as a checkout (`--gateway DIR`): that release's go.mod and go.sum
# with a main package of our own importing packages the gateway links. The
# corpus plugins have no Go sources either, so the plugin is ours too: a
# package main importing some of the same dependencies, at other versions.
#
# Warm: one module cache, already filled, shared by both tools.
# Cold: a fresh empty module cache for every run of either tool, and the
# real proxy (GOPROXY as set in the environment, default proxy.golang.org).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-${TYKDEPS_CORPUS:-$root/../shared/corpus}/gateway/v5.14.0}
runs=${2:-5}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cargo build --release -q -p tykdeps --manifest-path "$root/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/tykdeps
work=$(mktemp -d); trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOWORK=off GOTOOLCHAIN=local GOSUMDB=off
now() { date +%s.%N; }
# audit exits 1 when the plugin fails to load: a verdict, not a failure.
timed() { local t0; t0=$(now); "$@" >/dev/null 2>&1 || [ $? -eq 1 ] || { echo "failed: $*" >&2; exit 1; }; echo "$(now) - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

gw=$work/gateway; pl=$work/plugin; mkdir -p "$gw" "$pl"
cp "$src/go.mod" "$gw/"; [ -f "$src/go.sum" ] && cp "$src/go.sum" "$gw/"
cat >"$gw/main.go" <<'EOF'
package main

import (
	"plugin"

	"github.com/gorilla/mux"
	"github.com/sirupsen/logrus"
	"github.com/golang-jwt/jwt/v4"
	"github.com/google/uuid"
)

func main() {
	_, _ = plugin.Open("plugin.so")
	_ = mux.NewRouter()
	_ = jwt.New(jwt.SigningMethodHS256)
	logrus.Info(uuid.New())
}
EOF
cat >"$pl/go.mod" <<'EOF'
module example.com/benchplugin

go 1.25.0

require (
	github.com/gorilla/mux v1.8.0
	github.com/sirupsen/logrus v1.9.0
	github.com/google/uuid v1.6.0
)
EOF
cat >"$pl/main.go" <<'EOF'
package main

import (
	"net/http"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
	"github.com/sirupsen/logrus"
)

func AddHeader(w http.ResponseWriter, r *http.Request) {
	r.Header.Set("X-Request-Id", uuid.NewString())
	logrus.WithField("vars", mux.Vars(r)).Info("plugin")
}

func main() {}
EOF
(cd "$pl" && GOMODCACHE=$work/warm-cache go mod tidy >/dev/null 2>&1)
cp "$pl/go.mod" "$work/plugin.go.mod"; cp "$pl/go.sum" "$work/plugin.go.sum"
fresh() { cp "$work/plugin.go.mod" "$pl/go.mod"; cp "$work/plugin.go.sum" "$pl/go.sum"; cp "$src/go.mod" "$gw/go.mod"; }
golists() { (cd "$gw" && go list -m all) && (cd "$pl" && go list -m all); }
audit() { (cd "$pl" && "$bin" audit --gateway "$gw" --format json); }

warm=$work/warm-cache
(GOMODCACHE=$warm golists >/dev/null)
(GOMODCACHE=$warm audit >"$work/verdict.json" || true)
echo "verdict: $(grep -o '"verdict": *"[a-z]*"' "$work/verdict.json" | head -1), summary: $(tr -d ' \n' <"$work/verdict.json" | grep -o '"summary":{[^}]*}')"
gw_=(); tw=()
for _ in $(seq "$runs"); do
  fresh; gw_+=("$(GOMODCACHE=$warm timed golists)")
  fresh; tw+=("$(GOMODCACHE=$warm GOPROXY=off timed audit)")
done
gc=(); tc=()
for i in $(seq "$runs"); do
  fresh; gc+=("$(GOMODCACHE=$work/cold-go-$i timed golists)")
  fresh; tc+=("$(GOMODCACHE=$work/cold-tykdeps-$i timed audit)")
  chmod -R u+w "$work/cold-go-$i" "$work/cold-tykdeps-$i"; rm -rf "$work/cold-go-$i" "$work/cold-tykdeps-$i"
done
gwm=$(printf '%s\n' "${gw_[@]}" | median); twm=$(printf '%s\n' "${tw[@]}" | median)
gcm=$(printf '%s\n' "${gc[@]}" | median); tcm=$(printf '%s\n' "${tc[@]}" | median)
echo "warm runs: go ${gw_[*]}  tykdeps ${tw[*]}"
echo "cold runs: go ${gc[*]}  tykdeps ${tc[*]}"
printf 'warm: go list -m all (both) %.3fs  tykdeps audit %.4fs  go/tykdeps = %.1fx  (target: tykdeps < 0.100s)\n' "$gwm" "$twm" "$(echo "$gwm / $twm" | bc -l)"
printf 'cold: go list -m all (both) %.3fs  tykdeps audit %.4fs  go/tykdeps = %.1fx  (target: > 1x)\n' "$gcm" "$tcm" "$(echo "$gcm / $tcm" | bc -l)"
