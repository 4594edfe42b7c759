# Debian packages the project's scripts use, installed by the scripts themselves so that a
# fresh machine needs nothing installed by hand. Sourced, not run; needs log.sh.

# debian_missing PACKAGE[:COMMAND]...: prints the packages dpkg does not list as installed.
# With :COMMAND, a package is not needed when COMMAND is on PATH: one from elsewhere (a
# dockerd from Docker's own packages, say) serves as well as Debian's.
debian_missing() {
  local entry package command
  for entry in "$@"; do
    package=${entry%%:*}
    command=${entry#"$package"}
    command=${command#:}
    [ -n "$command" ] && command -v "$command" >/dev/null && continue
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$package"
  done
}

# apt_install_missing LOGFILE PACKAGE[:COMMAND]...: installs those of the packages that are
# missing (root only), refreshing the package lists once if the first attempt fails.
apt_install_missing() {
  local log=$1 missing
  shift
  missing=$(debian_missing "$@" | tr '\n' ' ')
  [ -n "${missing// /}" ] || return 0
  [ "$(id -u)" = 0 ] || die "these Debian packages are needed and missing: $missing" "install them as root: apt-get install $missing"
  say "installing $missing(Debian packages)..."
  mkdir -p "$(dirname "$log")"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086 # the list is space-separated package names
  if ! apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends $missing >>"$log" 2>&1; then
    apt-get -o DPkg::Lock::Timeout=900 update >>"$log" 2>&1 || true
    # shellcheck disable=SC2086
    run_logged "$log" "check that Debian's package mirror is reachable" \
      apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends $missing
  fi
}
