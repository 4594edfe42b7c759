/**
 * `docker service create` flags of a one-shot job for the swarm-only keys, as `docker
 * stack deploy` would set them on a service.
 */
import { parseNanoCpus } from "./service.ts";
import { formatDuration } from "../../../compose/durations.ts";
import { publishedPort } from "../../ports.ts";
import { tmpfsPaths } from "../../mounts.ts";
import { each } from "../shared/run-flags.ts";
import type { ServiceConfig } from "../../model.ts";

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
