/**
 * Project networks: physical names and what the project creates for them. Networks are
 * created on the target's daemon (overlay on a swarm, bridge on one engine, unless the
 * file names a driver); external ones are only referenced.
 */
import type * as docker from "@pulumi/docker";
import { objectLabels, type Labels } from "./labels.ts";
import { objectName } from "./naming.ts";
import type { Target } from "./targets/target.ts";
import type { NetworkConfig, Project, ServiceConfig } from "./model.ts";

export const DEFAULT_NETWORK = "default";

/** Physical name: `name:`, else the key for an external network, else `<project>_<key>`. */
export function networkPhysicalName(project: Project, key: string): string {
  const network = project.networks?.[key];
  if (network?.external === true && (network.name === undefined || network.name === "")) return key;
  return objectName(project.name, key, network?.name);
}

/** The networks a service attaches to: its own list, or the project's default network. */
export function serviceNetworkKeys(service: ServiceConfig): string[] {
  const keys = Object.keys(service.networks ?? {});
  return keys.length > 0 ? keys : [DEFAULT_NETWORK];
}

/** Networks some service uses; only those are created (as `docker stack deploy` does). */
export function usedNetworkKeys(project: Project): string[] {
  const used = new Set<string>();
  for (const service of Object.values(project.services)) {
    if (service.network_mode !== undefined && service.network_mode !== "") continue;
    for (const key of serviceNetworkKeys(service)) used.add(key);
  }
  return [...used].sort();
}

export interface NetworkSpec {
  /** Physical name: `<project>_<key>`, `name:`, or the external name. */
  name: string;
  /** Only referenced (and looked up on the target), never created or removed. */
  external: boolean;
  /** `bridge` (engine default) or `overlay` (swarm default). */
  driver?: string;
  /** The driver's options (`driver_opts:`). */
  driverOptions?: Record<string, string>;
  /** No outside access. */
  internal?: boolean;
  /** Standalone containers may join an overlay network. */
  attachable?: boolean;
  /** IPv6 addressing. */
  enableIpv6?: boolean;
  /** `ipam.driver`. */
  ipamDriver?: string;
  /** `ipam.options`. */
  ipamOptions?: Record<string, string>;
  /** `ipam.config`: subnets, ranges, gateways. */
  ipamConfigs?: docker.types.input.NetworkIpamConfig[];
  /** Labels, including the compose project labels. */
  labels: Labels;
}

export function networkSpec(project: Project, key: string, target: Target): NetworkSpec {
  const network: NetworkConfig | undefined = project.networks?.[key];
  const spec: NetworkSpec = {
    name: networkPhysicalName(project, key),
    external: network?.external === true,
    labels: objectLabels(target, "network", project.name, key, network?.labels),
  };
  if (spec.external) return spec;
  // overlay needs a swarm; on one engine the network is a bridge (warnings.ts says so).
  const overlayOnEngine = target === "engine" && network?.driver === "overlay";
  const driver = overlayOnEngine ? undefined : network?.driver ?? (target === "swarm" ? "overlay" : undefined);
  if (driver !== undefined) spec.driver = driver;
  if (network?.driver_opts !== undefined) spec.driverOptions = network.driver_opts;
  if (network?.internal === true) spec.internal = true;
  if (network?.attachable === true && !overlayOnEngine) spec.attachable = true;
  if (network?.enable_ipv6 === true) spec.enableIpv6 = true;
  const ipam = network?.ipam;
  if (ipam?.driver !== undefined) spec.ipamDriver = ipam.driver;
  if (ipam?.options !== undefined) spec.ipamOptions = ipam.options;
  if (ipam?.config !== undefined && ipam.config.length > 0) {
    spec.ipamConfigs = ipam.config.map((pool) => {
      const out: docker.types.input.NetworkIpamConfig = {};
      if (pool.subnet !== undefined) out.subnet = pool.subnet;
      if (pool.gateway !== undefined) out.gateway = pool.gateway;
      if (pool.ip_range !== undefined) out.ipRange = pool.ip_range;
      if (pool.aux_addresses !== undefined) out.auxAddress = pool.aux_addresses;
      return out;
    });
  }
  return spec;
}

/** docker's container.NetworkMode.IsUserDefined, for a physical network name. */
export function isUserDefinedNetwork(name: string): boolean {
  return !["default", "bridge", "host", "none"].includes(name) && !name.startsWith("container:");
}
