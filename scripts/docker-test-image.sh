#!/usr/bin/env bash
# Builds the test image (FROM scratch + Debian's static busybox; nothing is pulled) on
# this checkout's daemon and pushes it to the local registry. Idempotent.
# Prints the registry reference on stdout.
set -euo pipefail
. "$(dirname "$0")/lib/log.sh"
. "$(dirname "$0")/lib/paths.sh"
. "$STATE_DIR/docker/env"

busybox_version=$(dpkg-query -W -f '${Version}' busybox-static | sed 's/^[0-9]*://; s/[^A-Za-z0-9_.-]/_/g')
local_ref="compose-pulumi/busybox:$busybox_version"
remote_ref="$COMPOSE_PULUMI_REGISTRY/compose-pulumi/busybox:$busybox_version"

if ! docker image inspect "$local_ref" >/dev/null 2>&1; then
  say "building $local_ref from /bin/busybox..."
  ctx=$(mktemp -d)
  trap 'rm -rf "$ctx"' EXIT
  cp /bin/busybox "$ctx/busybox"
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENV PATH=/bin
CMD ["sh"]
DOCKERFILE
  # The classic builder: no BuildKit front-end image to pull.
  run_logged "$LOG_DIR/test-image.log" "read the log; is the project daemon up (npm run docker:up)?" \
    env DOCKER_BUILDKIT=0 docker build --label "org.opencontainers.image.version=$busybox_version" \
    -t "$local_ref" "$ctx"
fi

tag="compose-pulumi/busybox/manifests/$busybox_version"
if ! curl -fs -o /dev/null -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$COMPOSE_PULUMI_REGISTRY/v2/$tag"; then
  say "pushing $remote_ref..."
  docker tag "$local_ref" "$remote_ref"
  run_logged "$LOG_DIR/test-image.log" "is the registry up (npm run docker:up)?" docker push "$remote_ref"
fi
printf '%s\n' "$remote_ref"
