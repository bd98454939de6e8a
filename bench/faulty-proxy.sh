#!/usr/bin/env bash
# A faulty proxy under load: AUDITS (default 1,000) audits of the load lab's
# scenarios, four at a time, through a proxy that injects random faults
# (tests/cli/faulty_proxy.rs, the ignored load test). Prints audits, right
# verdicts, faults injected by kind, unknowns by cause and wrong verdicts
# (must be 0).
#
#   bench/faulty-proxy.sh [AUDITS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export TYKDEPS_FAULTY_AUDITS=${1:-1000}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
cd "$root"
log=$(mktemp)
status=0
cargo test -p tykdeps --test cli audits_under_a_faulty_proxy_at_load -- --ignored --nocapture >"$log" 2>&1 || status=$?
grep -E '^(faulty proxy|  unknown|  fault|test result|wrong|clean|thread|error)' "$log" || tail -n 30 "$log"
echo "full log: $log"
exit "$status"
