/**
 * Ports as Kubernetes Services. Every service gets a Service named by its compose key, so
 * other pods reach it by that name, as on a compose network:
 *
 * - with ports (`ports:` targets and `expose:`), a ClusterIP Service on those ports
 *   (headless with `endpoint_mode: dnsrr`, which resolves to the pods as swarm's DNS
 *   round robin does);
 * - without any, a headless Service without ports: its name still resolves to the pods'
 *   addresses, so `db:5432` works for an image whose port the compose file never names.
 *
 * Published ports also get a `<key>-published` Service of the stack's type: NodePort
 * (the node port is the published one when it lies in the cluster's NodePort range,
 * 30000-32767 by default, else the cluster assigns one and infra/graph/warnings.ts says so)
 * or LoadBalancer (which listens on the published port).
 */
import type * as k8s from "@pulumi/kubernetes";
import type { PortConfig, Project, ServiceConfig } from "../../model.ts";
import { publishedPort } from "../../ports.ts";
import { kubernetesName } from "./names.ts";
import { selectorLabels, workloadLabels } from "./labels.ts";

export type PublishedPortsType = "NodePort" | "LoadBalancer";
export const PUBLISHED_PORT_TYPES: readonly PublishedPortsType[] = ["NodePort", "LoadBalancer"];
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

type ServicePort = k8s.types.input.core.v1.ServicePort;

function protocolOf(protocol: string | undefined): string {
  return (protocol ?? "tcp").toUpperCase();
}

/** A port's name: the compose one, else `<protocol>-<port>` (unique within the Service). */
function portName(port: { name?: string; protocol?: string }, number: number): string {
  return port.name !== undefined && port.name !== "" ? kubernetesName(port.name) : `${(port.protocol ?? "tcp").toLowerCase()}-${number}`;
}

/** Distinct (target, protocol) pairs of `ports` and `expose`, sorted, so reordering YAML changes nothing. */
function targetPorts(service: ServiceConfig): { target: number; protocol: string; name?: string; appProtocol?: string }[] {
  const out = new Map<string, { target: number; protocol: string; name?: string; appProtocol?: string }>();
  for (const port of service.ports ?? []) {
    const protocol = protocolOf(port.protocol);
    const key = `${port.target}/${protocol}`;
    if (!out.has(key)) out.set(key, { target: port.target, protocol, name: port.name, appProtocol: port.app_protocol });
  }
  for (const entry of service.expose ?? []) {
    const [range, protocol = "tcp"] = String(entry).split("/");
    const [first, last = first] = range.split("-").map(Number);
    for (let target = first; target <= last; target++) {
      const key = `${target}/${protocolOf(protocol)}`;
      if (!out.has(key)) out.set(key, { target, protocol: protocolOf(protocol) });
    }
  }
  return [...out.values()].sort((a, b) => a.target - b.target || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
}

/** The container's ports; `mode: host` also binds the published port on the node. */
export function containerPorts(service: ServiceConfig): k8s.types.input.core.v1.ContainerPort[] {
  const hostPorts = new Map<string, number>();
  for (const port of service.ports ?? []) {
    const published = publishedPort(port);
    if (port.mode === "host" && typeof published === "number") hostPorts.set(`${port.target}/${protocolOf(port.protocol)}`, published);
  }
  return targetPorts(service).map((port) => {
    const hostPort = hostPorts.get(`${port.target}/${port.protocol}`);
    return { containerPort: port.target, protocol: port.protocol, ...(hostPort === undefined ? {} : { hostPort }) };
  });
}

export interface ServiceSpecs {
  /** The Service other pods reach this one by (its name is the compose key). */
  cluster: { name: string; labels: Record<string, string>; spec: k8s.types.input.core.v1.ServiceSpec };
  /** Published ports, reachable from outside the cluster. */
  published?: { name: string; labels: Record<string, string>; spec: k8s.types.input.core.v1.ServiceSpec };
}

/** One entry per published port and protocol: ports that differ only in host_ip are one Service port. */
function publishedPorts(service: ServiceConfig): { port: PortConfig; published: number }[] {
  const out: { port: PortConfig; published: number }[] = [];
  for (const port of service.ports ?? []) {
    const published = publishedPort(port);
    if (typeof published !== "number") continue;
    if (out.some((seen) => seen.published === published && protocolOf(seen.port.protocol) === protocolOf(port.protocol))) continue;
    out.push({ port, published });
  }
  return out.sort((a, b) => a.published - b.published || (protocolOf(a.port.protocol) < protocolOf(b.port.protocol) ? -1 : 1));
}

export function inNodePortRange(port: number): boolean {
  return port >= NODE_PORT_RANGE.min && port <= NODE_PORT_RANGE.max;
}

export function serviceSpecs(project: Project, key: string, type: PublishedPortsType): ServiceSpecs {
  const service = project.services[key];
  const selector = selectorLabels(project.name, key);
  const labels = workloadLabels(project.name, key, "service");
  const ports: ServicePort[] = targetPorts(service).map((port) => ({
    name: portName(port, port.target),
    port: port.target,
    targetPort: port.target,
    protocol: port.protocol,
    ...(port.appProtocol === undefined ? {} : { appProtocol: port.appProtocol }),
  }));
  const headless = ports.length === 0 || service.deploy?.endpoint_mode === "dnsrr";
  const cluster = {
    name: kubernetesName(key),
    labels,
    spec: {
      type: "ClusterIP",
      selector,
      ...(headless ? { clusterIP: "None" } : {}),
      ...(ports.length > 0 ? { ports } : {}),
    },
  };
  const published = publishedPorts(service);
  if (published.length === 0) return { cluster };
  return {
    cluster,
    published: {
      name: `${kubernetesName(key)}-published`,
      labels,
      spec: {
        type,
        selector,
        ports: published.map(({ port, published: number }) => ({
          name: portName({ name: port.name, protocol: port.protocol }, number),
          port: number,
          targetPort: port.target,
          protocol: protocolOf(port.protocol),
          ...(type === "NodePort" && inNodePortRange(number) ? { nodePort: number } : {}),
        })),
      },
    },
  };
}
