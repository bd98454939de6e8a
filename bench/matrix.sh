#!/usr/bin/env bash
# Time the gateway matrix against one audit, warm: `tykdeps audit` of the
# example plugin (corpus/examples/audit/plugin) against the 17 gateway
# releases of the shared corpus at once, and against one of them (v5.14.0)
# alone, alternating the two; print medians and their ratio (the goal:
# under 3x, since the plugin side is read once for all cells).
#
#   bench/matrix.sh [RUNS] [BINARY]
#
# Each release is given as a snapshot made through the real module proxy
# where the proxy serves every go.mod of its graph; it answers 403 for the
# Tyk pseudo-versions some releases require (graphql-go-tools, tyk-pump,
# ...), and those releases are given as the directory of their go.mod,
# whose cell is then `unknown` (as their single audit is; the refusals are
# kept in the metadata cache for its time to live, so warm runs do not ask
# the proxy again). BINARY defaults
# to a release build of this checkout.
#
# Both are timed on unchanged inputs (one audit is then answered by the
# audit output memo; the matrix is not, its go.mod-directory cells being
# unknown) and after a go.mod edit (no memo answers). Last measured (11
# runs, 2 cores, machine otherwise idle, wall): unchanged 0.0076 s against
# 0.090 s (11.8x); after an edit 0.030 s against 0.089 s (2.93x; 2.99 and
# 3.02x in two earlier rounds), see book/src/reference/benchmarks.md.
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${TYKDEPS_CORPUS:-$root/../shared/corpus}
runs=${1:-7}
bin=${2:-}
if [ -z "$bin" ]; then
	export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
	cargo build --release -q -p tykdeps --manifest-path "$root/Cargo.toml"
	bin=$CARGO_TARGET_DIR/release/tykdeps
fi
work=$(mktemp -d); trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOWORK=off GOTOOLCHAIN=local GOSUMDB=off GOMODCACHE=$work/modcache
now() { date +%s.%N; }
# audit exits 1 or 3 for a verdict (fails, unknown): not a failure here.
timed() { local t0; t0=$(now); "$@" >/dev/null 2>&1 || true; echo "$(now) - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

gateways=(); snapshots=0
for dir in "$corpus"/gateway/*/; do
	name=$(basename "$dir")
	if GOPROXY=https://proxy.golang.org "$bin" snapshot --gateway "$dir" -o "$work/$name.json" >/dev/null 2>&1; then
		gateways+=(--gateway-snapshot "$work/$name.json"); snapshots=$((snapshots + 1))
	else
		gateways+=(--gateway "$dir")
	fi
done
echo "gateways: $(( ${#gateways[@]} / 2 )) ($snapshots snapshots, the rest go.mod directories)"
cp -r "$root/corpus/examples/audit/plugin" "$work/plugin"
export GOPROXY="file://$root/corpus/examples/audit/proxy,https://proxy.golang.org"
cd "$work/plugin"
one=(audit --format json --gateway-snapshot "$work/v5.14.0.json")
all=(audit --format json "${gateways[@]}")
# A go.mod edit the audit output memo cannot answer: a comment line that
# comes and goes (the memo keys on the files' stamps, so any write misses).
edit() { if grep -q '^// bench edit$' go.mod; then sed -i '/^\/\/ bench edit$/d' go.mod; else echo '// bench edit' >>go.mod; fi; }
# Warm: every cache filled once.
timed "$bin" "${one[@]}" >/dev/null; timed "$bin" "${all[@]}" >/dev/null
for f in one all one_edited all_edited; do : >"$work/$f"; done
for _ in $(seq "$runs"); do
	# Each edited run fills the memo that the unchanged run after it reads.
	edit; timed "$bin" "${one[@]}" >>"$work/one_edited"
	timed "$bin" "${one[@]}" >>"$work/one"
	edit; timed "$bin" "${all[@]}" >>"$work/all_edited"
	timed "$bin" "${all[@]}" >>"$work/all"
done
for f in one all one_edited all_edited; do declare "${f}_s=$(median <"$work/$f")"; done
echo "unchanged inputs (an output memo answers when every verdict is decided):"
echo "  one audit (v5.14.0):       median ${one_s}s over $runs runs"
echo "  17-gateway matrix:         median ${all_s}s over $runs runs"
echo "  ratio matrix / one audit:  $(echo "scale=2; $all_s / $one_s" | bc)"
echo "after a go.mod edit (no output memo can answer):"
echo "  one audit (v5.14.0):       median ${one_edited_s}s over $runs runs"
echo "  17-gateway matrix:         median ${all_edited_s}s over $runs runs"
echo "  ratio matrix / one audit:  $(echo "scale=2; $all_edited_s / $one_edited_s" | bc)"
