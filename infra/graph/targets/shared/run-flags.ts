/**
 * The docker CLI flags a one-shot job gets on every target: the keys `docker create`
 * (engine) and `docker service create` (swarm) take with the same meaning. Each target's
 * own flags are in its folder (job-flags.ts).
 */
import { asList, convertUlimits, effectiveCapabilities } from "./convert.ts";
import type { ServiceConfig } from "../../model.ts";

export function each<T>(values: Iterable<T> | undefined, flag: string, format: (value: T) => string = String): string[] {
  return [...(values ?? [])].flatMap((value) => [flag, format(value)]);
}

function ulimitFlags(ulimits: ServiceConfig["ulimits"]): string[] {
  return convertUlimits(ulimits).flatMap((limit) => ["--ulimit", `${String(limit.name)}=${limit.soft}:${limit.hard}`]);
}

export function sorted(map: Record<string, string | number> | undefined): [string, string | number][] {
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
