#!/usr/bin/env bash
# Time `tykdeps graph` (release build) against `go list -m all` on one go.mod
# (default: the Tyk gateway v5.14.0 go.mod of the shared corpus: the module
# proxy this was written against refuses versions master requires, so go
# itself cannot resolve master there), warm and cold, alternating the two
# tools, and print medians and ratios.
#
#   bench/graph.sh [DIR-WITH-go.mod] [RUNS]
#
# Warm: one module cache, already filled by one untimed run of each tool (go
# fills cache/download, tykdeps adds its summary cache cache/tykdeps), shared
# by both (GOPROXY=off for tykdeps, so it can only read the cache).
# Warm, edited: as warm, but a new comment is appended to go.mod before every
# run, so tykdeps cannot print its memo of the last output and resolves the
# graph from its summary cache (the case of a go.mod that is being edited).
# Cold: a fresh empty module cache for every run of either tool, and the
# real proxy (GOPROXY as set in the environment, default proxy.golang.org).
# Last measured, warm and edited, as CPU time (perf stat task-clock, 2
# cores under a load average of 10-12): go 188 ms, tykdeps 35 ms (5.4x;
# the pre-commit target is 20x). See book/src/reference/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-${TYKDEPS_CORPUS:-$root/../shared/corpus}/gateway/v5.14.0}
runs=${2:-5}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cargo build --release -q -p tykdeps --manifest-path "$root/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/tykdeps
work=$(mktemp -d); trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp "$src/go.mod" "$work/"; [ -f "$src/go.sum" ] && cp "$src/go.sum" "$work/"
export GOFLAGS=-mod=mod GOWORK=off GOTOOLCHAIN=local GOSUMDB=off LC_ALL=C
# $EPOCHREALTIME, not date(1): no process is started inside the timed span.
timed() {
  local t0=$EPOCHREALTIME t1
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  t1=$EPOCHREALTIME
  echo "$t1 - $t0" | bc
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
fresh() { cp "$src/go.mod" "$work/go.mod"; }
edited() { fresh; echo "// edit $EPOCHREALTIME" >>"$work/go.mod"; }

warm=$work/warm-cache
(cd "$work" && GOMODCACHE=$warm go list -m all >/dev/null)
fresh; (cd "$work" && GOMODCACHE=$warm GOPROXY=off "$bin" graph >/dev/null)
gw=(); tw=()
for _ in $(seq "$runs"); do
  fresh; gw+=("$(cd "$work" && GOMODCACHE=$warm timed go list -m all)")
  fresh; tw+=("$(cd "$work" && GOMODCACHE=$warm GOPROXY=off timed "$bin" graph)")
done
ge=(); te=()
for _ in $(seq "$runs"); do
  edited; ge+=("$(cd "$work" && GOMODCACHE=$warm timed go list -m all)")
  edited; te+=("$(cd "$work" && GOMODCACHE=$warm GOPROXY=off timed "$bin" graph)")
done
gc=(); tc=()
for i in $(seq "$runs"); do
  fresh; gc+=("$(cd "$work" && GOMODCACHE=$work/cold-go-$i timed go list -m all)")
  fresh; tc+=("$(cd "$work" && GOMODCACHE=$work/cold-tykdeps-$i timed "$bin" graph)")
done
gwm=$(printf '%s\n' "${gw[@]}" | median); twm=$(printf '%s\n' "${tw[@]}" | median)
gem=$(printf '%s\n' "${ge[@]}" | median); tem=$(printf '%s\n' "${te[@]}" | median)
gcm=$(printf '%s\n' "${gc[@]}" | median); tcm=$(printf '%s\n' "${tc[@]}" | median)
printf 'warm: go %.3fs  tykdeps %.4fs  go/tykdeps = %.1fx\n' "$gwm" "$twm" "$(echo "$gwm / $twm" | bc -l)"
printf 'warm, go.mod edited: go %.3fs  tykdeps %.4fs  go/tykdeps = %.1fx\n' "$gem" "$tem" "$(echo "$gem / $tem" | bc -l)"
printf 'cold: go %.3fs  tykdeps %.4fs  go/tykdeps = %.1fx\n' "$gcm" "$tcm" "$(echo "$gcm / $tcm" | bc -l)"
