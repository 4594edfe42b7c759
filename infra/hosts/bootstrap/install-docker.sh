# install-docker: makes sure Docker is installed and its daemon answers.
# Inputs: DOCKER_PACKAGE (optional; default per package manager: docker.io on
#   Debian/Ubuntu, docker on Fedora/RHEL/Alpine/SUSE), BOOTSTRAP_WAIT_SECONDS.
# Result: {"changed":bool,"serverVersion":"..."}.

if command -v docker >/dev/null 2>&1 && docker_reachable; then
  result changed b false serverVersion s "$($DOCKER version --format '{{.Server.Version}}')"
  exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

changed=false
if ! command -v dockerd >/dev/null 2>&1; then
  log "docker is not installed; installing"
  if command -v apt-get >/dev/null 2>&1; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "${DOCKER_PACKAGE:-docker.io}"
  elif command -v dnf >/dev/null 2>&1; then
    as_root dnf install -y "${DOCKER_PACKAGE:-docker}"
  elif command -v yum >/dev/null 2>&1; then
    as_root yum install -y "${DOCKER_PACKAGE:-docker}"
  elif command -v apk >/dev/null 2>&1; then
    as_root apk add --no-cache "${DOCKER_PACKAGE:-docker}"
  elif command -v zypper >/dev/null 2>&1; then
    as_root zypper --non-interactive install "${DOCKER_PACKAGE:-docker}"
  else
    fail "docker is not installed and no known package manager (apt-get, dnf, yum, apk, zypper) was found"
  fi
  changed=true
fi

if ! docker_reachable; then
  # Only a real service manager may start the daemon; starting a bare dockerd from here
  # would leave it unsupervised across reboots.
  if [ -d /run/systemd/system ]; then
    as_root systemctl enable --now docker
  elif command -v rc-service >/dev/null 2>&1; then
    as_root rc-update add docker default
    as_root rc-service docker start
  else
    fail "docker is installed but its daemon is not running, and there is no systemd or OpenRC here to start it"
  fi
  changed=true
fi

i=0
until docker_reachable; do
  i=$((i + 1))
  [ "$i" -le "$BOOTSTRAP_WAIT_SECONDS" ] || fail "the docker daemon did not answer within ${BOOTSTRAP_WAIT_SECONDS}s"
  sleep 1
done
result changed b "$changed" serverVersion s "$($DOCKER version --format '{{.Server.Version}}')"
