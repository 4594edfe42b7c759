#!/usr/bin/env bash
# Makes the Pulumi toolchain the project runs against available, offline if need be:
# the CLI and Node.js language host matching @pulumi/pulumi, and the resource plugins
# for the provider packages in package.json. Uses an installed `pulumi` when there is
# one, and then leaves its settings alone: no login, and plugins this project built go on
# PATH for the project's own commands rather than into that pulumi's plugin cache.
# Writes .state/pulumi.env.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"

# npm_version PACKAGE: the plugin version an installed @pulumi package asks for.
npm_version() {
  node -e '
    const p = require(process.argv[1] + "/package.json");
    console.log(String((p.pulumi && p.pulumi.version) || p.version).replace(/^v/, ""));
  ' "$REPO_ROOT/node_modules/$1"
}

pulumi_version=$(npm_version @pulumi/pulumi)
docker_version=$(npm_version @pulumi/docker)
command_version=$(npm_version @pulumi/command)
kubernetes_version=$(npm_version @pulumi/kubernetes)

own_cli=false
# A pulumi found under our own cache is a previous build, not a user's installation.
installed_pulumi=$(command -v pulumi || true)
case "$installed_pulumi" in "$TOOLCHAIN_CACHE"/*) installed_pulumi="" ;; esac
if [ -n "$installed_pulumi" ] && [ -z "${COMPOSE_PULUMI_BUILD_CLI:-}" ]; then
  cli_dir=$(dirname "$(command -v pulumi)")
  note "using the installed pulumi at $cli_dir ($(pulumi version))"
else
  own_cli=true
  built_cli=$(bash "$REPO_ROOT/scripts/pulumi-build-cli.sh" "$pulumi_version")
  lang_dir=$(bash "$REPO_ROOT/scripts/pulumi-build-own.sh" language-host pulumi-language-nodejs "$pulumi_version")
  # The CLI prefers (and does not warn about) a language host that sits next to it.
  cli_dir="$TOOLCHAIN_CACHE/bin-$(basename "$built_cli")-$(basename "$lang_dir")"
  if [ ! -x "$cli_dir/pulumi-language-nodejs" ]; then
    rm -rf "$cli_dir.partial"
    cp -al "$built_cli" "$cli_dir.partial"
    ln "$lang_dir/pulumi-language-nodejs" "$cli_dir.partial/"
    rm -rf "$cli_dir"
    mv "$cli_dir.partial" "$cli_dir"
  fi
  export PULUMI_HOME="${PULUMI_HOME:-$CACHE_ROOT/pulumi-home}"
fi
export PATH="$cli_dir:$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true

# has_plugin NAME VERSION [KIND]: the plugin cache already holds that plugin.
has_plugin() {
  pulumi plugin ls --json 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const [name, version, kind] = process.argv.slice(1);
      const found = JSON.parse(s || "[]").some(p =>
        p.name === name && p.kind === kind && p.version === version);
      process.exit(found ? 0 : 1);
    });' "$1" "$2" "${3:-resource}"
}

# install_built_plugin KIND NAME VERSION BINARY: install a plugin we built, once per build.
install_built_plugin() {
  local kind=$1 name=$2 version=$3 binary=$4 marker
  marker="$(dirname "$binary")/.installed-in-$(printf '%s' "${PULUMI_HOME:-$HOME/.pulumi}" | sha256sum | cut -c1-12)"
  if [ -e "$marker" ] && has_plugin "$name" "$version" "$kind"; then
    return 0
  fi
  say "installing $kind plugin $name v$version..."
  run_logged "$LOG_DIR/plugin-install.log" "read the log; remove ${PULUMI_HOME:-~/.pulumi}/plugins/$kind-$name-v$version* and retry" \
    pulumi plugin install "$kind" "$name" "$version" --file "$binary" --reinstall
  touch "$marker"
}


# provide_plugin NAME VERSION BINARY BUILD-SCRIPT ARGS...: with our own CLI, the plugin is
# our build (cached; reinstalled when its sources change). With an installed CLI, an
# installed or downloadable (official) plugin wins; offline, our build is put on the PATH
# of the project's commands, where the CLI finds it as an ambient plugin, and the user's
# plugin cache is left as it was.
ambient_plugin_dirs=""
provide_plugin() {
  local name=$1 version=$2 binary=$3 dir
  shift 3
  if ! $own_cli; then
    has_plugin "$name" "$version" && return 0
    pulumi plugin install resource "$name" "$version" >/dev/null 2>&1 && return 0
    warn "pulumi could not download the $name plugin v$version; the project's commands use this project's build of it"
    dir=$(bash "$@")
    ambient_plugin_dirs="$dir:$ambient_plugin_dirs"
    return 0
  fi
  dir=$(bash "$@")
  install_built_plugin resource "$name" "$version" "$dir/$binary"
}

# The docker provider is bridged from the Terraform provider (see scripts/toolchain/docker-provider).
provide_plugin docker "$docker_version" pulumi-resource-docker \
  "$REPO_ROOT/scripts/pulumi-build-docker-provider.sh" "$docker_version"
# pulumi-command's own module is not on the Go module proxy, so its plugin is ours: it
# serves command:local:Command as the published provider does (scripts/toolchain/command-provider).
provide_plugin command "$command_version" pulumi-resource-command \
  "$REPO_ROOT/scripts/pulumi-build-own.sh" command-provider pulumi-resource-command "$command_version"
# The kubernetes provider's own module is on the proxy: the plugin is built from it as
# its release workflow builds the published one.
provide_plugin kubernetes "$kubernetes_version" pulumi-resource-kubernetes \
  "$REPO_ROOT/scripts/pulumi-build-kubernetes-provider.sh" "$kubernetes_version"

# Node's compile cache for the programs and policy packs pulumi starts: each run reuses
# the compiled code of @pulumi/*, grpc and the components instead of compiling it again,
# about 0.5 s of a 3 s preview on 2 cores (paid twice by a `pulumi up` that previews).
cat >"$STATE_DIR/pulumi.env" <<ENV
export PATH="$ambient_plugin_dirs$cli_dir:\$PATH"
${PULUMI_HOME:+export PULUMI_HOME="$PULUMI_HOME"}
export PULUMI_BACKEND_URL="\${PULUMI_BACKEND_URL:-file://$STATE_DIR/pulumi-backend}"
export PULUMI_SKIP_UPDATE_CHECK=true
export NODE_COMPILE_CACHE="\${NODE_COMPILE_CACHE:-$CACHE_ROOT/node-compile-cache}"
ENV
say "pulumi ready: $(pulumi version)"
