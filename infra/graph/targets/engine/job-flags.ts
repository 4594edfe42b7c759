/**
 * `docker create` flags of a one-shot job for the container-only keys, as `docker compose
 * run` sets them. What the capability table lists as converted for engine jobs is
 * converted here; the rest is warned there.
 */
import { engineGpus, engineMemorySwap, toMebibytes } from "./container.ts";
import { publishedPort } from "../../ports.ts";
import { tmpfsPaths } from "../../mounts.ts";
import { each, sorted } from "../shared/run-flags.ts";
import type { ServiceConfig } from "../../model.ts";

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
