#!/usr/bin/env bash
# Hostile inputs: generate each one in a scratch directory (never in the
# repository), run the go command and tykdeps on it under `timeout` and
# `/usr/bin/time -v`, and print one table row per run: exit code, seconds,
# peak RSS and the first line of the error. The go command is the reference
# for what is refused and why; tykdeps must end in bounded time and memory
# with a diagnostic that names the file and the cause.
#
#   bench/hostile-inputs.sh [CASE...]      (default: every case)
#
# Cases: gomod-100mb gomod-100mb-line requires-100k gosum-1m replace-chain
# replace-cycle symlinks gowork-1000 encoding elf-absurd zip-bomb
#
# TYKDEPS_BIN picks the binary (default: a release build in
# $CARGO_TARGET_DIR); LIMIT the seconds each run may take (default 300);
# HUGE=1 adds a module zip over 500 MiB to zip-bomb (written to disk).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
if [[ -z ${TYKDEPS_BIN:-} ]]; then
  cargo build --release -q -p tykdeps --manifest-path "$root/Cargo.toml"
  TYKDEPS_BIN=$CARGO_TARGET_DIR/release/tykdeps
fi
limit=${LIMIT:-300}
work=$(mktemp -d); trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false" GOWORK=off GOSUMDB=off GOENV=off \
  GOPROXY=off GOMODCACHE="$work/modcache" GOPRIVATE= GONOPROXY= GONOSUMDB=

printf '%-17s %-8s %-28s %5s %8s %9s  %s\n' case tool command exit seconds "RSS MiB" "first line of stderr"
# run CASE TOOL LABEL DIR CMD...: one measured run in DIR.
run() {
  local case=$1 tool=$2 label=$3 dir=$4; shift 4
  local log=$work/time.log err=$work/stderr
  (cd "$dir" && /usr/bin/time -v -o "$log" timeout "$limit" "$@" >/dev/null 2>"$err") && code=0 || code=$?
  local secs rss first
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; printf "%.2f", s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  # The line that says what went wrong: miette's "×" line, else the first
  # one that says something (go prints "go: downloading" first).
  first=$( (grep -m1 '×' "$err" || grep -v -e '^go: downloading' -e '^\s*$' "$err" | head -1) |
    sed -e "s|$work|\$W|g" -e 's/^ *× *//' | cut -c1-110 || true)
  [[ $code == 124 ]] && first="TIMEOUT after ${limit}s"
  printf '%-17s %-8s %-28s %5s %8s %9s  %s\n' "$case" "$tool" "$label" "$code" "$secs" "$rss" "$first"
}

# A tiny gateway checkout for the cases that audit.
gateway() {
  mkdir -p "$work/gw"
  printf 'module example.com/gw\n\ngo 1.22\n' > "$work/gw/go.mod"
  printf 'package main\n\nfunc main() {}\n' > "$work/gw/main.go"
}
audit=("$TYKDEPS_BIN" audit --gateway "$work/gw" --gateway-module example.com/gw)

gomod_100mb() {
  local d=$work/gomod-100mb; mkdir -p "$d"
  { printf 'module example.com/big\n\ngo 1.22\n'
    (set +o pipefail; yes '// padding padding padding padding padding padding padding padding padding pad' | head -c 104857600)
  } > "$d/go.mod"
  run gomod-100mb go "mod edit -json" "$d" go mod edit -json
  run gomod-100mb tykdeps "parse go.mod" "$d" "$TYKDEPS_BIN" parse go.mod
  run gomod-100mb tykdeps "graph" "$d" "$TYKDEPS_BIN" graph
}

gomod_100mb_line() {
  local d=$work/gomod-100mb-line; mkdir -p "$d"
  { printf 'module example.com/big\n\ngo 1.22\n// '; head -c 104857600 /dev/zero | tr '\0' x; printf '\n'; } > "$d/go.mod"
  run gomod-100mb-line go "mod edit -json" "$d" go mod edit -json
  run gomod-100mb-line tykdeps "parse go.mod" "$d" "$TYKDEPS_BIN" parse go.mod
  run gomod-100mb-line tykdeps "graph" "$d" "$TYKDEPS_BIN" graph
}

requires_100k() {
  local d=$work/requires-100k; mkdir -p "$d"
  { printf 'module example.com/many\n\ngo 1.22\n\nrequire (\n'
    seq -f $'\texample.com/m%06g v1.0.0' 1 100000; printf ')\n'; } > "$d/go.mod"
  run requires-100k go "mod edit -json" "$d" go mod edit -json
  run requires-100k go "list -m all (GOPROXY=off)" "$d" go list -m all
  run requires-100k tykdeps "parse go.mod" "$d" "$TYKDEPS_BIN" parse go.mod
  run requires-100k tykdeps "graph (GOPROXY=off)" "$d" "$TYKDEPS_BIN" graph
}

gosum_1m() {
  local d=$work/gosum-1m; mkdir -p "$d"
  printf 'module example.com/sums\n\ngo 1.22\n' > "$d/go.mod"
  awk 'BEGIN { for (i = 0; i < 500000; i++) {
      printf "example.com/m%06d v1.0.0 h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=\n", i
      printf "example.com/m%06d v1.0.0/go.mod h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=\n", i } }' > "$d/go.sum"
  run gosum-1m go "list -m all" "$d" go list -m all
  run gosum-1m go "mod verify" "$d" go mod verify
  run gosum-1m tykdeps "parse go.sum" "$d" "$TYKDEPS_BIN" parse go.sum
  run gosum-1m tykdeps "graph" "$d" "$TYKDEPS_BIN" graph
  gateway
  printf 'package main\n\nfunc main() {}\n' > "$d/main.go"
  run gosum-1m tykdeps "audit" "$d" "${audit[@]}"
}

replace_chain() {
  # Unpruned (go 1.16) modules, so every link of the chain is loaded.
  local d=$work/replace-chain n=1000; mkdir -p "$d"
  { printf 'module example.com/main\n\ngo 1.22\n\nrequire example.com/c0001 v0.0.0\n\nreplace (\n'
    for i in $(seq -f %04g 1 $n); do printf '\texample.com/c%s => ./c%s\n' "$i" "$i"; done; printf ')\n'; } > "$d/go.mod"
  for i in $(seq 1 $n); do
    local me next; me=$(printf %04d "$i"); next=$(printf %04d $((i + 1)))
    mkdir -p "$d/c$me"
    if ((i < n)); then
      printf 'module example.com/c%s\n\ngo 1.16\n\nrequire example.com/c%s v0.0.0\n' "$me" "$next" > "$d/c$me/go.mod"
    else
      printf 'module example.com/c%s\n\ngo 1.16\n' "$me" > "$d/c$me/go.mod"
    fi
  done
  run replace-chain go "list -m all" "$d" go list -m all
  run replace-chain tykdeps "graph" "$d" "$TYKDEPS_BIN" graph
}

replace_cycle() {
  local d=$work/replace-cycle; mkdir -p "$d/a" "$d/b"
  cat > "$d/go.mod" <<'EOF'
module example.com/main

go 1.22

require (
	example.com/a v0.0.0
	example.com/x v1.0.0
	example.com/self v0.0.0
)

replace (
	example.com/a => ./a
	example.com/b => ./b
	example.com/x v1.0.0 => example.com/y v1.0.0
	example.com/y v1.0.0 => example.com/x v1.0.0
	example.com/self => ./
)
EOF
  printf 'module example.com/a\n\ngo 1.22\n\nrequire example.com/b v0.0.0\n' > "$d/a/go.mod"
  printf 'module example.com/b\n\ngo 1.22\n\nrequire example.com/a v0.0.0\n' > "$d/b/go.mod"
  run replace-cycle go "list -m all" "$d" go list -m all
  run replace-cycle tykdeps "graph" "$d" "$TYKDEPS_BIN" graph
  # Without the module replacements (they need a proxy): the directory cycle alone.
  sed -i -e '/example.com\/[xy] v1.0.0/d' "$d/go.mod"
  run replace-cycle go "list -m all (dirs only)" "$d" go list -m all
  run replace-cycle tykdeps "graph (dirs only)" "$d" "$TYKDEPS_BIN" graph
}

symlinks() {
  local d=$work/symlinks; mkdir -p "$d/inside/sub" "$work/outside"
  gateway
  cat > "$d/go.mod" <<'EOF'
module example.com/main

go 1.22

require (
	example.com/inside v0.0.0
	example.com/out v0.0.0
)

replace (
	example.com/inside => ./inside
	example.com/out => ./out
)
EOF
  printf 'package main\n\nimport (\n\t_ "example.com/inside/sub"\n\t_ "example.com/out"\n)\n\nfunc main() {}\n' > "$d/main.go"
  printf 'module example.com/inside\n\ngo 1.22\n' > "$d/inside/go.mod"
  printf 'package sub\n' > "$d/inside/sub/sub.go"
  ln -s .. "$d/inside/sub/up"          # a loop inside the replaced tree
  ln -s "$work/outside" "$d/out"       # the replacement itself is outside the tree
  printf 'module example.com/out\n\ngo 1.22\n' > "$work/outside/go.mod"
  printf 'package out\n' > "$work/outside/out.go"
  run symlinks go "list -deps ." "$d" go list -deps .
  run symlinks tykdeps "graph" "$d" "$TYKDEPS_BIN" graph
  run symlinks tykdeps "audit" "$d" "${audit[@]}"
  # The replacement is a symlink to itself.
  rm "$d/out"; ln -s out "$d/out"
  run symlinks-self go "list -m all" "$d" go list -m all
  run symlinks-self tykdeps "graph" "$d" "$TYKDEPS_BIN" graph
  run symlinks-self tykdeps "audit" "$d" "${audit[@]}"
}

gowork_1000() {
  local d=$work/gowork-1000; mkdir -p "$d"
  { printf 'go 1.22\n\nuse (\n'; for i in $(seq -f %04g 0 999); do printf '\t./m%s\n' "$i"; done; printf ')\n'; } > "$d/go.work"
  for i in $(seq -f %04g 0 999); do
    mkdir -p "$d/m$i"; printf 'module example.com/w%s\n\ngo 1.22\n' "$i" > "$d/m$i/go.mod"
  done
  GOFLAGS=-buildvcs=false GOWORK=$d/go.work run gowork-1000 go "list -m all" "$d/m0000" go list -m all
  run gowork-1000 tykdeps "parse go.work" "$d" "$TYKDEPS_BIN" parse go.work
  GOFLAGS=-buildvcs=false GOWORK=$d/go.work run gowork-1000 tykdeps "graph" "$d/m0000" "$TYKDEPS_BIN" graph
}

encoding() {
  local d=$work/encoding; mkdir -p "$d/bom" "$d/latin1" "$d/bomsum"
  printf '\xef\xbb\xbfmodule example.com/bom\n\ngo 1.22\n' > "$d/bom/go.mod"
  printf 'module example.com/latin1\n\ngo 1.22\n// caf\xe9\n' > "$d/latin1/go.mod"
  printf 'module example.com/bomsum\n\ngo 1.22\n' > "$d/bomsum/go.mod"
  printf '\xef\xbb\xbfexample.com/m v1.0.0/go.mod h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=\n' > "$d/bomsum/go.sum"
  for c in bom latin1; do
    run "encoding-$c" go "mod edit -json" "$d/$c" go mod edit -json
    run "encoding-$c" tykdeps "parse go.mod" "$d/$c" "$TYKDEPS_BIN" parse go.mod
    run "encoding-$c" tykdeps "graph" "$d/$c" "$TYKDEPS_BIN" graph
  done
  run encoding-bomsum go "list -m all" "$d/bomsum" go list -m all
  run encoding-bomsum tykdeps "parse go.sum" "$d/bomsum" "$TYKDEPS_BIN" parse go.sum
  run encoding-bomsum tykdeps "graph" "$d/bomsum" "$TYKDEPS_BIN" graph
}

elf_absurd() {
  local d=$work/elf; mkdir -p "$d"
  printf 'module example.com/hello\n\ngo 1.22\n' > "$d/go.mod"
  printf 'package main\n\nfunc main() {}\n' > "$d/main.go"
  (cd "$d" && go build -o hello .)
  python3 "$root/bench/elf-absurd.py" "$d/hello" "$d"
  for bin in "$d"/absurd-*; do
    local name; name=$(basename "$bin")
    run "elf-${name#absurd-}" go "version -m" "$d" go version -m "$bin"
    run "elf-${name#absurd-}" tykdeps "inspect" "$d" "$TYKDEPS_BIN" inspect "$bin"
  done
}

zip_bomb() {
  local d=$work/zip-bomb proxy=$work/bomb-proxy; mkdir -p "$d"
  gateway
  local mods=(deflate gomod license liar)
  if [[ -n ${HUGE:-} ]]; then
    python3 "$root/bench/zip-bomb.py" "$proxy" --huge; mods+=(huge)
  else
    python3 "$root/bench/zip-bomb.py" "$proxy"
  fi
  { printf 'module example.com/main\n\ngo 1.22\n\nrequire (\n'
    for m in "${mods[@]}"; do printf '\tbomb.example/%s v1.0.0\n' "$m"; done; printf ')\n'; } > "$d/go.mod"
  { printf 'package main\n\nimport (\n'
    for m in "${mods[@]}"; do printf '\t_ "bomb.example/%s"\n' "$m"; done; printf ')\n\nfunc main() {}\n'; } > "$d/main.go"
  GOPROXY=file://$proxy run zip-bomb go "mod download" "$d" go mod download
  rm -rf "$GOMODCACHE"
  GOPROXY=file://$proxy run zip-bomb tykdeps "audit" "$d" "${audit[@]}" --format json
  rm -rf "$GOMODCACHE"
}

cases=("$@")
((${#cases[@]})) || cases=(gomod-100mb gomod-100mb-line requires-100k gosum-1m replace-chain replace-cycle symlinks gowork-1000 encoding elf-absurd zip-bomb)
for c in "${cases[@]}"; do "${c//-/_}"; done
