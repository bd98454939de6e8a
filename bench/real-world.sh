#!/usr/bin/env bash
# Real-world check of the binary audit (issue 5): build the real Tyk gateway of a
# corpus release and Tyk's own plugin-compiler test plugin in a Go workspace,
# load the plugin with the gateway's own `tyk plugin load`, break it twice (one
# shared dependency upgraded; -trimpath dropped), load again, and compare every
# outcome with `tykdeps audit --gateway-bin --plugin-so`.
#
#   bench/real-world.sh [RELEASE]            (default v5.14.0)
#
# Where the gateway source comes from, first that works:
#   TYK_SRC=dir    a checkout of the release
#   TYK_GIT=dir    a git directory holding the release commit (git archive)
#   the module proxy: go mod download of the release's pseudo-version
# The commit is read from the shared corpus (gateway/RELEASE/REVISION).
#
# Everything is built in WORK (default: a temp dir, removed on exit unless
# KEEP=1); nothing lands in the repository. Exit 0 when every verdict matches,
# 1 on a mismatch, 3 when the source or its dependencies cannot be had.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
release=${1:-v5.14.0}
corpus=${TYKDEPS_CORPUS:-$root/../shared/corpus}/gateway/$release
tykdeps=${TYKDEPS:-${CARGO_TARGET_DIR:-$root/target}/debug/tykdeps}
[ -x "$tykdeps" ] || { echo "no tykdeps binary at $tykdeps (cargo build -p tykdeps)" >&2; exit 2; }
[ -f "$corpus/REVISION" ] || { echo "no $corpus/REVISION" >&2; exit 2; }
commit=$(awk '/^commit:/ { print $2 }' "$corpus/REVISION")
pseudo=$(awk '/^pseudo:/ { print $2 }' "$corpus/REVISION")
work=${WORK:-$(mktemp -d)}
[ "${KEEP:-0}" = 1 ] || trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
mkdir -p "$work"
export GOFLAGS=-buildvcs=false GOTOOLCHAIN=local CGO_ENABLED=1 GOWORK=off

# The plugin's shared dependency to upgrade, and the version to take.
skew_module=github.com/sirupsen/logrus
skew_version=${SKEW_VERSION:-v1.10.2}
symbol=AddFooBarHeader

get_source() {
  local gw=$work/gateway
  rm -rf "$gw"; mkdir -p "$gw"
  if [ -n "${TYK_SRC:-}" ]; then
    echo "source: $TYK_SRC"; cp -r "$TYK_SRC/." "$gw"
  elif [ -n "${TYK_GIT:-}" ]; then
    echo "source: git archive $commit from $TYK_GIT"
    git --git-dir="$TYK_GIT" archive "$commit" | tar -x -C "$gw"
  else
    echo "source: go mod download github.com/TykTechnologies/tyk@$pseudo"
    local dir
    dir=$(go mod download -json "github.com/TykTechnologies/tyk@$pseudo" | awk -F'"' '/"Dir"/ { print $4 }') || true
    [ -n "$dir" ] || { echo "the module proxy does not serve $pseudo: set TYK_SRC or TYK_GIT" >&2; exit 3; }
    cp -r "$dir/." "$gw"; chmod -R u+w "$gw"
  fi
  cmp -s "$gw/go.mod" "$corpus/go.mod" || { echo "the source's go.mod is not the corpus's $release go.mod" >&2; exit 2; }
}

# `tyk plugin load`: "loads" or the loader's error.
real_load() {
  local out
  if out=$("$work/tyk" plugin load -f "$1" -s "$symbol" 2>&1) && grep -q 'loaded ok' <<< "$out"; then
    echo loads
  else
    # kingpin reports the action's error as "tyk: error: ..., try --help".
    grep -o 'plugin\.Open.*' <<< "$out" | head -1 | sed 's/, try --help$//' || echo "$out" | tail -1
  fi
}

# tykdeps' prediction in the same shape (it exits 1 for a plugin that fails).
predicted_load() {
  local json
  json=$("$tykdeps" audit --gateway-bin "$work/tyk" --plugin-so "$1" --format json) || [ $? = 1 ]
  jq -r '.plugins[0] | if .verdict == "loads" then "loads" else .loader_message end' <<< "$json"
}

# The static audit's verdict on the workspace as it stands, before a build.
static_verdict() {
  local json
  json=$(cd "$work" && "$tykdeps" audit --format json) || [ $? = 1 ]
  jq -r '.verdict' <<< "$json"
}

build_plugin() {
  (cd "$work/plugin" && go build -buildmode=plugin "$@")
}

get_source
gw=$work/gateway
echo "$(go version); gateway $release at $commit"
(cd "$gw" && go build -tags=goplugin -trimpath -o "$work/tyk" .) || { echo "the gateway does not build here" >&2; exit 3; }
"$work/tyk" plugin load --help > /dev/null 2>&1 || { echo "this release has no 'tyk plugin load'" >&2; exit 2; }

# Tyk's own test plugin, as shipped in the release, in a workspace with the gateway.
rm -rf "$work/plugin" "$work/go.work" "$work/go.work.sum" "$work"/*.so
cp -r "$gw/ci/tests/plugin-compiler/testdata/test-plugin" "$work/plugin"
# Its go.mod pins the gateway revision it was written against, whose go.mod the
# module proxy here refuses; in a workspace the gateway source takes that
# requirement's place, so it goes (as when Tyk's plugin compiler builds it).
(cd "$work/plugin" && go mod edit -droprequire=github.com/TykTechnologies/tyk)
(cd "$work" && go work init ./gateway ./plugin)
export GOWORK=$work/go.work
(cd "$work/plugin" && go mod download) || { echo "the workspace's modules cannot be had" >&2; exit 3; }
gw_skew=$(cd "$work/plugin" && go list -m -f '{{.Version}}' "$skew_module")

static_same=$(static_verdict)
build_plugin -trimpath -o "$work/same.so" .
build_plugin -o "$work/notrim.so" .
(cd "$work/plugin" && go mod edit -require="$skew_module@$skew_version" && go mod download "$skew_module@$skew_version")
static_skew=$(static_verdict)
build_plugin -trimpath -o "$work/skew.so" .
du -h "$work/tyk" "$work"/*.so

matched=0; total=0
for so in same skew notrim; do
  real=$(real_load "$work/$so.so"); predicted=$(predicted_load "$work/$so.so")
  total=$((total + 1))
  if [ "$real" = "$predicted" ]; then matched=$((matched + 1)); verdict=match; else verdict=MISMATCH; fi
  printf '%-7s %s\n        tyk plugin load: %s\n        tykdeps audit:   %s\n' "$so.so" "$verdict" "$real" "$predicted"
done
# The static audit sees sources, not build flags: it judges same and skew.
for so in same skew; do
  real=$(real_load "$work/$so.so"); [ "$real" = loads ] || real=fails
  static=$([ $so = same ] && echo "$static_same" || echo "$static_skew")
  total=$((total + 1))
  if [ "$real" = "$static" ]; then matched=$((matched + 1)); verdict=match; else verdict=MISMATCH; fi
  printf '%-7s %s\n        tyk plugin load: %s\n        tykdeps audit (static, before the build): %s\n' "$so" "$verdict" "$real" "$static"
done
echo "plugin $skew_module: gateway $gw_skew, skew.so $skew_version"
echo "real-world check ($release): $matched/$total verdicts match"
[ "$matched" = "$total" ]
