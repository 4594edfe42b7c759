/**
 * The settings of Hetzner Cloud hosts (stack config key `hetzner`) and their check, apart
 * from the component that creates the servers (hetzner.ts), so that reading a stack's
 * configuration does not load the Hetzner Cloud provider.
 */
import * as z from "zod";
import { fromZodIssues, HostConfigError, type HostIssue, type ValueOrigin } from "./issues.ts";
import { keyBlobMatchesType, NODE_AVAILABILITIES, SWARM_ROLES } from "./inventory.ts";

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+\/\d{1,3}$/;

function isCidr(value: string): boolean {
  const v4 = IPV4_CIDR.exec(value);
  if (v4) return v4.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(v4[5]) <= 32;
  return IPV6_CIDR.test(value) && Number(value.split("/")[1]) <= 128;
}

const cidr = z.string().refine(isCidr, 'must be a network in CIDR notation, e.g. "203.0.113.0/24"');
const privateCidr = cidr.refine(
  (value) => /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)/.test(value),
  "must be a private IPv4 range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)",
);
const hcloudName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be lower-case letters, digits and "-", e.g. "node-1"');

export const HetznerServerSchema = z.strictObject({
  name: hcloudName,
  role: z.enum(SWARM_ROLES),
  labels: z.record(z.string().regex(/^[A-Za-z0-9._/-]+$/, "label keys may only hold letters, digits, '.', '_', '/' and '-'"), z.string().regex(/^[^\n\r]*$/, "label values must be one line")).optional(),
  availability: z.enum(NODE_AVAILABILITIES).optional(),
  /** Overrides the default server type, e.g. a larger machine for the database node. */
  serverType: z.string().min(1).optional(),
  location: z.string().min(1).optional(),
});

export const PublicPortSchema = z.strictObject({
  /** A port or a range, e.g. "443" or "30000-30100". */
  port: z.string().regex(/^\d{1,5}(-\d{1,5})?$/, 'must be a port or a range such as "443" or "8000-8100"'),
  protocol: z.enum(["tcp", "udp"]).optional(),
  sourceCidrs: z.array(cidr).min(1).optional(),
});

export const HetznerSettingsSchema = z.strictObject({
  location: z.string().min(1).optional(),
  networkZone: z.string().min(1).optional(),
  image: z.string().min(1).optional(),
  serverType: z.string().min(1).optional(),
  networkRange: privateCidr.optional(),
  subnetRange: privateCidr.optional(),
  /** The public half of the key Pulumi logs in with (`ssh-ed25519 AAAA...`). */
  sshPublicKey: z.string().refine(keyBlobMatchesType, 'must be an SSH public key such as "ssh-ed25519 AAAAC3Nza..."'),
  /** How Pulumi logs in: user (root on Hetzner images) and the matching private key. */
  ssh: z.strictObject({
    user: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, "must be a user name").optional(),
    privateKeyPath: z.string().min(1).optional(),
    agent: z.boolean().optional(),
  }),
  /** Networks allowed to reach SSH: where Pulumi runs (CI runners, an office). */
  sshAllowedCidrs: z.array(cidr).min(1, "must list at least one network (where Pulumi runs)"),
  /** Ports the workloads publish to the internet. */
  publicPorts: z.array(PublicPortSchema).optional(),
  dockerPackage: z.string().min(1).optional(),
  /** How long to wait for a new server to answer over SSH, in seconds. */
  connectTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
  servers: z.array(HetznerServerSchema).min(1, "must list at least one server"),
});

export type HetznerSettingsInput = z.input<typeof HetznerSettingsSchema>;
export type HetznerSettings = z.output<typeof HetznerSettingsSchema>;

export const HETZNER_DEFAULTS = {
  location: "nbg1",
  networkZone: "eu-central",
  image: "debian-12",
  serverType: "cx22",
  networkRange: "10.0.0.0/16",
  subnetRange: "10.0.1.0/24",
  dockerPackage: "docker.io",
  connectTimeoutSeconds: 600,
} as const;

/** Checks settings; throws HostConfigError listing every problem. */
export function parseHetznerSettings(value: unknown, origin: ValueOrigin): HetznerSettings {
  const parsed = HetznerSettingsSchema.safeParse(value);
  if (!parsed.success) throw new HostConfigError(origin, fromZodIssues(parsed.error.issues, value));
  const settings = parsed.data;
  const issues: HostIssue[] = [];
  const credentials = [settings.ssh.privateKeyPath !== undefined, settings.ssh.agent === true].filter(Boolean).length;
  if (credentials !== 1) {
    issues.push({ path: ["ssh"], message: "set exactly one of privateKeyPath and agent: true (the key matching sshPublicKey)" });
  }
  const names = new Map<string, number>();
  settings.servers.forEach((server, index) => {
    const previous = names.get(server.name);
    if (previous !== undefined) issues.push({ path: ["servers", index, "name"], message: `"${server.name}" is already the name of servers[${previous}]` });
    else names.set(server.name, index);
  });
  if (issues.length > 0) throw new HostConfigError(origin, issues);
  return settings;
}
