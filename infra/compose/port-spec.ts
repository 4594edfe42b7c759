/**
 * Short port syntax ("80", "8080:80", "127.0.0.1:8080:80/udp", "[::1]:8080:80",
 * "3000-3005", "9090-9091:8080-8081", "127.0.0.1::80") expanded to long-syntax
 * entries exactly as compose-go does with docker's nat.ParsePortSpecs: one entry per
 * container port, ordered by "<port>/<protocol>" as text.
 */
export type ShortPortEntry = {
  mode: "ingress";
  host_ip?: string;
  target: number;
  published?: string;
  protocol: PortProtocol;
};

export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

export class PortSpecError extends Error {
  readonly spec: string;
  readonly reason: string;

  constructor(spec: string, reason: string) {
    super(`invalid port "${spec}": ${reason}`);
    this.spec = spec;
    this.reason = reason;
    this.name = "PortSpecError";
  }
}

export const PORT_PROTOCOLS = ["tcp", "udp", "sctp"] as const;

export function parsePortSpec(spec: string): ShortPortEntry[] {
  const fail = (reason: string): never => {
    throw new PortSpecError(spec, reason);
  };
  let [ip, hostPort, containerPart] = splitParts(spec);
  const [protocol, containerPort] = splitProtocol(containerPart);

  if (ip.startsWith("[")) {
    if (!ip.endsWith("]")) fail(`invalid IP address "${ip}"`);
    ip = ip.slice(1, -1);
  }
  if (ip !== "" && !isIpAddress(ip)) fail(`invalid IP address "${ip}"`);
  if (containerPort === "") fail("no container port");

  const container = parsePortRange(containerPort);
  if (container === undefined) return fail(`invalid container port "${containerPort}"`);
  let host: PortRange | undefined;
  if (hostPort !== "") {
    host = parsePortRange(hostPort);
    if (host === undefined) return fail(`invalid host port "${hostPort}"`);
    const sameSize = container.end - container.start === host.end - host.start;
    // A host range with a single container port is a pool to pick one host port from.
    if (!sameSize && container.end !== container.start) {
      fail(`container port range ${containerPort} and host port range ${hostPort} differ in size`);
    }
  }
  const proto = protocol.toLowerCase() as PortProtocol;
  if (!PORT_PROTOCOLS.includes(proto)) {
    fail(`unknown protocol "${protocol}" (expected tcp, udp or sctp)`);
  }

  const entries: ShortPortEntry[] = [];
  for (let offset = 0; offset <= container.end - container.start; offset++) {
    const published =
      host === undefined
        ? undefined
        : container.start === container.end && host.start !== host.end
          ? `${host.start}-${host.end}`
          : String(host.start + offset);
    entries.push({
      mode: "ingress",
      ...(ip !== "" && { host_ip: ip }),
      target: container.start + offset,
      ...(published !== undefined && { published }),
      protocol: proto,
    });
  }
  const key = (entry: ShortPortEntry) => `${entry.target}/${entry.protocol}`;
  return entries.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export interface PortRange {
  start: number;
  end: number;
}

/** "80" or "8000-8010" as numbers; undefined when not a port (0-65535) or a rising range. */
export function parsePortRange(text: string): PortRange | undefined {
  const parts = text.split("-");
  if (parts.length > 2) {
    // nat.ParsePortRange ignores anything after a second dash; refusing it is clearer.
    return undefined;
  }
  const start = parsePortNumber(parts[0]);
  const end = parts.length === 2 ? parsePortNumber(parts[1]) : start;
  if (start === undefined || end === undefined || end < start) return undefined;
  return { start, end };
}

function parsePortNumber(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value <= 65535 ? value : undefined;
}

function splitParts(spec: string): [ip: string, hostPort: string, containerPort: string] {
  const parts = spec.split(":");
  const n = parts.length;
  const containerPort = parts[n - 1];
  switch (n) {
    case 1:
      return ["", "", containerPort];
    case 2:
      return ["", parts[0], containerPort];
    case 3:
      return [parts[0], parts[1], containerPort];
    default:
      return [parts.slice(0, n - 2).join(":"), parts[n - 2], containerPort];
  }
}

function splitProtocol(raw: string): [protocol: string, port: string] {
  const parts = raw.split("/");
  if (raw === "" || parts[0] === "") return ["", ""];
  if (parts.length === 1 || parts[1] === "") return ["tcp", parts[0]];
  return [parts[1], parts[0]];
}

/**
 * Plain IPv4 or IPv6 address, as Go's net.ParseIP accepts (no zone, no brackets).
 * node:net is loaded here, on the first address, rather than imported: it brings Node's
 * socket stack (about 2 MiB and a few milliseconds), which a file without host addresses
 * never needs.
 */
export function isIpAddress(text: string): boolean {
  return !text.includes("%") && process.getBuiltinModule("node:net").isIP(text) !== 0;
}
