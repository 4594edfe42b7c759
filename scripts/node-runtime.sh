#!/usr/bin/env bash
# node-runtime.sh: prints the directory of the `node` the project runs on.
#
# The program, the policy pack, the tests and the command line are TypeScript that
# Node runs as it is (built-in type stripping, Node >= 22.18). When the machine's node
# is older, the version in .node-version is installed from the npm registry's
# node-linux-<arch> package into the shared cache (once per version) and linked
# as .state/node; nothing is installed system-wide. The machine's npm keeps working
# with it: npm runs on whichever node comes first on PATH.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"

minimum=22.18.0
wanted=$(tr -d '[:space:]v' <"$REPO_ROOT/.node-version")

# at_least VERSION MINIMUM: VERSION (x.y.z) is MINIMUM or newer.
at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

if [ -z "${COMPOSE_PULUMI_NODE_DOWNLOAD:-}" ] && command -v node >/dev/null; then
  current=$(node --version 2>/dev/null | tr -d v)
  case "$(dirname "$(command -v node)")" in
    "$CACHE_ROOT"/node/*) ;; # our own earlier install: fall through to the wanted version
    *) if at_least "$current" "$minimum"; then
         dirname "$(command -v node)"
         exit 0
       fi ;;
  esac
fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) die "no Node.js package for $(uname -m) on the npm registry" "install Node.js $minimum or newer yourself" ;;
esac
dir="$CACHE_ROOT/node/v$wanted-linux-$arch"
# npm reads its global settings (registry, proxy, cafile) from <node's prefix>/etc/npmrc:
# with this node first on PATH, that prefix is the cache. Link the machine's file there,
# as its npm reports it before the switch, so those settings keep applying.
machine_npmrc=$(npm config get globalconfig 2>/dev/null || true)
if [ ! -x "$dir/bin/node" ]; then
  say "installing Node.js $wanted (node-linux-$arch from the npm registry; the machine has ${current:-none}, the project needs $minimum or newer)..."
  mkdir -p "$CACHE_ROOT/node" "$LOG_DIR"
  work=$(mktemp -d "$CACHE_ROOT/node/.download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  run_logged "$LOG_DIR/node-download.log" "is the npm registry reachable? (npm config get registry)" \
    npm pack --silent --pack-destination "$work" "node-linux-$arch@$wanted"
  tar -xzf "$work"/node-linux-"$arch"-*.tgz -C "$work"
  [ "$("$work/package/bin/node" --version)" = "v$wanted" ] ||
    die "the downloaded node does not report v$wanted" "remove $CACHE_ROOT/node and re-run npm run setup"
  rm -rf "$dir"
  mv "$work/package" "$dir"
fi
if [ -n "$machine_npmrc" ] && [ -f "$machine_npmrc" ] && [ "$machine_npmrc" != "$dir/etc/npmrc" ]; then
  mkdir -p "$dir/etc"
  ln -sfn "$machine_npmrc" "$dir/etc/npmrc"
fi
mkdir -p "$STATE_DIR"
ln -sfn "$dir" "$STATE_DIR/node"
printf '%s\n' "$dir/bin"
