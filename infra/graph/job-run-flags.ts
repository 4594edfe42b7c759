/**
 * The docker CLI flags of a one-shot job: what `docker create` (engine) and `docker
 * service create` (swarm) take for the service's keys, following the flags `docker
 * compose run` and `docker stack deploy` would set. What is listed in the capability
 * table as converted for jobs is converted here; the rest is warned there.
 */
import { engineGpus, engineMemorySwap, engineUlimits, toMebibytes } from "./engine-container.ts";
import { effectiveCapabilities, parseNanoCpus } from "./swarm-service.ts";
import { formatDuration } from "../compose/durations.ts";
import { publishedPort } from "./ports.ts";
import { tmpfsPaths } from "./mounts.ts";
import type { ServiceConfig } from "./model.ts";

function asList(value: string | string[] | undefined | null): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function each<T>(values: Iterable<T> | undefined, flag: string, format: (value: T) => string = String): string[] {
  return [...(values ?? [])].flatMap((value) => [flag, format(value)]);
}

function ulimitFlags(ulimits: ServiceConfig["ulimits"]): string[] {
  return engineUlimits(ulimits).flatMap((limit) => ["--ulimit", `${String(limit.name)}=${limit.soft}:${limit.hard}`]);
}

function sorted(map: Record<string, string | number> | undefined): [string, string | number][] {
  return Object.keys(map ?? {}).sort().map((key) => [key, map![key]]);
}

/** Flags both CLIs take with the same meaning. */
export function commonRunFlags(service: ServiceConfig): string[] {
  const words: string[] = [];
  if (service.user !== undefined) words.push("--user", service.user);
  if (service.working_dir !== undefined) words.push("--workdir", service.working_dir);
  if (service.hostname !== undefined) words.push("--hostname", service.hostname);
  if (service.init === true) words.push("--init");
  if (service.read_only === true) words.push("--read-only");
  if (service.tty === true) words.push("--tty");
  if (service.stop_signal !== undefined) words.push("--stop-signal", service.stop_signal);
  if (service.isolation !== undefined) words.push("--isolation", service.isolation);
  const caps = effectiveCapabilities(service.cap_add, service.cap_drop);
  words.push(...each(caps.add, "--cap-add"), ...each(caps.drop, "--cap-drop"));
  for (const [host, addresses] of Object.entries(service.extra_hosts ?? {})) {
    for (const address of addresses) words.push("--add-host", `${host}:${address}`);
  }
  words.push(...each(asList(service.dns), "--dns"), ...each(asList(service.dns_search), "--dns-search"), ...each(service.dns_opt, "--dns-option"));
  words.push(...each(sorted(service.sysctls), "--sysctl", ([key, value]) => `${key}=${value}`));
  words.push(...ulimitFlags(service.ulimits));
  if (service.logging?.driver !== undefined) {
    words.push("--log-driver", service.logging.driver, ...each(sorted(service.logging.options), "--log-opt", ([key, value]) => `${key}=${value}`));
  }
  return words;
}

/** `docker create` flags beyond the common ones (container-only keys, as `docker compose run`). */
export function engineJobFlags(service: ServiceConfig): string[] {
  const words: string[] = [];
  const limits = service.deploy?.resources?.limits;
  const reservations = service.deploy?.resources?.reservations;
  if (service.privileged === true) words.push("--privileged");
  words.push(...each(service.group_add, "--group-add"));
  const memory = limits?.memory ?? service.mem_limit;
  if (memory !== undefined) words.push("--memory", `${toMebibytes(memory)}m`);
  const reservation = reservations?.memory ?? service.mem_reservation;
  if (reservation !== undefined) words.push("--memory-reservation", `${toMebibytes(reservation)}m`);
  const swap = engineMemorySwap(memory === undefined ? undefined : toMebibytes(memory), service.memswap_limit);
  if (swap !== undefined) words.push("--memory-swap", swap < 0 ? "-1" : `${swap}m`);
  if (service.mem_swappiness !== undefined) words.push("--memory-swappiness", String(service.mem_swappiness));
  const cpus = limits?.cpus ?? service.cpus;
  if (cpus !== undefined) words.push("--cpus", String(cpus));
  const pids = limits?.pids ?? service.pids_limit;
  if (pids !== undefined) words.push("--pids-limit", String(pids));
  for (const [flag, value] of [
    ["--cpu-shares", service.cpu_shares],
    ["--cpu-period", service.cpu_period],
    ["--cpu-quota", service.cpu_quota],
    ["--cpu-rt-period", service.cpu_rt_period],
    ["--cpu-rt-runtime", service.cpu_rt_runtime],
    ["--cpuset-cpus", service.cpuset],
    ["--oom-score-adj", service.oom_score_adj],
    ["--domainname", service.domainname],
    ["--mac-address", service.mac_address],
    ["--pid", service.pid],
    ["--ipc", service.ipc],
    ["--uts", service.uts],
    ["--cgroupns", service.cgroup],
    ["--cgroup-parent", service.cgroup_parent],
    ["--userns", service.userns_mode],
    ["--runtime", service.runtime],
    ["--platform", service.platform],
  ] as const) {
    if (value !== undefined && value !== null) words.push(flag, String(value));
  }
  if (service.oom_kill_disable === true) words.push("--oom-kill-disable");
  if (service.shm_size !== undefined) words.push("--shm-size", String(service.shm_size));
  if (service.stop_grace_period !== undefined) words.push("--stop-timeout", String(Math.ceil(service.stop_grace_period / 1e9)));
  words.push(...each(service.security_opt, "--security-opt"));
  words.push(...each(sorted(service.storage_opt), "--storage-opt", ([key, value]) => `${key}=${value}`));
  words.push(...each(service.devices, "--device", (d) => `${d.source}:${d.target ?? d.source}:${d.permissions ?? "rwm"}`));
  words.push(...each(service.device_cgroup_rules, "--device-cgroup-rule"));
  words.push(...each(service.expose, "--expose"));
  words.push(...each(tmpfsPaths(service), "--tmpfs"));
  words.push(...gpuFlags(service.gpus));
  const blkio = service.blkio_config;
  if (blkio?.weight !== undefined) words.push("--blkio-weight", String(blkio.weight));
  words.push(...each(blkio?.weight_device, "--blkio-weight-device", (d) => `${d.path}:${d.weight}`));
  for (const [flag, list] of [
    ["--device-read-bps", blkio?.device_read_bps],
    ["--device-read-iops", blkio?.device_read_iops],
    ["--device-write-bps", blkio?.device_write_bps],
    ["--device-write-iops", blkio?.device_write_iops],
  ] as const) {
    words.push(...each(list, flag, (d) => `${d.path}:${d.rate}`));
  }
  for (const port of service.ports ?? []) {
    const published = publishedPort(port);
    const host = typeof published === "number" ? `${port.host_ip !== undefined && port.host_ip !== "" ? `${port.host_ip}:` : ""}${published}:` : "";
    words.push("--publish", `${host}${port.target}/${port.protocol ?? "tcp"}`);
  }
  return words;
}

/** `--gpus` per device request, in the docker CLI's CSV form (quoted lists). */
function gpuFlags(gpus: ServiceConfig["gpus"]): string[] {
  if (gpus === undefined) return [];
  if (engineGpus(gpus) === "all") return ["--gpus", "all"];
  if (gpus === "all") return ["--gpus", "all"];
  return gpus.flatMap((request) => {
    const fields: string[] = [];
    if (request.driver !== undefined) fields.push(`driver=${request.driver}`);
    if (request.count !== undefined) fields.push(`count=${request.count === "all" || request.count === -1 ? "all" : request.count}`);
    if (request.device_ids !== undefined) fields.push(`"device=${request.device_ids.join(",")}"`);
    if (request.capabilities !== undefined) fields.push(`"capabilities=${request.capabilities.join(",")}"`);
    return ["--gpus", fields.join(",")];
  });
}

/** `docker service create` flags beyond the common ones (as `docker stack deploy` would set them). */
export function swarmJobFlags(service: ServiceConfig): string[] {
  const deploy = service.deploy;
  const words: string[] = [];
  const limits = deploy?.resources?.limits;
  const reservations = deploy?.resources?.reservations;
  words.push(...each(service.group_add, "--group"));
  if (limits?.memory !== undefined) words.push("--limit-memory", String(limits.memory));
  if (limits?.cpus !== undefined) words.push("--limit-cpu", String(parseNanoCpus(limits.cpus) / 1e9));
  const pids = limits?.pids ?? service.pids_limit;
  if (pids !== undefined) words.push("--limit-pids", String(pids));
  if (reservations?.memory !== undefined) words.push("--reserve-memory", String(reservations.memory));
  if (reservations?.cpus !== undefined) words.push("--reserve-cpu", String(parseNanoCpus(reservations.cpus) / 1e9));
  for (const resource of reservations?.generic_resources ?? []) {
    const spec = resource.discrete_resource_spec;
    if (spec?.kind !== undefined) words.push("--generic-resource", `${spec.kind}=${spec.value ?? 0}`);
  }
  for (const constraint of deploy?.placement?.constraints ?? []) words.push("--constraint", constraint);
  for (const preference of deploy?.placement?.preferences ?? []) {
    if (preference.spread !== undefined) words.push("--placement-pref", `spread=${preference.spread}`);
  }
  if (deploy?.placement?.max_replicas_per_node !== undefined) words.push("--replicas-max-per-node", String(deploy.placement.max_replicas_per_node));
  if (deploy?.endpoint_mode !== undefined) words.push("--endpoint-mode", deploy.endpoint_mode.toLowerCase());
  if (service.stop_grace_period !== undefined) words.push("--stop-grace-period", formatDuration(service.stop_grace_period));
  for (const path of tmpfsPaths(service)) words.push("--mount", `type=tmpfs,target=${path.split(":", 1)[0]}`);
  for (const port of service.ports ?? []) {
    const published = publishedPort(port);
    const fields = [`target=${port.target}`, `protocol=${port.protocol ?? "tcp"}`, `mode=${port.mode ?? "ingress"}`];
    if (typeof published === "number") fields.unshift(`published=${published}`);
    words.push("--publish", fields.join(","));
  }
  return words;
}
