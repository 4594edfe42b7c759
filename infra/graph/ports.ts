/**
 * Published ports. Swarm follows docker/cli's convertEndpointSpec (ports sorted so that
 * reordering YAML changes nothing; ingress or host publish mode); one engine follows
 * `docker compose` (host port bindings, optionally on one host address).
 */
import type * as docker from "@pulumi/docker";
import type { PortConfig } from "./model.ts";

type EndpointPort = docker.types.input.ServiceEndpointSpecPort;
type ContainerPort = docker.types.input.ContainerPort;

/**
 * The published port as a number; undefined when none is published (the daemon picks one).
 * A range such as "8000-8010" for a single target is returned as `{ range }`: neither the
 * swarm endpoint spec nor the docker provider's container ports can express it.
 */
export function publishedPort(port: PortConfig): number | undefined | { range: string } {
  const published = port.published;
  if (published === undefined || published === "") return undefined;
  const match = /^(\d+)(?:-(\d+))?$/.exec(published);
  if (match === null) return { range: published };
  if (match[2] !== undefined && match[2] !== match[1]) return { range: published };
  return Number(match[1]);
}

function fixedPort(port: PortConfig): number | undefined {
  const published = publishedPort(port);
  return typeof published === "number" ? published : undefined;
}

/** docker/cli's swarm.PortConfig ordering: name, protocol, target, published, mode. */
function comparePorts(a: EndpointPort, b: EndpointPort): number {
  const key = (p: EndpointPort) => [String(p.name ?? ""), String(p.protocol ?? ""), Number(p.targetPort), Number(p.publishedPort ?? 0), String(p.publishMode ?? "")] as const;
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] < kb[i]) return -1;
    if (ka[i] > kb[i]) return 1;
  }
  return 0;
}

export function swarmEndpointPorts(ports: readonly PortConfig[] | undefined): EndpointPort[] {
  const out: EndpointPort[] = (ports ?? []).map((port) => {
    const entry: EndpointPort = { targetPort: port.target, protocol: port.protocol ?? "tcp", publishMode: port.mode ?? "ingress" };
    const published = fixedPort(port);
    if (published !== undefined) entry.publishedPort = published;
    if (port.name !== undefined) entry.name = port.name;
    return entry;
  });
  return out.sort(comparePorts);
}

/** docker/cli's convertEndpointSpec: resolution mode (lower-cased) and sorted ports. */
export function swarmEndpointSpec(endpointMode: string | undefined, ports: readonly PortConfig[] | undefined): docker.types.input.ServiceEndpointSpec {
  const spec: docker.types.input.ServiceEndpointSpec = { ports: swarmEndpointPorts(ports) };
  if (endpointMode !== undefined && endpointMode !== "") spec.mode = endpointMode.toLowerCase();
  return spec;
}

/** Host port bindings of one container, in the order written. */
export function enginePorts(ports: readonly PortConfig[] | undefined): ContainerPort[] {
  return (ports ?? []).map((port) => {
    const entry: ContainerPort = { internal: port.target, protocol: port.protocol ?? "tcp" };
    const published = fixedPort(port);
    if (published !== undefined) entry.external = published;
    if (port.host_ip !== undefined && port.host_ip !== "") entry.ip = port.host_ip;
    return entry;
  });
}
