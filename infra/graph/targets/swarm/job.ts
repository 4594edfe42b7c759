/**
 * A one-shot job on a swarm: a `replicated-job` (or `global-job`) service with restart
 * condition none; the script polls its tasks until all completed, or prints the task
 * errors and the service's logs and fails.
 */
import * as pulumi from "@pulumi/pulumi";
import { stackLabels, swarmServiceLabels } from "../../labels.ts";
import { swarmServiceName } from "../../naming.ts";
import { convertEnvironment } from "../shared/convert.ts";
import { networkPhysicalName, serviceNetworkKeys } from "../../networks.ts";
import { shellJoin, shellQuote } from "../../shell.ts";
import { commonRunFlags } from "../shared/run-flags.ts";
import { cliMount, DEFAULT_JOB_TIMEOUT_SECONDS, inputsComment, line, script, type JobRefs, type JobScripts, type Words } from "../shared/job-script.ts";
import { swarmJobFlags } from "./job-flags.ts";
import type { Project } from "../../model.ts";
import { taskFileName } from "../../secrets.ts";

export function swarmJobScripts(project: Project, key: string, refs: JobRefs, timeoutSeconds = DEFAULT_JOB_TIMEOUT_SECONDS): JobScripts {
  const service = project.services[key];
  const deploy = service.deploy;
  const name = swarmServiceName(project.name, key);
  const global = deploy?.mode === "global-job";
  const replicas = global ? undefined : deploy?.replicas ?? service.scale ?? 1;
  const words: Words = ["docker", "service", "create", "--detach", "--quiet", "--name", name];
  words.push("--mode", global ? "global-job" : "replicated-job", "--restart-condition", "none");
  if (replicas !== undefined) words.push("--replicas", String(replicas));
  const serviceLabels = swarmServiceLabels(project.name, deploy?.labels ?? undefined, refs.imageAsWritten);
  for (const label of Object.keys(serviceLabels).sort()) words.push("--label", `${label}=${serviceLabels[label]}`);
  const containerLabels = stackLabels(project.name, service.labels);
  for (const label of Object.keys(containerLabels).sort()) words.push("--container-label", `${label}=${containerLabels[label]}`);
  for (const network of serviceNetworkKeys(service).sort((a, b) => networkPhysicalName(project, a).localeCompare(networkPhysicalName(project, b)))) {
    const aliases = [...(service.networks?.[network]?.aliases ?? []), key];
    words.push("--network", pulumi.interpolate`name=${refs.networkName(network)},${aliases.map((alias) => `alias=${alias}`).join(",")}`);
  }
  const env = convertEnvironment(service.environment);
  for (const variable of Object.keys(env)) words.push("--env", `${variable}=${env[variable]}`);
  for (const mount of service.volumes ?? []) words.push("--mount", cliMount(project, mount, "swarm", refs.volumeName));
  for (const [flag, kind, refsOf, resolve] of [
    ["--secret", "secret", service.secrets, refs.secret],
    ["--config", "config", service.configs, refs.config],
  ] as const) {
    for (const ref of refsOf ?? []) {
      const target = taskFileName(kind, ref);
      const mode = (ref.mode ?? 0o444).toString(8).padStart(4, "0");
      words.push(flag, `source=${resolve(ref.source).name},target=${target},uid=${ref.uid ?? "0"},gid=${ref.gid ?? "0"},mode=${mode}`);
    }
  }
  words.push(...commonRunFlags(service), ...swarmJobFlags(service));
  if (service.entrypoint !== null && service.entrypoint !== undefined) words.push("--entrypoint", shellJoin(service.entrypoint));
  words.push(refs.image, ...(service.command ?? []));

  const expected = replicas === undefined ? "all" : String(replicas);
  const auth = refs.registryAuth;
  if (auth !== undefined) words.splice(3, 0, "--with-registry-auth");
  const login: (string | pulumi.Output<string>)[] = auth === undefined
    ? []
    : [
        // A private client configuration holds the login only while this script runs.
        `DOCKER_CONFIG=$(mktemp -d); export DOCKER_CONFIG; trap 'rm -rf "$DOCKER_CONFIG"' EXIT`,
        pulumi.interpolate`printf '%s' "$REGISTRY_PASSWORD" | ${line(["docker", "login", "--username", auth.username, "--password-stdin", auth.server])} >/dev/null`,
        "unset REGISTRY_PASSWORD",
      ];
  const lines: (string | pulumi.Output<string>)[] = [
    "set -eu",
    ...(auth === undefined ? [] : ["IFS= read -r REGISTRY_PASSWORD"]),
    inputsComment(refs),
    ...login,
    `name=${shellQuote(name)}`,
    `if docker service inspect "$name" >/dev/null 2>&1; then`,
    `  docker service rm "$name" >/dev/null`,
    `  while docker service inspect "$name" >/dev/null 2>&1; do sleep 1; done`,
    `fi`,
    pulumi.interpolate`${line(words)} >/dev/null`,
    `expected=${expected}`,
    `deadline=$(( $(date +%s) + ${timeoutSeconds} ))`,
    `fail() { echo "job $name failed: $1" >&2; docker service ps --no-trunc "$name" >&2 || true; docker service logs --raw "$name" >&2 || true; exit 1; }`,
    `while :; do`,
    `  states=$(docker service ps --format '{{.CurrentState}}' "$name" | awk '{print $1}')`,
    `  total=$(printf '%s\\n' "$states" | grep -c . || true)`,
    `  done_count=$(printf '%s\\n' "$states" | grep -cx Complete || true)`,
    `  if printf '%s\\n' "$states" | grep -Eqx 'Failed|Rejected|Orphaned'; then fail "a task did not complete"; fi`,
    `  if [ "$total" -gt 0 ] && [ "$done_count" -eq "$total" ] && { [ "$expected" = all ] || [ "$done_count" -ge "$expected" ]; }; then break; fi`,
    `  if [ "$(date +%s)" -ge "$deadline" ]; then fail "not complete after ${timeoutSeconds}s"; fi`,
    `  sleep 2`,
    `done`,
    `docker service logs --raw "$name" 2>&1 || true`,
  ];
  return { jobName: name, run: script(lines), remove: `docker service rm ${shellQuote(name)} >/dev/null 2>&1 || true\n`, stdinLines: auth === undefined ? [] : [auth.password] };
}
