/**
 * Scripts that run a compose service once to completion through the docker CLI (see
 * components/job.ts for why). Everything that defines the run (image reference, command,
 * environment, mounts, secret and config names and content hashes) is part of the script
 * text or of its environment, so the Job re-runs exactly when one of them changes.
 *
 * - engine: `docker create` a container named as compose names it, copy in secrets that
 *   have no host file, attach further networks, then `docker start -a`, which streams the
 *   job's output and returns its exit code.
 * - swarm: a `replicated-job` (or `global-job`) service with restart condition none; the
 *   script polls its tasks until all completed, or prints the task errors and the
 *   service's logs and fails.
 */
import * as pulumi from "@pulumi/pulumi";
import { engineContainerLabels, stackLabels, swarmServiceLabels } from "./labels.ts";
import { engineContainerName, swarmServiceName } from "./naming.ts";
import { convertEnvironment } from "./swarm-service.ts";
import { commonRunFlags, engineJobFlags, swarmJobFlags } from "./job-run-flags.ts";
import { networkPhysicalName, serviceNetworkKeys } from "./networks.ts";
import { engineFiles, type ObjectRef } from "./secrets.ts";
import { composeDependsOnEntries } from "./depends-on.ts";
import { shellJoin, shellQuote } from "./shell.ts";
import { isCreatingBind } from "./mounts.ts";
import type { Project, ServiceConfig, ServiceMount } from "./model.ts";

/** Words of a command line; inputs resolve before quoting. */
type Words = pulumi.Input<string>[];

export const DEFAULT_JOB_TIMEOUT_SECONDS = 600;

export interface JobScripts {
  jobName: string;
  run: pulumi.Output<string>;
  remove: string;
  /**
   * Lines the run script reads from its standard input, in order: the base64 contents of
   * secrets and configs copied into the container. They travel on stdin, never in the
   * command text or its environment; the caller marks them secret.
   */
  stdinLines: pulumi.Input<string>[];
}

export interface JobRefs {
  image: pulumi.Input<string>;
  imageAsWritten: string;
  networkName(key: string): pulumi.Input<string>;
  volumeName(key: string): pulumi.Input<string>;
  /** Swarm: physical name of a secret or config (the CLI resolves it to an ID). */
  secret(key: string): ObjectRef;
  config(key: string): ObjectRef;
  /** Engine: base64 content of secrets and configs that are copied in. */
  secretContent(key: string): pulumi.Input<string> | undefined;
  configContent(key: string): pulumi.Input<string> | undefined;
  /** Content hashes of the secrets and configs the job uses, by key. */
  contentHashes: Record<string, string>;
  /** Hash of the service definition and mounted content (com.docker.compose.config-hash). */
  configHash: string;
}

function line(words: Words): pulumi.Output<string> {
  return pulumi.all(words).apply((resolved) => shellJoin(resolved));
}

function script(lines: (string | pulumi.Output<string>)[]): pulumi.Output<string> {
  return pulumi.all(lines).apply((resolved) => resolved.join("\n") + "\n");
}

/** A `--mount` value in the docker CLI's CSV form. */
export function cliMount(project: Project, mount: ServiceMount, target: "engine" | "swarm", volumeName: (key: string) => pulumi.Input<string>): pulumi.Output<string> {
  const fields: pulumi.Input<string>[] = [`type=${mount.type}`];
  if (mount.source !== undefined && mount.source !== "") {
    const source = mount.type === "volume" ? volumeName(mount.source) : mount.source;
    fields.push(pulumi.interpolate`source=${source}`);
  }
  fields.push(`target=${mount.target}`);
  if (mount.read_only === true) fields.push("readonly");
  if (mount.type === "bind" && mount.bind?.propagation !== undefined) fields.push(`bind-propagation=${mount.bind.propagation}`);
  if (mount.type === "volume") {
    if (mount.volume?.nocopy === true) fields.push("volume-nocopy");
    if (target === "engine" && mount.volume?.subpath !== undefined) fields.push(`volume-subpath=${mount.volume.subpath}`);
    const volume = mount.source !== undefined ? project.volumes?.[mount.source] : undefined;
    if (target === "swarm" && volume !== undefined && volume.external !== true) {
      if (volume.driver !== undefined) fields.push(`volume-driver=${volume.driver}`);
      for (const [k, v] of Object.entries(stackLabels(project.name, volume.labels))) fields.push(`volume-label=${k}=${v}`);
      for (const [k, v] of Object.entries(volume.driver_opts ?? {})) fields.push(`volume-opt=${k}=${v}`);
    }
  }
  if (mount.type === "tmpfs") {
    if (mount.tmpfs?.size !== undefined) fields.push(`tmpfs-size=${mount.tmpfs.size}`);
    if (mount.tmpfs?.mode !== undefined) fields.push(`tmpfs-mode=${mount.tmpfs.mode.toString(8)}`);
  }
  return pulumi.all(fields).apply((resolved) => resolved.join(","));
}

/** Entrypoint flag and leading arguments: the CLI takes one entrypoint word. */
function entrypointWords(service: ServiceConfig): { flag: string[]; leading: string[] } {
  const entrypoint = service.entrypoint;
  if (entrypoint === null || entrypoint === undefined) return { flag: [], leading: [] };
  if (entrypoint.length === 0) return { flag: ["--entrypoint", ""], leading: [] };
  return { flag: ["--entrypoint", entrypoint[0]], leading: entrypoint.slice(1) };
}

/** Aliases and addresses of one network attachment, as `docker create` / `docker network connect` flags. */
function engineAttachmentFlags(service: ServiceConfig, key: string, network: string, aliasFlag: string): string[] {
  const attachment = service.networks?.[network] ?? undefined;
  const aliases = [key, ...(attachment?.aliases ?? []).filter((alias) => alias !== key)];
  const words = aliases.flatMap((alias) => [aliasFlag, alias]);
  if (attachment?.ipv4_address !== undefined) words.push("--ip", attachment.ipv4_address);
  if (attachment?.ipv6_address !== undefined) words.push("--ip6", attachment.ipv6_address);
  for (const address of attachment?.link_local_ips ?? []) words.push("--link-local-ip", address);
  return words;
}

function inputsComment(refs: JobRefs): string {
  const hashes = Object.keys(refs.contentHashes).sort().map((key) => `${key}=${refs.contentHashes[key]}`);
  return hashes.length === 0 ? "# inputs: none" : `# inputs: ${hashes.join(" ")}`;
}

export function engineJobScripts(project: Project, key: string, refs: JobRefs): JobScripts {
  const service = project.services[key];
  const name = engineContainerName(project.name, key, 1, service.container_name);
  const labels = engineContainerLabels(service.labels, {
    project: project.name,
    service: key,
    number: 1,
    configHash: refs.configHash,
    dependsOn: composeDependsOnEntries(project, service),
  });
  const words: Words = ["docker", "create", "--name", name];
  for (const label of Object.keys(labels).sort()) words.push("--label", `${label}=${labels[label]}`);
  const networks = serviceNetworkKeys(service);
  const networkMode = service.network_mode;
  if (networkMode !== undefined && networkMode !== "") {
    words.push("--network", networkMode);
  } else {
    words.push("--network", refs.networkName(networks[0]), ...engineAttachmentFlags(service, key, networks[0], "--network-alias"));
  }
  const env = convertEnvironment(service.environment);
  for (const variable of Object.keys(env)) words.push("--env", `${variable}=${env[variable]}`);
  for (const mount of service.volumes ?? []) {
    if (isCreatingBind(mount)) {
      const options = [mount.read_only === true ? "ro" : "", mount.bind?.selinux ?? ""].filter((o) => o !== "").join(",");
      words.push("--volume", `${mount.source}:${mount.target}${options === "" ? "" : `:${options}`}`);
    } else {
      words.push("--mount", cliMount(project, mount, "engine", refs.volumeName));
    }
  }
  const secretFiles = engineFiles("secret", project, service.secrets, refs.secretContent);
  const configFiles = engineFiles("config", project, service.configs, refs.configContent);
  for (const file of [...secretFiles, ...configFiles]) {
    if (file.hostFile !== undefined) words.push("--mount", `type=bind,source=${file.hostFile},target=${file.path},readonly`);
  }
  words.push(...commonRunFlags(service), ...engineJobFlags(service));
  const entry = entrypointWords(service);
  words.push(...entry.flag, refs.image, ...entry.leading, ...(service.command ?? []));

  const stdinLines: pulumi.Input<string>[] = [];
  const lines: (string | pulumi.Output<string>)[] = [
    "set -eu",
    inputsComment(refs),
    `name=${shellQuote(name)}`,
    `docker rm -f "$name" >/dev/null 2>&1 || true`,
    pulumi.interpolate`${line(words)} >/dev/null`,
  ];
  if (networkMode === undefined || networkMode === "") {
    for (const network of networks.slice(1)) {
      lines.push(pulumi.interpolate`${line(["docker", "network", "connect", ...engineAttachmentFlags(service, key, network, "--alias"), refs.networkName(network), name])}`);
    }
  }
  const copied = [...secretFiles, ...configFiles].filter((file) => file.hostFile === undefined && file.contentBase64 !== undefined);
  if (copied.length > 0) {
    lines.push(`files=$(mktemp -d)`, `trap 'rm -rf "$files"' EXIT`);
    copied.forEach((file, index) => {
      const variable = `JOB_FILE_${index}`;
      stdinLines.push(file.contentBase64!);
      // Read before any other command runs, so that none of them can consume the input.
      lines.splice(1 + index, 0, `IFS= read -r ${variable}`);
      const relative = file.path.replace(/^\/+/, "");
      const dir = relative.includes("/") ? relative.slice(0, relative.lastIndexOf("/")) : ".";
      lines.push(
        `mkdir -p "$files"/${shellQuote(dir)}`,
        `printf '%s' "$${variable}" | base64 -d > "$files"/${shellQuote(relative)}`,
        `chmod ${(file.mode ?? 0o444).toString(8)} "$files"/${shellQuote(relative)}`,
        `tar -C "$files" --numeric-owner --owner=${shellQuote(file.uid ?? "0")} --group=${shellQuote(file.gid ?? "0")} -c ${shellQuote(relative)} | docker cp - "$name":/`,
        `rm -rf "$files"/*`,
      );
    });
  }
  lines.push(
    `if docker start -a "$name"; then exit 0; fi`,
    `code=$(docker inspect --format '{{.State.ExitCode}}' "$name" 2>/dev/null || echo unknown)`,
    `echo "job $name failed with exit code $code; its output is above" >&2`,
    `exit 1`,
  );
  return { jobName: name, run: script(lines), remove: `docker rm -f ${shellQuote(name)} >/dev/null 2>&1 || true\n`, stdinLines };
}

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
  for (const [flag, refsOf, resolve] of [
    ["--secret", service.secrets, refs.secret],
    ["--config", service.configs, refs.config],
  ] as const) {
    for (const ref of refsOf ?? []) {
      const target = ref.target !== undefined && ref.target !== "" ? ref.target : ref.source;
      const mode = (ref.mode ?? 0o444).toString(8).padStart(4, "0");
      words.push(flag, `source=${resolve(ref.source).name},target=${target},uid=${ref.uid ?? "0"},gid=${ref.gid ?? "0"},mode=${mode}`);
    }
  }
  words.push(...commonRunFlags(service), ...swarmJobFlags(service));
  if (service.entrypoint !== null && service.entrypoint !== undefined) words.push("--entrypoint", shellJoin(service.entrypoint));
  words.push(refs.image, ...(service.command ?? []));

  const expected = replicas === undefined ? "all" : String(replicas);
  const lines: (string | pulumi.Output<string>)[] = [
    "set -eu",
    inputsComment(refs),
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
  return { jobName: name, run: script(lines), remove: `docker service rm ${shellQuote(name)} >/dev/null 2>&1 || true\n`, stdinLines: [] };
}
