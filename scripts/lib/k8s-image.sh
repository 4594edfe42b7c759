# Images of the test cluster's own parts (the sandbox, CoreDNS, the storage provisioner
# and its busybox helper): static binaries in FROM scratch images, as their upstream
# images are or nearly are, since nothing can be pulled here.
# Sourced, not run; needs log.sh and paths.sh.

# registry_has REGISTRY REPOSITORY TAG: the registry already holds that image.
registry_has() {
  curl -fs -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$1/v2/$2/manifests/$3"
}

# push_scratch_image DOCKER_HOST REF BINARY USER: builds REF from BINARY (as /NAME, the
# entrypoint, run as USER) on the daemon at DOCKER_HOST and pushes it; that daemon must
# trust REF's registry.
push_scratch_image() {
  local docker_host=$1 ref=$2 binary=$3 user=$4 name ctx
  name=$(basename "$binary")
  ctx=$(mktemp -d)
  cp "$binary" "$ctx/$name"
  printf 'FROM scratch\nADD %s /%s\nUSER %s\nENTRYPOINT ["/%s"]\n' "$name" "$name" "$user" "$name" >"$ctx/Dockerfile"
  # The classic builder: BuildKit would want a front-end image from the internet.
  run_logged "$LOG_DIR/k8s-images.log" "is the daemon at $docker_host up?" \
    env DOCKER_BUILDKIT=0 docker -H "$docker_host" build -t "$ref" "$ctx"
  rm -rf "$ctx"
  run_logged "$LOG_DIR/k8s-images.log" "does the daemon at $docker_host trust the registry of $ref?" \
    docker -H "$docker_host" push "$ref"
}

# busybox_tag: the tag of the busybox image below, the version of Debian's busybox-static
# (which test/harness/install-deps.sh installs) made tag-safe.
busybox_tag() {
  dpkg-query -W -f '${Version}' busybox-static | sed 's/^[0-9]*://; s/[^A-Za-z0-9_.-]/_/g'
}

# push_busybox_image DOCKER_HOST REF: builds REF FROM scratch with Debian's static
# busybox as /bin/busybox and every applet linked to it in /bin (a shell image, as
# test/harness/images.ts publishBusyboxImage makes for tests), on the daemon at
# DOCKER_HOST, and pushes it.
push_busybox_image() {
  local docker_host=$1 ref=$2 ctx applet
  ctx=$(mktemp -d)
  mkdir -p "$ctx/bin" "$ctx/tmp"
  cp /bin/busybox "$ctx/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$ctx/bin/$applet"
  done
  printf 'FROM scratch\nCOPY bin /bin\nCOPY tmp /tmp\nENV PATH=/bin\nCMD ["sh"]\n' >"$ctx/Dockerfile"
  run_logged "$LOG_DIR/k8s-images.log" "is the daemon at $docker_host up?" \
    env DOCKER_BUILDKIT=0 docker -H "$docker_host" build -t "$ref" "$ctx"
  rm -rf "$ctx"
  run_logged "$LOG_DIR/k8s-images.log" "does the daemon at $docker_host trust the registry of $ref?" \
    docker -H "$docker_host" push "$ref"
}
