#!/usr/bin/env bash
# Fuzzing at length: run every fuzz target (or the ones named) for SECONDS
# each, one after another with one job, starting from and adding to the
# committed corpus (fuzz/corpus/<target>), and print per target the runs,
# the coverage (libFuzzer's `cov` and `ft`), the corpus size and any crash.
# CI runs each target for a minute on the same corpus (.ci/run); this is
# the long run, by hand.
#
#   bench/fuzz-long.sh SECONDS [TARGET...]
#
# RUNS=N stops each target after N runs (the issue's bar is 10,000,000) if
# that comes before SECONDS. The targets are built without AddressSanitizer
# (SANITIZER=none, the default here; CI keeps cargo-fuzz's default): the
# library denies unsafe code (its one exception, mapping a binary, is not
# reached from a fuzz target), so ASan has nothing to watch and would cost
# a 10-20x slower run.
#
# After a long run, minimise the corpus before committing it:
#   (cd fuzz && cargo +nightly fuzz cmin TARGET)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:?usage: bench/fuzz-long.sh SECONDS [TARGET...]}
shift
cd "$root/fuzz"
cargo_fuzz() {
  if cargo +nightly --version >/dev/null 2>&1; then cargo +nightly fuzz "$@"; else RUSTC_BOOTSTRAP=1 cargo fuzz "$@"; fi
}
targets=("$@")
((${#targets[@]})) || mapfile -t targets < <(cargo_fuzz list)
sanitizer=${SANITIZER:-none}
cargo_fuzz build -s "$sanitizer" >/dev/null
logs=${FUZZ_LOGS:-$root/bench/out/fuzz}
mkdir -p "$logs"
printf '%-10s %12s %8s %8s %8s  %s\n' target runs cov ft corpus result
failed=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  status=0
  RUST_BACKTRACE=0 cargo_fuzz run -s "$sanitizer" "$target" "corpus/$target" -- -max_total_time="$seconds" \
    ${RUNS:+-runs="$RUNS"} \
    -print_final_stats=1 >"$logs/$target.log" 2>&1 || status=$?
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$logs/$target.log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$logs/$target.log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corpus=$(find "corpus/$target" -type f | wc -l)
  if ((status == 0)); then result=ok; else
    result="CRASH (exit $status): $(grep -m1 -E 'panicked at|ERROR: libFuzzer' "$logs/$target.log" || true)"
    runs=${runs:-$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")}
    failed=1
  fi
  printf '%-10s %12s %8s %8s %8s  %s\n' "$target" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$corpus" "$result"
done
echo "logs: $logs"
exit "$failed"
