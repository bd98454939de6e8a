#!/usr/bin/env bash
# Put a gateway checkout's go.mod into the module cache as version VERSION of
# its module, as `go mod download MODULE@VERSION` would have, so that a
# plugin requiring the gateway (Tyk's docs have authors `go get` it at the
# gateway's commit) resolves offline. The proxy these benchmarks were
# written against refuses Tyk's pseudo-versions with 403, so neither go nor
# tykdeps could otherwise resolve such a plugin here.
#
#   bench/seed-gateway.sh GATEWAY-CHECKOUT VERSION [TIME]
#
# Writes $GOMODCACHE/cache/download/<module>/@v/VERSION.mod and .info (no
# zip: `go list -m all` and a snapshot audit read neither the gateway's
# sources nor its zip). The plugin's other modules must be in the cache
# already (one online `GOFLAGS=-mod=mod go list -m all` in its directory).
set -euo pipefail
gateway=${1:?gateway checkout}
version=${2:?version, e.g. v1.9.2-0.20260601120000-0123456789ab}
time=${3:-2026-01-01T00:00:00Z}
module=$(sed -n 's/^module //p' "$gateway/go.mod" | head -1)
# The module cache spells an upper-case letter as '!' and its lower case.
escaped=$(printf '%s' "$module" | sed -E 's/([A-Z])/!\L\1/g')
dir=$(go env GOMODCACHE)/cache/download/$escaped/@v
mkdir -p "$dir"
cp "$gateway/go.mod" "$dir/$version.mod"
printf '{"Version":"%s","Time":"%s"}\n' "$version" "$time" >"$dir/$version.info"
echo "$module@$version: $dir/$version.mod"
