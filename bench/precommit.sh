#!/usr/bin/env bash
# The pre-commit path's two audit speeds (issue 11 item 5), each against
# the go command on the same inputs, alternating the tools, medians:
#
#   snapshot:  `tykdeps audit --gateway-snapshot` of a plugin (workspace
#              build, GOPROXY=off) against `go list -m all` in the plugin's
#              directory. Target: tykdeps ten times faster.
#   workspace: `tykdeps audit` in a go.work holding the real gateway
#              checkout and the plugin. Target: under 50 ms.
#
#   [TYKDEPS=BIN] bench/precommit.sh GATEWAY-CHECKOUT PLUGIN-DIR [RUNS]
#
# Each tykdeps audit is timed twice: on unchanged inputs, which the audit
# output memo answers, and after a go.mod edit, which it never does.
# Last measured (Tyk v5.14.0 checkout, 2 cores otherwise idle, medians of
# CPU time, 9 runs): relying_party (tidied): snapshot audit 2 ms on a memo
# hit, 21 ms after an edit, against 9 ms for go list -m all (target 10x);
# workspace audit 6 ms on a memo hit and 22 ms after an edit (target
# < 50 ms; go list -m all 106 ms). testplugin, requiring the gateway as
# Tyk's docs have it (bench/seed-gateway.sh first): snapshot audit 3 and
# 30 ms against 47 ms for go list -m all (15.7x and 1.6x).
# book/src/reference/benchmarks.md says what the time is spent on.
# Warm: the module cache (GOMODCACHE as set) already holds both sides'
# modules; one untimed run of each command fills tykdeps' caches first.
# (`tykdeps graph` after a go.mod edit is bench/graph.sh's "edited" line.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
gateway=$(cd "${1:?gateway checkout}" && pwd)
plugin_src=$(cd "${2:?plugin directory}" && pwd)
runs=${3:-7}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
# TYKDEPS=path/to/tykdeps times that build instead of building one.
if [ -z "${TYKDEPS:-}" ]; then
  cargo build --release -q -p tykdeps --manifest-path "$root/Cargo.toml"
fi
bin=${TYKDEPS:-$CARGO_TARGET_DIR/release/tykdeps}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export GOFLAGS=-buildvcs=false GOTOOLCHAIN=local LC_ALL=C
module=$(sed -n 's/^module //p' "$gateway/go.mod" | head -1)
# Wall time, and CPU time (user + system, children included) as "wall/cpu":
# on a loaded machine the wall time measures the queue as much as the tool.
# (`times` runs in this shell, written to a file: a command substitution
# would be a new process, whose children have used nothing yet.)
timed() {
  local t0=$EPOCHREALTIME t1
  times >"$work/cpu0"
  # audit exits 1 when the plugin fails to load: a verdict, not a failure.
  "$@" >/dev/null 2>&1 || [ $? -eq 1 ] || { echo "failed: $*" >&2; exit 1; }
  t1=$EPOCHREALTIME
  times >"$work/cpu1"
  echo "$(echo "$t1 - $t0" | bc)/$(echo "$(cpu "$work/cpu1") - $(cpu "$work/cpu0")" | bc)"
}
# Children's user + system seconds in a `times` output.
cpu() { tail -1 "$1" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); print u[1] * 60 + u[2] + s[1] * 60 + s[2] }'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# The plugin alone, with its snapshot committed beside it.
cp -r "$plugin_src" "$work/plugin"
"$bin" snapshot --gateway "$gateway" --gateway-module "$module" -o "$work/plugin/gateway.snapshot.json" 2>/dev/null
snap() { (cd "$work/plugin" && GOWORK=off GOPROXY=off "$bin" audit --gateway-module "$module" --gateway-snapshot gateway.snapshot.json); }
golist_plugin() { (cd "$work/plugin" && GOWORK=off GOPROXY=off go list -m all); }
# The plugin in a go.work with the checkout.
mkdir "$work/ws"; ln -s "$gateway" "$work/ws/gateway"; cp -r "$plugin_src" "$work/ws/plugin"
(cd "$work/ws" && GOWORK=off go work init ./gateway ./plugin)
ws() { (cd "$work/ws/plugin" && GOPROXY=off "$bin" audit --gateway-module "$module"); }
golist_ws() { (cd "$work/ws/plugin" && GOPROXY=off go list -m all); }

# A go.mod edit the audit output memo cannot answer: a comment line that
# comes and goes (the memo keys on the files' stamps, so any write misses).
edit() { if grep -q '^// bench edit$' "$1/go.mod"; then sed -i '/^\/\/ bench edit$/d' "$1/go.mod"; else echo '// bench edit' >>"$1/go.mod"; fi; }
snap_edited() { edit "$work/plugin"; snap; }
ws_edited() { edit "$work/ws/plugin"; ws; }

for f in snap golist_plugin ws golist_ws; do timed "$f" >/dev/null; done
gs=(); ts=(); te=(); gw=(); tw=(); twe=()
for _ in $(seq "$runs"); do
  # Each edited run fills the memo that the unchanged run after it reads.
  gs+=("$(timed golist_plugin)"); te+=("$(timed snap_edited)"); ts+=("$(timed snap)")
  gw+=("$(timed golist_ws)"); twe+=("$(timed ws_edited)"); tw+=("$(timed ws)")
done
# The median of field $1 (1 wall, 2 CPU) of the runs.
m() { local f=$1; shift; printf '%s\n' "$@" | cut -d/ -f"$f" | median; }
echo "snapshot runs (wall/cpu): go ${gs[*]}  tykdeps memo hit ${ts[*]}  after a go.mod edit ${te[*]}"
echo "workspace runs (wall/cpu): go ${gw[*]}  tykdeps memo hit ${tw[*]}  after a go.mod edit ${twe[*]}"
for f in 1 2; do
  what=$([ "$f" = 1 ] && echo wall || echo cpu)
  gsm=$(m "$f" "${gs[@]}"); tsm=$(m "$f" "${ts[@]}"); tem=$(m "$f" "${te[@]}")
  gwm=$(m "$f" "${gw[@]}"); twm=$(m "$f" "${tw[@]}"); twem=$(m "$f" "${twe[@]}")
  for run in "memo hit:$tsm" "after a go.mod edit:$tem"; do
    t=${run##*:}
    printf '%s: snapshot audit, %s: go list -m all %.4fs  tykdeps %.4fs  go/tykdeps = %.2fx  (target: >= 10x)\n' "$what" "${run%:*}" "$gsm" "$t" "$(echo "$gsm / $t" | bc -l)"
  done
  printf '%s: workspace audit, memo hit: go list -m all %.4fs  tykdeps %.4fs  (target: tykdeps < 0.050s)\n' "$what" "$gwm" "$twm"
  printf '%s: workspace audit, after a go.mod edit: tykdeps %.4fs\n' "$what" "$twem"
done
