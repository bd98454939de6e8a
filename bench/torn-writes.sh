#!/usr/bin/env bash
# Torn writes: run `tykdeps fix`, `tykdeps pin` and a cache-writing
# `tykdeps audit` on a load-lab scenario and SIGKILL each at a random point
# of its run, KILLS times in all (default 240). After every kill:
#   - go.mod must be byte for byte the old file or the new one (what an
#     uninterrupted run writes): anything else is a torn file;
#   - an audit with the caches the killed run left must give the verdict a
#     clean run gives (a damaged cache is ignored, never believed).
# The temporary files killed writes leave are counted and left in place;
# after the kills, one clean run of each command must have removed them
# all (a writer sweeps its directory of temporary files whose writer died).
# Then every tykdeps cache file is damaged in turn (cut in half, or
# garbage) and the audit must still give the clean verdict and rewrite the
# file. Prints the counts; exits non-zero on any torn file or wrong verdict.
#
#   bench/torn-writes.sh [KILLS] [SCENARIO]
#
# TYKDEPS_BIN picks the binary (default: a release build in $CARGO_TARGET_DIR).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kills=${1:-240}
scenario=${2:-minor-upgrade}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
if [[ -z ${TYKDEPS_BIN:-} ]]; then
  cargo build --release -q -p tykdeps --manifest-path "$root/Cargo.toml"
  TYKDEPS_BIN=$CARGO_TARGET_DIR/release/tykdeps
fi
work=$(mktemp -d); trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

# The lab's modules as a file:// proxy (tests/lab-proxy).
(cd "$root/tests/lab-proxy" && GOTOOLCHAIN=local GOFLAGS=-mod=mod GOWORK=off go build -o "$work/lab-proxy" .)
"$work/lab-proxy" "$root/corpus/lab/modules" "$work/proxy"
export GOPROXY=file://$work/proxy GOSUMDB=off GOFLAGS=-mod=mod GOWORK=off GOTOOLCHAIN=local GOENV=off \
  GOPRIVATE= GONOPROXY= GONOSUMDB= GOMODCACHE=$work/modcache
lab=(--gateway lab.example/gateway@v1.0.0 --gateway-module lab.example/gateway)
dir=$work/plugin
mkdir -p "$dir"
cp "$root/corpus/lab/scenarios/$scenario/"*.go "$root/corpus/lab/scenarios/$scenario/go.mod" "$dir/"
cp "$dir/go.mod" "$work/go.mod.old"

# One command line per kind of run.
command_of() {
  case $1 in
    fix) echo "$TYKDEPS_BIN fix ${lab[*]}" ;;
    pin) echo "$TYKDEPS_BIN pin lab.example/alpha@v1.1.0" ;;
    audit) echo "$TYKDEPS_BIN audit --format json ${lab[*]}" ;;
  esac
}
# The audit's verdict (it exits 1 for "fails", 3 for "unknown").
verdict() { (cd "$dir" && $(command_of audit) 2>/dev/null | sed -n 's/^  "verdict": "\(.*\)",$/\1/p' | head -1) || true; }
reset() { cp "$work/go.mod.old" "$dir/go.mod"; }

# Reference runs, uninterrupted: the new go.mod of fix and pin, the clean
# verdict, and how long each takes (kills land anywhere in that time).
# Timed from an empty cache (cold) and again with the cache it filled (warm).
declare -A cold warm
timed() { local start; start=$(date +%s%N); (cd "$dir" && $(command_of "$1") >/dev/null 2>&1) || true
  echo $(( ($(date +%s%N) - start) / 1000000 + 1 )); }
for kind in fix pin audit; do
  reset; rm -rf "$GOMODCACHE"
  cold[$kind]=$(timed "$kind")
  cp "$dir/go.mod" "$work/go.mod.$kind"
  reset
  warm[$kind]=$(timed "$kind")
done
for kind in fix pin; do
  if cmp -s "$work/go.mod.old" "$work/go.mod.$kind"; then
    echo "tykdeps $kind does not change $scenario's go.mod: pick another scenario" >&2; exit 2
  fi
done
reset; rm -rf "$GOMODCACHE"
clean=$(verdict)
[[ -n $clean ]] || { echo "no verdict from a clean audit" >&2; exit 2; }
echo "scenario $scenario: clean verdict $clean; runs take (cold/warm ms) fix ${cold[fix]}/${warm[fix]}, pin ${cold[pin]}/${warm[pin]}, audit ${cold[audit]}/${warm[audit]}"

# Temporary files of atomic writes now in the plugin's directory and the caches.
temps() { (find "$dir" "$GOMODCACHE" -name '.tykdeps-*.tmp' 2>/dev/null || true) | wc -l; }
torn=0 wrong=0 old=0 newer=0 killed=0 finished=0 litter=0 max_litter=0
kinds=(fix pin audit)
# Runs that finish before their kill do not count towards KILLS.
for ((i = 0; killed < kills && i < 4 * kills; i++)); do
  kind=${kinds[i % 3]}
  reset
  # Half the runs start from an empty cache, half from what earlier kills left.
  if ((RANDOM % 2)); then rm -rf "$GOMODCACHE"; span=${cold[$kind]}; else span=${warm[$kind]}; fi
  at=$(( RANDOM * RANDOM % span ))
  (cd "$dir" && exec $(command_of "$kind") >/dev/null 2>&1) &
  pid=$!
  sleep "$(printf '0.%03d' $((at % 1000)))" ; sleep $((at / 1000))
  if kill -KILL "$pid" 2>/dev/null; then killed=$((killed + 1)); else finished=$((finished + 1)); fi
  wait "$pid" 2>/dev/null || true
  if cmp -s "$dir/go.mod" "$work/go.mod.old"; then
    old=$((old + 1))
  elif [[ $kind != audit ]] && cmp -s "$dir/go.mod" "$work/go.mod.$kind"; then
    newer=$((newer + 1))
  else
    torn=$((torn + 1)); echo "TORN after $kind killed at ${at} ms:"; diff "$work/go.mod.old" "$dir/go.mod" || true
  fi
  # A killed atomic write leaves its temporary file: count what is there
  # now (left by this kill or not yet swept), and leave it to be swept.
  n=$(temps)
  litter=$((litter + n)); ((n > max_litter)) && max_litter=$n
  reset
  got=$(verdict)
  ((i % 50 == 49)) && echo "  ... $((i + 1)) runs, $killed killed" >&2
  if [[ $got != "$clean" ]]; then
    wrong=$((wrong + 1)); echo "WRONG verdict after $kind killed at ${at} ms: $got (clean: $clean)"
  fi
done
echo "kills: $killed runs killed ($finished more finished first): go.mod old $old, new $newer, torn $torn; verdicts after a run: $((i - wrong)) right, $wrong wrong; temporary files seen after a kill: $litter in all, at most $max_litter at once"
# One clean run of each command, with what the kills left: no temporary file may remain.
before=$(temps)
for kind in fix pin audit; do reset; (cd "$dir" && $(command_of "$kind") >/dev/null 2>&1) || true; done
leftover=$(temps)
echo "temporary files: $before before one clean run of fix, pin and audit, $leftover after"
find "$dir" "$GOMODCACHE" -name '.tykdeps-*.tmp' 2>/dev/null | sed 's/^/  left: /' | head -5

# Damage every cache file tykdeps wrote, one at a time.
reset; rm -rf "$GOMODCACHE"
verdict >/dev/null
damaged=0 ignored=0 rewritten=0
while IFS= read -r -d '' file; do
  for how in half garbage; do
    cp "$file" "$work/saved"
    size=$(stat -c %s "$file")
    case $how in
      half) truncate -s $((size / 2)) "$file" ;;
      garbage) head -c 200 /dev/urandom > "$file" ;;
    esac
    cp "$file" "$work/damage"
    damaged=$((damaged + 1))
    got=$(verdict)
    if [[ $got == "$clean" ]]; then ignored=$((ignored + 1)); else
      echo "WRONG verdict with $how ${file#$GOMODCACHE/}: $got"; wrong=$((wrong + 1)); fi
    if [[ ! -e $file ]] || ! cmp -s "$file" "$work/damage"; then rewritten=$((rewritten + 1)); else
      echo "not rewritten: $how ${file#$GOMODCACHE/}"; fi
    cp "$work/saved" "$file"
  done
done < <(find "$GOMODCACHE/cache/tykdeps" -type f -print0)
echo "damaged caches: $damaged damaged files, verdict right with $ignored, rewritten $rewritten"
[[ $torn == 0 && $wrong == 0 && $leftover == 0 && $killed -ge $kills ]]
