#!/usr/bin/env bash
# A faulty proxy under load: AUDITS (default 1,000) audits of the load lab's
# scenarios, four at a time, through a proxy that injects random faults
# (tests/cli/faulty_proxy.rs, the ignored load test). Prints audits, right
# verdicts, unknowns by cause, refusals and wrong verdicts (must be 0).
#
#   bench/faulty-proxy.sh [AUDITS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export TYKDEPS_FAULTY_AUDITS=${1:-1000}
cd "$root"
cargo test -q -p tykdeps --test cli audits_under_a_faulty_proxy_at_load -- --ignored --nocapture 2>&1 |
  grep -E '^(faulty proxy|  unknown|test result|wrong|clean|thread)' || true
