#!/usr/bin/env bash
# Real-world check of tykdeps (issues 5 and 9): build the real Tyk gateway of a
# corpus release as releases are built (go build -tags=goplugin -trimpath), put
# each plugin in a Go workspace with the gateway checkout (the Tyk docs' flow:
# go.work using ./gateway and ./plugin), and build it three ways:
#
#   as-is    the plugin as its author wrote it (only the gateway requirement
#            dropped: in the workspace the gateway checkout takes its place);
#   moved    one dependency the plugin and the gateway both link raised to its
#            next release (go mod edit -require + download);
#   notrim   as-is, built without -trimpath.
#
# Each is opened with the gateway's own loader (`tyk plugin load -f X.so -s
# SYMBOL`) and compared with
#   - the static audit, `tykdeps audit --format json` on the workspace, run
#     BEFORE the build (it must agree with the loader on as-is and moved; it
#     sees sources, not build flags, so notrim is outside its assumptions);
#   - the binary audit, `tykdeps audit --gateway-bin tyk --plugin-so X.so`
#     (it must agree with the loader on every variant, message included).
#
#   bench/real-world.sh [RELEASE] [LIST]...          (RELEASE default v5.14.0)
#
# Plugins to check, one entry each, from the files LIST (one entry a line, '#'
# comments; relative directories are relative to the file) and from PLUGINS
# (entries separated by spaces or newlines; relative to the current directory):
#
#   DIR:SYMBOL[:key=value]...
#
#   DIR          the plugin's source directory (it is copied, never changed);
#                @gateway/PATH is PATH inside the gateway source
#   SYMBOL       the exported function `tyk plugin load -s` looks up
#   name=NAME    the name in the table and under WORK/plugins (default: DIR's
#                base name)
#   init=PATH    the module path for `go mod init` when DIR has no go.mod
#                (as the plugin's own build instructions say)
#   move=MODULE[@VERSION]  the dependency to move in the moved variant
#                (default: chosen, see below; VERSION default: the release
#                after the one the workspace selects); move=none: no moved variant
#   pkg=PKG      the package to build (default .)
#
# Tyk's own test plugin (ci/tests/plugin-compiler/testdata/test-plugin of the
# release, logrus moved to SKEW_VERSION, default v1.10.2) comes first unless
# TYK_TEST_PLUGIN=0.
#
# The moved dependency, unless given: among the modules the plugin build links
# that the gateway binary links too (not replaced in the gateway), the first
# - the plugin's direct requirements first, then its indirect ones, then the
# rest - whose selected version is a release with a newer release of the same
# module path (`go list -m -versions`); the next patch if there is one, else
# the next minor.
#
# Where the gateway source comes from, first that works:
#   TYK_SRC=dir    a checkout of the release
#   TYK_GIT=dir    a git directory holding the release commit (git archive)
#   the module proxy: go mod download of the release's pseudo-version
# The commit is read from the shared corpus (gateway/RELEASE/REVISION).
#
# Everything is built in WORK (default: a temp dir, removed on exit unless
# KEEP=1); nothing lands in the repository. With WORK kept, a second run
# reuses WORK/gateway and WORK/tyk when their stamps (WORK/gateway.stamp,
# WORK/tyk.stamp) name the same commit, Go release and flags, so re-running
# with another tykdeps (TYKDEPS=path) takes minutes, not a gateway build.
# Each plugin's variants stay in WORK/plugins/NAME: the sources audited
# (as-is/, moved/), the .so files, the loader's output and both JSON reports.
#
# Exit 0 when every compared verdict matches, 1 on a mismatch, 2 on bad
# input, 3 when the source or its dependencies cannot be had.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
release=v5.14.0
if [ $# -gt 0 ] && [[ $1 =~ ^v[0-9] ]]; then release=$1; shift; fi
corpus=${TYKDEPS_CORPUS:-$root/../shared/corpus}/gateway/$release
tykdeps=${TYKDEPS:-${CARGO_TARGET_DIR:-$root/target}/debug/tykdeps}
[ -x "$tykdeps" ] || { echo "no tykdeps binary at $tykdeps (cargo build -p tykdeps)" >&2; exit 2; }
tykdeps=$(cd "$(dirname "$tykdeps")" && pwd)/$(basename "$tykdeps")
[ -f "$corpus/REVISION" ] || { echo "no $corpus/REVISION" >&2; exit 2; }
command -v jq > /dev/null || { echo "jq is needed" >&2; exit 2; }
commit=$(awk '/^commit:/ { print $2 }' "$corpus/REVISION")
pseudo=$(awk '/^pseudo:/ { print $2 }' "$corpus/REVISION")
work=${WORK:-$(mktemp -d)}
[ "${KEEP:-0}" = 1 ] || trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
mkdir -p "$work"
work=$(cd "$work" && pwd)
export GOFLAGS=-buildvcs=false GOTOOLCHAIN=local CGO_ENABLED=1 GOWORK=off LC_ALL=C
gw=$work/gateway
gateway_module=github.com/TykTechnologies/tyk

# ---------------------------------------------------------------- plugin list
entries=()
if [ "${TYK_TEST_PLUGIN:-1}" != 0 ]; then
  entries+=("@gateway/ci/tests/plugin-compiler/testdata/test-plugin:AddFooBarHeader:name=tyk-test-plugin:move=github.com/sirupsen/logrus@${SKEW_VERSION:-v1.10.2}")
fi
add_entry() { # ENTRY BASE-DIR
  local e=$1 dir=${1%%:*}
  case $dir in
    @gateway/* | /*) entries+=("$e") ;;
    *) entries+=("$2/$e") ;;
  esac
}
for list in "$@"; do
  [ -f "$list" ] || { echo "no plugin list $list" >&2; exit 2; }
  base=$(cd "$(dirname "$list")" && pwd)
  while read -r line; do
    line=${line%%#*}; line=$(echo "$line" | xargs)
    [ -n "$line" ] && add_entry "$line" "$base"
  done < "$list"
done
for e in ${PLUGINS:-}; do add_entry "$e" "$PWD"; done

# ------------------------------------------------------------------- gateway
t0=$SECONDS
get_source() {
  local stamp="$commit"
  if [ -f "$work/gateway.stamp" ] && [ "$(cat "$work/gateway.stamp")" = "$stamp" ] && cmp -s "$gw/go.mod" "$corpus/go.mod"; then
    echo "source: $gw (kept, $commit)"; return
  fi
  rm -f "$work/gateway.stamp" "$work/tyk.stamp"
  chmod -R u+w "$gw" 2> /dev/null || true
  rm -rf "$gw"; mkdir -p "$gw"
  if [ -n "${TYK_SRC:-}" ]; then
    echo "source: $TYK_SRC"; cp -r "$TYK_SRC/." "$gw"
  elif [ -n "${TYK_GIT:-}" ]; then
    echo "source: git archive $commit from $TYK_GIT"
    git --git-dir="$TYK_GIT" archive "$commit" | tar -x -C "$gw"
  else
    echo "source: go mod download $gateway_module@$pseudo"
    local dir
    dir=$(go mod download -json "$gateway_module@$pseudo" | awk -F'"' '/"Dir"/ { print $4 }') || true
    [ -n "$dir" ] || { echo "the module proxy does not serve $pseudo: set TYK_SRC or TYK_GIT" >&2; exit 3; }
    cp -r "$dir/." "$gw"; chmod -R u+w "$gw"
  fi
  cmp -s "$gw/go.mod" "$corpus/go.mod" || { echo "the source's go.mod is not the corpus's $release go.mod" >&2; exit 2; }
  echo "$stamp" > "$work/gateway.stamp"
}
get_source
gwflags="-tags=goplugin -trimpath"
tyk_stamp="$commit $(go version) CGO_ENABLED=$CGO_ENABLED $gwflags"
echo "$(go version); gateway $release at $commit"
if [ -x "$work/tyk" ] && [ -f "$work/tyk.stamp" ] && [ "$(cat "$work/tyk.stamp")" = "$tyk_stamp" ]; then
  echo "gateway: $work/tyk (kept: $tyk_stamp)"
else
  rm -f "$work/tyk.stamp"
  # shellcheck disable=SC2086 # two flags
  (cd "$gw" && go build $gwflags -o "$work/tyk" .) || { echo "the gateway does not build here" >&2; exit 3; }
  echo "$tyk_stamp" > "$work/tyk.stamp"
  echo "gateway built in $((SECONDS - t0)) s"
fi
"$work/tyk" plugin load --help > /dev/null 2>&1 || { echo "this release has no 'tyk plugin load'" >&2; exit 2; }

# Modules the gateway binary links (path version), without those it replaces.
gw_links=$(go version -m "$work/tyk" | awk '
  $1 == "dep" { if (p != "") print p, v; p = $2; v = $3; next }
  $1 == "=>"  { p = ""; next }
  END { if (p != "") print p, v }')

# ------------------------------------------------------------------- helpers
# `tyk plugin load`: "loads" or the loader's error; the whole output in $2.
real_load() { # SO SYMBOL OUT
  local out
  out=$("$work/tyk" plugin load -f "$1" -s "$2" 2>&1) || true
  printf '%s\n' "$out" > "$3"
  if grep -q 'loaded ok' <<< "$out"; then
    echo loads
  elif grep -q 'unexpected panic' <<< "$out"; then
    # The loader recovers a panic of the plugin's init functions, which run
    # inside plugin.Open once every package hash has been accepted.
    echo "init panic: $(grep -o 'unexpected panic.*' <<< "$out" | head -1 | sed 's/, try --help$//')"
  elif grep -q 'plugin\.Open' <<< "$out"; then
    # kingpin reports the action's error as "tyk: error: ..., try --help".
    grep -o 'plugin\.Open.*' <<< "$out" | head -1 | sed 's/, try --help$//'
  else
    grep -v '^[[:space:]]*$' <<< "$out" | tail -1
  fi
}

# The binary audit's prediction in the same shape (it exits 1 for a failure).
binary_load() { # SO JSON-OUT
  local rc=0
  "$tykdeps" audit --gateway-bin "$work/tyk" --plugin-so "$1" --format json > "$2" 2> "$2.stderr" || rc=$?
  case $rc in 0 | 1 | 3) jq -r '.plugins[0] | if .verdict == "loads" then "loads" else (.loader_message // .verdict) end' "$2" ;;
    *) echo "error (exit $rc): $(tail -1 "$2.stderr")" ;; esac
}

# The static audit's verdict on the workspace as it stands, before a build.
static_verdict() { # JSON-OUT
  local rc=0
  (cd "$work" && "$tykdeps" audit --format json) > "$1" 2> "$1.stderr" || rc=$?
  case $rc in 0 | 1 | 3) jq -r '.verdict' "$1" ;; *) echo "error (exit $rc)" ;; esac
}

# What the report says it assumed about the build, if it says (a newer field).
static_assumptions() { # JSON
  jq -c '[.assumptions, .assumed_build, .plugins[0].assumptions, .plugins[0].assumed_build] | map(select(. != null)) | first // empty' "$1" 2> /dev/null || true
}

# The workspace of the Tyk docs: go.work using ./gateway and ./plugin.
workspace() { # SOURCE-DIR [MODULE-PATH for go mod init]
  chmod -R u+w "$work/plugin" 2> /dev/null || true
  rm -rf "$work/plugin" "$work/go.work" "$work/go.work.sum"
  cp -r "$1" "$work/plugin"; chmod -R u+w "$work/plugin"
  [ -f "$work/plugin/go.mod" ] || (cd "$work/plugin" && GOWORK=off go mod init "$2" 2> /dev/null)
  (cd "$work" && GOWORK=off go work init ./gateway ./plugin)
}
snapshot() { # DEST
  rm -rf "$1"; cp -r "$work/plugin" "$1"
}
build() { # PKG OUT FLAGS...
  local pkg=$1 out=$2; shift 2
  (cd "$work/plugin" && go build -buildmode=plugin "$@" -o "$out" "$pkg") > "$out.log" 2>&1
}
first_error() { grep -v '^go: downloading' "$1" | grep -v '^#' | head -1; }

# The next release after VERSION of MODULE (patch, else minor), or nothing.
next_release() { # MODULE VERSION
  [[ $2 =~ ^v[0-9]+\.[0-9]+\.[0-9]+(\+incompatible)?$ ]] || return 0
  (cd "$work/plugin" && go list -m -versions "$1" 2> /dev/null) | tr ' ' '\n' | tail -n +2 |
    awk -v cur="$2" 'found && $0 !~ /-/ { print; exit } $0 == cur { found = 1 }' || true
}

# The moved dependency: "MODULE FROM TO", or nothing.
choose_move() { # PKG LOG
  local linked direct indirect m v next n=0
  linked=$(cd "$work/plugin" && go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{end}}{{end}}' "$1" | sort -u)
  # shared: linked by the plugin and by the gateway binary (same path)
  linked=$(join <(echo "$linked") <(echo "$gw_links" | sort -u) | awk '{ print $1, $2 }')
  sed 's/^/shared: /' <<< "$linked" > "$2"
  direct=$(cd "$work/plugin" && go mod edit -json | jq -r '.Require // [] | .[] | select(.Indirect != true) | .Path')
  indirect=$(cd "$work/plugin" && go mod edit -json | jq -r '.Require // [] | .[] | select(.Indirect == true) | .Path')
  while read -r m v; do
    [ -n "$m" ] || continue
    n=$((n + 1)); [ $n -le 25 ] || break
    next=$(next_release "$m" "$v")
    echo "candidate $m $v: next ${next:-none}" >> "$2"
    if [ -n "$next" ]; then echo "$m $v $next"; return; fi
  done < <(
    echo "$linked" | while read -r m v; do
      if grep -qxF "$m" <<< "$direct"; then echo "0 $m $v"
      elif grep -qxF "$m" <<< "$indirect"; then echo "1 $m $v"
      else echo "2 $m $v"; fi
    done | sort -k1,1n -k2,2 | cut -d' ' -f2-)
}

# ------------------------------------------------------------------- plugins
rows=()        # plugin|module|variant|load|static|binary|match
messages=()    # verbatim loader messages
notes=()
static_ok=0 static_total=0 binary_ok=0 binary_total=0 outside=0 not_built=0
row() { rows+=("$1|$2|$3|$4|$5|$6|$7"); }
short() {
  case $1 in loads) echo loads ;; plugin.Open*) echo fails ;; "init panic"*) echo "loads*" ;; *) echo "$1" ;; esac
}
# The verdict an audit must give for a load result: a plugin whose init
# panicked passed the version check, which is all either audit judges.
expected() { case $1 in "init panic"*) echo loads ;; *) echo "$1" ;; esac; }

# The three variants of one plugin, as-is first.
check_plugin() { # ENTRY
  local entry=$1 dir sym name="" init="" move="" pkg=. kv
  IFS=: read -r -a parts <<< "$entry"
  dir=${parts[0]}; sym=${parts[1]:-}
  [ -n "$sym" ] || { echo "entry $entry: no SYMBOL" >&2; exit 2; }
  for kv in "${parts[@]:2}"; do
    case $kv in
      name=*) name=${kv#name=} ;; init=*) init=${kv#init=} ;;
      move=*) move=${kv#move=} ;; pkg=*) pkg=${kv#pkg=} ;;
      *) echo "entry $entry: unknown $kv" >&2; exit 2 ;;
    esac
  done
  [[ $dir == @gateway/* ]] && dir=$gw/${dir#@gateway/}
  [ -d "$dir" ] || { echo "entry $entry: no directory $dir" >&2; exit 2; }
  [ -n "$name" ] || name=$(basename "$dir")
  local pd=$work/plugins/$name t=$SECONDS
  chmod -R u+w "$pd" 2> /dev/null || true
  rm -rf "$pd"; mkdir -p "$pd"
  echo "== $name ($dir, symbol $sym)"

  if [ ! -f "$dir/go.mod" ]; then
    [ -n "$init" ] || { echo "entry $entry: $dir has no go.mod and no init=MODULE" >&2; exit 2; }
    notes+=("$name: no go.mod in its source; go mod init $init, as its build instructions do")
  fi
  workspace "$dir" "$init"
  export GOWORK=$work/go.work
  local modpath
  modpath=$(cd "$work/plugin" && go mod edit -json | jq -r .Module.Path)
  # Its gateway requirement (a pseudo-version the proxy here may refuse, or an
  # old +incompatible one) goes: the workspace's gateway checkout replaces it.
  if (cd "$work/plugin" && go mod edit -json | jq -e --arg g "$gateway_module" '[.Require // [] | .[] | select(.Path == $g)] | length > 0' > /dev/null); then
    notes+=("$name: require $gateway_module $(cd "$work/plugin" && go mod edit -json | jq -r --arg g "$gateway_module" '.Require[] | select(.Path == $g) | .Version') dropped (the workspace's gateway takes its place)")
  fi
  (cd "$work/plugin" && go mod edit -droprequire="$gateway_module" -dropreplace="$gateway_module")
  local err
  if ! (cd "$work/plugin" && go list -deps "$pkg") > "$pd/deps.log" 2>&1; then
    err=$(first_error "$pd/deps.log")
    echo "   does not build against $release: $err"
    row "$name" "$modpath" "as-is" "not built" "-" "-" "-"; not_built=$((not_built + 1))
    messages+=("$name as-is: does not build against $release: $err")
    snapshot "$pd/as-is"; export GOWORK=off; return
  fi

  # as-is and notrim: one source, one static audit.
  local static_asis real bin
  static_asis=$(static_verdict "$pd/as-is.static.json")
  local assumed; assumed=$(static_assumptions "$pd/as-is.static.json")
  [ -z "$assumed" ] || notes+=("$name: static audit assumed $assumed")
  snapshot "$pd/as-is"
  if ! build "$pkg" "$pd/as-is.so" -trimpath; then
    err=$(first_error "$pd/as-is.so.log")
    echo "   does not build against $release: $err"
    row "$name" "$modpath" "as-is" "not built" "$static_asis" "-" "-"; not_built=$((not_built + 1))
    messages+=("$name as-is: does not build against $release: $err")
    export GOWORK=off; return
  fi
  build "$pkg" "$pd/notrim.so" || { echo "   no-trimpath build failed: $(first_error "$pd/notrim.so.log")"; }

  # moved: one shared dependency raised.
  local m from to how=given
  if [ "$move" = none ]; then m=""
  elif [ -n "$move" ]; then
    m=${move%@*}; from=$(cd "$work/plugin" && go list -m -f '{{.Version}}' "$m")
    if [[ $move == *@* ]]; then to=${move#*@}; else to=$(next_release "$m" "$from"); fi
  else
    how=chosen; read -r m from to < <(choose_move "$pkg" "$pd/move-candidates.log"; echo) || true
  fi
  local static_moved=""
  if [ -n "$m" ] && [ -n "$to" ]; then
    echo "   moved: $m $from -> $to ($how)"
    notes+=("$name: moved $m $from -> $to ($how)")
    (cd "$work/plugin" && go mod edit -require="$m@$to" && go mod download "$m@$to") > "$pd/moved.log" 2>&1
    # A requirement written by hand lacks the go.sum lines of the new version's
    # own requirements; go get adds them, as a user would run it.
    if ! (cd "$work/plugin" && go list -deps "$pkg") >> "$pd/moved.log" 2>&1; then
      (cd "$work/plugin" && go get "$m@$to") >> "$pd/moved.log" 2>&1 || true
    fi
    static_moved=$(static_verdict "$pd/moved.static.json")
    snapshot "$pd/moved"
    if ! build "$pkg" "$pd/moved.so" -trimpath; then
      err=$(first_error "$pd/moved.so.log")
      echo "   moved variant does not build: $err"
      messages+=("$name moved: does not build: $err")
      row "$name" "$modpath" "moved" "not built" "$static_moved" "-" "-"; not_built=$((not_built + 1))
    fi
  elif [ "$move" != none ]; then
    notes+=("$name: no shared dependency to move (none with a newer release)")
  fi
  export GOWORK=off

  local v so static
  for v in as-is moved notrim; do
    so=$pd/$v.so
    [ -f "$so" ] || continue
    real=$(real_load "$so" "$sym" "$pd/$v.load.txt")
    bin=$(binary_load "$so" "$pd/$v.binary.json")
    [ "$real" = loads ] || messages+=("$name $v: $real")
    binary_total=$((binary_total + 1))
    local match bm=no
    if [ "$(expected "$real")" = "$bin" ]; then bm=yes; binary_ok=$((binary_ok + 1)); fi
    if [ $v = notrim ]; then
      static=$static_asis
      outside=$((outside + 1))
      match="binary $bm; static n/a (build flags)"
    else
      [ $v = as-is ] && static=$static_asis || static=$static_moved
      static_total=$((static_total + 1))
      local sm=no
      if [ "$static" = "$(short "$(expected "$real")")" ]; then sm=yes; static_ok=$((static_ok + 1)); fi
      match="static $sm, binary $bm"
    fi
    [ "$(expected "$real")" = "$bin" ] || messages+=("$name $v: binary audit said: $bin")
    [[ $real != "init panic"* ]] || notes+=("$name $v: loads* = its init panicked inside plugin.Open, after the version check passed (the audits judge only that check)")
    row "$name" "$modpath" "$v" "$(short "$real")" "$static" "$(short "$bin")" "$match"
  done
  echo "   $((SECONDS - t)) s"
}

for e in "${entries[@]}"; do check_plugin "$e"; done

# -------------------------------------------------------------------- report
echo
{
  echo "plugin|module path|variant|tyk plugin load|static|binary|match?"
  printf '%s\n' "${rows[@]}"
} | awk -F'|' '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR }
  END { for (r = 1; r <= n; r++) { line = ""; for (i = 1; i <= 7; i++) line = line sprintf(i < 7 ? "%-" w[i] "s  " : "%s", c[r, i]); print line } }'
echo
for n in "${notes[@]}"; do echo "note: $n"; done
for m in "${messages[@]}"; do echo "loader: $m"; done
echo "gateway binary: $work/tyk ($(du -h "$work/tyk" | cut -f1)); total $((SECONDS - t0)) s"
echo "real-world check ($release): static audit $static_ok/$static_total (as-is and moved), binary audit $binary_ok/$binary_total, $outside built without -trimpath (outside the static audit's assumptions), $not_built not built"
[ "$static_ok" = "$static_total" ] && [ "$binary_ok" = "$binary_total" ]
