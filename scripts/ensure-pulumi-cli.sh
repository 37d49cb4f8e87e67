#!/usr/bin/env bash
# ensure-pulumi-cli.sh: make a Pulumi CLI (engine + Node.js language host + dynamic-provider plugin) available
# for partnerlink's end-to-end tests, and print the directory to put first on PATH.
#
#   scripts/ensure-pulumi-cli.sh          prints the bin dir (one line) and nothing else on success
#   scripts/ensure-pulumi-cli.sh --env    prints `export ...` lines to `eval`/`source` (PATH with Node 24 first,
#                                         PULUMI_SKIP_UPDATE_CHECK, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION)
#
# Idempotent and safe to run concurrently (flock). Works from any cwd, from `npm run` and from .ci/run.
#
# 1. A `pulumi` on PATH of at least MIN_SYSTEM_VERSION, with `pulumi-language-nodejs` beside it (a normal
#    install on a partner's machine), is used as is: the bin dir then holds links to it.
#    Set PARTNERLINK_PULUMI_FROM_SOURCE=1 to ignore it and build.
# 2. Otherwise the CLI is built from Go modules, once per machine and checkout, into
#    .cache/pulumi-cli/v$PULUMI_CLI_VERSION/bin (git-ignored). Go's module and build caches in $HOME make a
#    rebuild in a fresh clone cheap.
#    - `github.com/pulumi/pulumi/pkg/v3` carries `replace` directives, so `go install pkg/v3/cmd/pulumi@v` is
#      refused; we generate a wrapper module that requires pkg/v3 and sdk/v3 at the same version and repeats
#      pkg's non-sdk replace directives, read from pkg's go.mod as the module proxy serves it.
#    - The Node.js language host is its own, untagged module (github.com/pulumi/pulumi/sdk/nodejs/cmd/
#      pulumi-language-nodejs/v3) which the module proxy reachable here refuses (403 "This module version is not
#      available"), as it refuses pkg/v3 zips after v3.259.0. The last module that still carries the host as a
#      package is github.com/pulumi/pulumi/sdk/v3@v3.68.0: it is built from there (a second generated wrapper
#      module) as `pulumi-language-nodejs-v3.68`. It runs programs and dynamic providers, but answers "not
#      supported" to RunPlugin, which a v3.259 engine uses to start Node.js policy packs; so the `nodejs` language
#      plugin on PATH is partnerlink's own shim (scripts/language-host-shim: serves RunPlugin, relays everything
#      else to the v3.68 host). No Pulumi source is kept in this repository: everything comes from the proxy.
#    - Hence PULUMI_CLI_VERSION is 3.259.0 while node_modules has @pulumi/pulumi 3.270.0: the engine and the
#      Node SDK talk gRPC and the SDK feature-probes the engine (SupportsFeature), so a newer SDK on an older
#      engine is a supported combination; test/e2e exercises it.
#    - `pulumi-resource-pulumi-nodejs` (dynamic providers) is the script at the root of the @pulumi/pulumi npm
#      package; the bin dir links to it.
#    - No `pulumi-analyzer-policy` is needed: with a `nodejs` language plugin present the engine starts policy
#      packs through the language plugin's RunPlugin (sdk/v3@v3.259.0 go/common/resource/plugin/analyzer_plugin.go
#      NewPolicyAnalyzer), which the shim serves by running @pulumi/pulumi/cmd/run-policy-pack.
set -euo pipefail

PULUMI_CLI_VERSION=3.259.0         # the newest pkg/v3 whose source the module proxy serves here
LANGUAGE_HOST_SDK_VERSION=3.68.0   # the last sdk/v3 that contains nodejs/cmd/pulumi-language-nodejs
MIN_SYSTEM_VERSION=3.249.0   # @pulumi/pulumi's own floor for this project (package.json peerDependencies)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache/pulumi-cli"
MODE=bin
case "${1:-}" in
  "") ;;
  --env) MODE=env ;;
  -h|--help) sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "ensure-pulumi-cli: unknown argument '$1' (use no argument, or --env)" >&2; exit 2 ;;
esac

die() { echo "ensure-pulumi-cli: $*" >&2; exit 1; }

NODE_PKG_SCRIPT="$ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
[ -f "$NODE_PKG_SCRIPT" ] || die "$NODE_PKG_SCRIPT is missing: run 'npm ci' in $ROOT first"

emit() { # $1 = bin dir
  if [ "$MODE" = env ]; then
    printf 'export PATH=%q:%q:"$PATH"\n' "$ROOT/node_modules/.bin" "$1"
    echo 'export PULUMI_SKIP_UPDATE_CHECK=true'
    echo 'export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true'
  else
    echo "$1"
  fi
}

# version_ge A B: true when semver A >= B (numeric x.y.z, pre-release suffix ignored)
version_ge() { [ "$(printf '%s\n%s\n' "${2%%-*}" "${1%%-*}" | sort -V | head -n1)" = "${2%%-*}" ]; }

link_bin() { # $1 = dir, $2 = pulumi, $3 = language host
  mkdir -p "$1"
  ln -sfn "$2" "$1/pulumi"
  ln -sfn "$3" "$1/pulumi-language-nodejs"
  ln -sfn "$NODE_PKG_SCRIPT" "$1/pulumi-resource-pulumi-nodejs"
}

# --- 1. a recent enough pulumi on PATH -------------------------------------------------------------------------
if [ "${PARTNERLINK_PULUMI_FROM_SOURCE:-}" != 1 ] && sys="$(command -v pulumi 2>/dev/null)"; then
  case "$sys" in "$CACHE"/*) sys="" ;; esac   # our own build on PATH is handled below
  if [ -n "$sys" ]; then
    sysv="$(PULUMI_SKIP_UPDATE_CHECK=true "$sys" version 2>/dev/null | tr -d 'v\r' || true)"
    sysdir="$(dirname "$(readlink -f "$sys")")"
    lang="$(command -v pulumi-language-nodejs 2>/dev/null || true)"
    [ -n "$lang" ] || { [ -x "$sysdir/pulumi-language-nodejs" ] && lang="$sysdir/pulumi-language-nodejs"; }
    if [ -n "$sysv" ] && version_ge "$sysv" "$MIN_SYSTEM_VERSION" && [ -n "$lang" ]; then
      dir="$CACHE/system-v$sysv/bin"
      link_bin "$dir" "$sys" "$lang"
      emit "$dir"
      exit 0
    fi
  fi
fi

# --- 2. build from Go modules ----------------------------------------------------------------------------------
GO="$(command -v go 2>/dev/null || true)"
[ -n "$GO" ] || { [ -x /usr/local/go/bin/go ] && GO=/usr/local/go/bin/go; }
[ -n "$GO" ] || die "no 'pulumi' (>= $MIN_SYSTEM_VERSION) on PATH and no Go toolchain to build one: install Pulumi (https://www.pulumi.com/docs/install/) or Go >= 1.25"

VDIR="$CACHE/v$PULUMI_CLI_VERSION"
BIN="$VDIR/bin"
LOG="$VDIR/build.log"
SHIM_SRC="$ROOT/scripts/language-host-shim"
# Inputs of the build: a change to this script or to the shim rebuilds.
STAMP="$(cat "${BASH_SOURCE[0]}" "$SHIM_SRC"/*.go "$SHIM_SRC"/go.mod "$SHIM_SRC"/go.sum | sha256sum | cut -c1-16) $("$GO" env GOVERSION)"

is_current() {
  [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-language-nodejs" ] && [ -x "$BIN/pulumi-language-nodejs-v3.68" ] && [ -f "$BIN/.stamp" ] &&
    [ "$(cat "$BIN/.stamp")" = "$STAMP" ]
}

mkdir -p "$VDIR"
exec 9>"$VDIR/.lock"
flock 9
if is_current; then
  ln -sfn "$NODE_PKG_SCRIPT" "$BIN/pulumi-resource-pulumi-nodejs"
  emit "$BIN"
  exit 0
fi

: >"$LOG"
step() { # $1 = description; rest = command. Runs it with output in $LOG; on failure names the command and error.
  local what="$1"; shift
  echo "+ $*" >>"$LOG"
  if ! "$@" >>"$LOG" 2>&1; then
    echo "ensure-pulumi-cli: $what failed: $*" >&2
    echo "--- last lines of $LOG:" >&2
    tail -n 15 "$LOG" >&2
    exit 1
  fi
}

SRC="$VDIR/src"
TMPBIN="$VDIR/bin.tmp.$$"
trap 'rm -rf "$TMPBIN"' EXIT
rm -rf "$SRC" && mkdir -p "$SRC/cli" "$SRC/language-host" "$TMPBIN"
cd "$SRC/cli"
export GOFLAGS="-mod=mod -buildvcs=false"
PKG="github.com/pulumi/pulumi/pkg/v3"
SDK="github.com/pulumi/pulumi/sdk/v3"

# pkg's go.mod as the proxy serves it (`go mod download -json` reports its path as GoMod).
step "reading $PKG@v$PULUMI_CLI_VERSION's go.mod from the module proxy" \
  "$GO" mod download -json "$PKG@v$PULUMI_CLI_VERSION"
PKG_GOMOD="$("$GO" mod download -json "$PKG@v$PULUMI_CLI_VERSION" 2>/dev/null | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
[ -f "$PKG_GOMOD" ] || die "could not locate $PKG@v$PULUMI_CLI_VERSION's go.mod (see $LOG)"
GO_DIRECTIVE="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$PKG_GOMOD" | head -n1)"
# pkg's replace directives (single-line and block form), minus the ones pointing at local directories
# (`=> ../sdk`): those are the monorepo's sdk/v3, which we require at the same version instead.
REPLACES="$(awk '
  /^replace[[:space:]]*\($/ { inblock = 1; next }
  inblock && /^\)/           { inblock = 0; next }
  inblock                    { print "replace " $0; next }
  /^replace[[:space:]]/      { print }
' "$PKG_GOMOD" | sed 's/^replace[[:space:]]*/replace /' | grep -v '=>[[:space:]]*\.' || true)"

cat >go.mod <<EOF
// Generated by scripts/ensure-pulumi-cli.sh: builds the Pulumi CLI v$PULUMI_CLI_VERSION.
module partnerlink.local/pulumi-cli

go ${GO_DIRECTIVE:-1.25}

require (
	$PKG v$PULUMI_CLI_VERSION
	$SDK v$PULUMI_CLI_VERSION
)

$REPLACES
EOF

step "resolving the CLI's modules" "$GO" get "$PKG/cmd/pulumi@v$PULUMI_CLI_VERSION" "$SDK@v$PULUMI_CLI_VERSION"
for m in "$PKG" "$SDK"; do
  got="$("$GO" list -m -f '{{.Version}}' "$m")"
  [ "$got" = "v$PULUMI_CLI_VERSION" ] || die "wrapper module resolved $m to $got, expected v$PULUMI_CLI_VERSION (see $SRC/cli/go.mod)"
done

LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_CLI_VERSION"
step "building pulumi" nice -n 10 "$GO" build -trimpath -ldflags "$LDFLAGS" -o "$TMPBIN/pulumi" "$PKG/cmd/pulumi"

# The Node.js language host, from the last sdk/v3 module that contains it (see the header).
HOST_PKG="$SDK/nodejs/cmd/pulumi-language-nodejs"
cd "$SRC/language-host"
printf '// Generated by scripts/ensure-pulumi-cli.sh: builds the Node.js language host of %s v%s.\nmodule partnerlink.local/pulumi-language-nodejs\n\ngo 1.20\n' \
  "$SDK" "$LANGUAGE_HOST_SDK_VERSION" >go.mod
printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$HOST_PKG" >tools.go
step "resolving the language host's modules" "$GO" get "$SDK@v$LANGUAGE_HOST_SDK_VERSION"
step "resolving the language host's modules" "$GO" mod tidy
step "building pulumi-language-nodejs v$LANGUAGE_HOST_SDK_VERSION" nice -n 10 "$GO" build -trimpath -ldflags "-s -w" \
  -o "$TMPBIN/pulumi-language-nodejs-v3.68" "$HOST_PKG"

# partnerlink's shim, under the name the engine looks for (it starts the v3.68 host beside itself).
cd "$SHIM_SRC"
step "building the language host shim (scripts/language-host-shim)" env GOFLAGS="-mod=readonly -buildvcs=false" nice -n 10 "$GO" build \
  -trimpath -ldflags "-s -w" -o "$TMPBIN/pulumi-language-nodejs" .

v="$("$TMPBIN/pulumi" version 2>>"$LOG" | tr -d '\r')"
[ "$v" = "v$PULUMI_CLI_VERSION" ] || die "built pulumi reports version '$v', expected v$PULUMI_CLI_VERSION (see $LOG)"
ln -sfn "$NODE_PKG_SCRIPT" "$TMPBIN/pulumi-resource-pulumi-nodejs"
echo "$STAMP" >"$TMPBIN/.stamp"
rm -rf "$BIN" && mv "$TMPBIN" "$BIN"   # nothing half-written: the bin dir appears whole or not at all
emit "$BIN"
