/**
 * Converters every target uses: compose values to what Docker's APIs and CLIs take,
 * following docker/cli where it defines them.
 */
import type { ServiceConfig } from "../../model.ts";

/** Environment with a value; a variable without one cannot be expressed (warnings.ts says so). */
export function convertEnvironment(environment: ServiceConfig["environment"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(environment ?? {}).sort()) {
    const value = environment![name];
    if (value !== null && value !== undefined) out[name] = value;
  }
  return out;
}

/** extra_hosts as host/address pairs, in the order written. */
export function convertExtraHosts(hosts: ServiceConfig["extra_hosts"]): { host: string; ip: string }[] {
  const out: { host: string; ip: string }[] = [];
  for (const [host, addresses] of Object.entries(hosts ?? {})) {
    for (const ip of addresses) out.push({ host, ip });
  }
  return out;
}


export function asList(value: string | string[] | undefined | null): string[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** docker's opts.EffectiveCapAddCapDrop: CAP_ prefixes, ALL wins, adding beats dropping. */
export function effectiveCapabilities(add: readonly string[] | undefined, drop: readonly string[] | undefined): { add: string[]; drop: string[] } {
  const normalize = (caps: readonly string[] | undefined) => {
    const out: string[] = [];
    for (const cap of caps ?? []) {
      const upper = cap.trim().toUpperCase();
      const name = upper === "ALL" || upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
      if (!out.includes(name)) out.push(name);
    }
    return out;
  };
  let addCaps = normalize(add);
  let dropCaps = normalize(drop);
  if (addCaps.includes("ALL")) addCaps = ["ALL"];
  if (dropCaps.includes("ALL")) dropCaps = ["ALL"];
  const finalDrop = dropCaps.filter((cap) => !addCaps.includes(cap));
  return { add: addCaps.sort(), drop: finalDrop.sort() };
}

/** ulimits by name, a single value as both soft and hard limit (as the docker CLI does). */
export function convertUlimits(ulimits: ServiceConfig["ulimits"]): { name: string; soft: number; hard: number }[] {
  return Object.keys(ulimits ?? {})
    .sort()
    .map((name) => {
      const limit = ulimits![name];
      return "single" in limit ? { name, soft: limit.single, hard: limit.single } : { name, soft: limit.soft, hard: limit.hard };
    });
}
