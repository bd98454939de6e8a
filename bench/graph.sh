#!/usr/bin/env bash
# Time `tykdeps graph` (release build) against `go list -m all` on one go.mod
# (default: the Tyk gateway v5.14.0 go.mod of the shared corpus: the module
# proxy this was written against refuses versions master requires, so go
# itself cannot resolve master there), warm and cold, alternating the two
# tools, and print medians and ratios.
#
#   bench/graph.sh [DIR-WITH-go.mod] [RUNS]     (GRAPH_COLD=0: skip the cold runs)
#
# Warm: one module cache, already filled by one untimed run of each tool (go
# fills cache/download, tykdeps adds its summary cache cache/tykdeps), shared
# by both (GOPROXY=off for tykdeps, so it can only read the cache).
# Warm, comment edited: as warm, but a new comment is appended to go.mod
# before every run, so tykdeps cannot print its memo of the last output and
# resolves the graph from its summary cache.
# Warm, requirement edited: as warm, but every run changes the requirement
# set the way a user does, cycling through four edits of the original go.mod
# (raise one requirement, lower one, add a require of a module in the cache,
# drop one), so no two consecutive runs of a tool resolve the same
# requirements. An untimed run of each tool per edit first fills the cache
# with the versions the edits bring in (and checks both print the same).
# Cold: a fresh empty module cache for every run of either tool, and the
# real proxy (GOPROXY as set in the environment, default proxy.golang.org).
# Last measured (three benches of 25 runs, perf stat task-clock, 2 cores,
# otherwise idle): requirement edited, CPU go 102-105 ms, tykdeps 5.2-5.4
# ms (19.3-19.7x); comment edited, go 102-107 ms, tykdeps 5.0-5.6 ms
# (19.2-20.2x); the pre-commit target is 20x. A run straight after go's
# pays ~0.3 ms more than one after another tykdeps run (caches cold).
# See book/src/reference/benchmarks.md.
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
# One run: "WALL CPU" in seconds, CPU being user + system of all threads.
# With perf installed both come from perf stat (duration_time, task-clock);
# otherwise wall is from $EPOCHREALTIME (no process is started inside the
# timed span) and CPU from bash's `time` (millisecond resolution).
timed() {
  local t0 t1 cpu TIMEFORMAT='%3U %3S'
  if command -v perf >/dev/null; then
    perf stat -x, -e task-clock,duration_time -o "$work/perf.out" -- "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    awk -F, '/duration_time/ {w = $1 / 1e9} /task-clock/ {c = $1 / 1e3} END {print w, c}' "$work/perf.out"
    return
  fi
  t0=$EPOCHREALTIME
  cpu=$( { time "$@" >/dev/null 2>&1; } 2>&1 ) || { echo "failed: $*" >&2; exit 1; }
  t1=$EPOCHREALTIME
  echo "$(echo "$t1 - $t0" | bc) $(echo "$cpu" | awk '{print $1 + $2}')"
}
# The median of column $1 of "WALL CPU" lines.
median() { awk -v c="$1" '{print $c}' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# The original files back, each only if a run changed it: an untouched file
# keeps its age, as in a checkout where only go.mod was edited (both tools
# may key caches by a file's times; tykdeps reads the bytes of a file written
# in the last second, whose times cannot tell two writes apart).
fresh() {
  local f
  for f in go.mod go.sum; do
    if [ -f "$src/$f" ] && ! cmp -s "$src/$f" "$work/$f"; then cp "$src/$f" "$work/$f"; fi
  done
}
edited() { fresh; echo "// edit $EPOCHREALTIME" >>"$work/go.mod"; }
# The requirement edits (for the default go.mod; override with GRAPH_EDITS,
# space-separated `go mod edit` flags).
read -ra edits <<<"${GRAPH_EDITS:--require=github.com/buger/jsonparser@v1.6.1 -require=github.com/Masterminds/sprig/v3@v3.2.3 -require=atomicgo.dev/cursor@v0.2.0 -droprequire=github.com/pkg/errors}"
required() { fresh; (cd "$work" && go mod edit "${edits[$1 % ${#edits[@]}]}"); }

warm=$work/warm-cache
(cd "$work" && GOMODCACHE=$warm go list -m all >/dev/null)
fresh; (cd "$work" && GOMODCACHE=$warm GOPROXY=off "$bin" graph >/dev/null)
for i in "${!edits[@]}"; do
  required "$i"
  (cd "$work" && GOMODCACHE=$warm go list -m all >"$work/go.out")
  required "$i"
  (cd "$work" && GOMODCACHE=$warm GOPROXY=off "$bin" graph >"$work/tykdeps.out")
  cmp -s "$work/go.out" "$work/tykdeps.out" || { echo "differs from go after ${edits[$i]}" >&2; exit 1; }
done
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
gr=(); tr=()
for i in $(seq "$runs"); do
  required "$i"; gr+=("$(cd "$work" && GOMODCACHE=$warm timed go list -m all)")
  required "$i"; tr+=("$(cd "$work" && GOMODCACHE=$warm GOPROXY=off timed "$bin" graph)")
done
gc=(); tc=()
for i in $(seq "$([ "${GRAPH_COLD:-1}" = 0 ] && echo 0 || echo "$runs")"); do
  fresh; gc+=("$(cd "$work" && GOMODCACHE=$work/cold-go-$i timed go list -m all)")
  fresh; tc+=("$(cd "$work" && GOMODCACHE=$work/cold-tykdeps-$i timed "$bin" graph)")
done
# One line per case: wall medians, then CPU medians, with the go/tykdeps ratios.
report() {
  local name=$1 g=$2 t=$3 gw tw gc tc
  gw=$(echo "$g" | median 1); tw=$(echo "$t" | median 1)
  gc=$(echo "$g" | median 2); tc=$(echo "$t" | median 2)
  printf '%s: wall go %.3fs tykdeps %.4fs = %.1fx; CPU go %.3fs tykdeps %.4fs = %.1fx\n' \
    "$name" "$gw" "$tw" "$(echo "$gw / $tw" | bc -l)" "$gc" "$tc" "$(echo "$gc / $tc" | bc -l)"
}
lines() { printf '%s\n' "$@"; }
report warm "$(lines "${gw[@]}")" "$(lines "${tw[@]}")"
report 'warm, comment edited' "$(lines "${ge[@]}")" "$(lines "${te[@]}")"
report 'warm, requirement edited' "$(lines "${gr[@]}")" "$(lines "${tr[@]}")"
[ ${#gc[@]} = 0 ] || report cold "$(lines "${gc[@]}")" "$(lines "${tc[@]}")"
