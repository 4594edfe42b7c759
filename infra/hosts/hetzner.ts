/**
 * Swarm hosts on Hetzner Cloud (@pulumi/hcloud): one server per entry, an SSH key for
 * logging in, a private network the swarm talks over (its advertise addresses), and a
 * firewall on the public side that admits SSH from the given networks, ping, and the
 * ports the workloads publish. Hetzner Cloud firewalls filter public interfaces only, so
 * the swarm's own ports (2377/tcp, 7946/tcp+udp, 4789/udp) stay open on the private
 * network and closed to the internet.
 *
 * cloud-init installs Docker and gives each server a host key derived from the stack's
 * secret seed (host-key.ts): the inventory pins that key before the server exists.
 * Changing the seed rotates every host key and therefore replaces every server.
 *
 * Settings are checked with zod before any resource is created; `fromConfig` reads them
 * from stack config (key `hetzner`, seed in the secret `hostKeySeed`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as hcloud from "@pulumi/hcloud";
import * as z from "zod";
import { cloudConfig, CLOUD_INIT_READY_COMMAND } from "./cloud-init.ts";
import { deriveHostKey, MIN_SEED_LENGTH, publicKeyWithoutComment } from "./host-key.ts";
import { stackFileLocator } from "./inventory-config.ts";
import { fromZodIssues, HostConfigError, type HostIssue, type ValueOrigin } from "./issues.ts";
import {
  DEFAULT_SSH_USER,
  keyBlobMatchesType,
  NODE_AVAILABILITIES,
  SWARM_ROLES,
  type Inventory,
  type InventoryHost,
  type SshAuthInput,
} from "./inventory.ts";
import type { HostProvisioner } from "./provisioner.ts";

export const HETZNER_HOSTS_TYPE = "compose:hosts:HetznerHosts";

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

const ANYWHERE = ["0.0.0.0/0", "::/0"];

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

export function firewallRules(settings: HetznerSettings): hcloud.types.input.FirewallRule[] {
  return [
    { direction: "in", protocol: "tcp", port: "22", sourceIps: settings.sshAllowedCidrs, description: "SSH: bootstrap and the docker provider" },
    { direction: "in", protocol: "icmp", sourceIps: ANYWHERE, description: "ping" },
    ...(settings.publicPorts ?? []).map((entry) => ({
      direction: "in",
      protocol: entry.protocol ?? "tcp",
      port: entry.port,
      sourceIps: entry.sourceCidrs ?? ANYWHERE,
      description: `published port ${entry.port}/${entry.protocol ?? "tcp"}`,
    })),
  ];
}

export interface HetznerHostsArgs {
  /** The servers, network and firewall to create (parseHetznerSettings checks them). */
  settings: HetznerSettings;
  /** Secret of at least 32 characters from which each server's SSH host key is derived. */
  hostKeySeed: pulumi.Input<string>;
}

export class HetznerHosts extends pulumi.ComponentResource implements HostProvisioner {
  /** The created servers as SwarmCluster's hosts. */
  readonly inventory: Inventory;
  /** By host name. */
  readonly servers: Record<string, hcloud.Server> = {};
  /** The private network the swarm's traffic uses. */
  readonly network: hcloud.Network;
  /** Its subnet. */
  readonly subnet: hcloud.NetworkSubnet;
  /** SSH and the published ports from outside; swarm ports only inside the network. */
  readonly firewall: hcloud.Firewall;
  /** The public key put on the servers for root. */
  readonly sshKey: hcloud.SshKey;

  constructor(name: string, args: HetznerHostsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(HETZNER_HOSTS_TYPE, name, {}, opts);
    const settings = args.settings;
    const location = settings.location ?? HETZNER_DEFAULTS.location;
    const labels = { "compose-pulumi-cluster": name };
    const child = { parent: this };

    this.sshKey = new hcloud.SshKey(`${name}-ssh-key`, { name: `${name}-admin`, publicKey: settings.sshPublicKey, labels }, child);
    this.network = new hcloud.Network(`${name}-network`, {
      name,
      ipRange: settings.networkRange ?? HETZNER_DEFAULTS.networkRange,
      labels,
    }, child);
    this.subnet = new hcloud.NetworkSubnet(`${name}-subnet`, {
      networkId: this.network.id.apply(Number),
      type: "cloud",
      networkZone: settings.networkZone ?? HETZNER_DEFAULTS.networkZone,
      ipRange: settings.subnetRange ?? HETZNER_DEFAULTS.subnetRange,
    }, child);
    this.firewall = new hcloud.Firewall(`${name}-firewall`, { name, rules: firewallRules(settings), labels }, child);

    const seed = pulumi.secret(args.hostKeySeed);
    const auth: SshAuthInput = settings.ssh.privateKeyPath !== undefined
      ? { kind: "keyFile", path: settings.ssh.privateKeyPath }
      : { kind: "agent" };
    const hosts: InventoryHost[] = settings.servers.map((server) => {
      const hostKey = seed.apply((value) => {
        if (value.length < MIN_SEED_LENGTH) {
          throw new Error(`${name}: hostKeySeed must be at least ${MIN_SEED_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`);
        }
        return deriveHostKey(value, server.name);
      });
      const machine = new hcloud.Server(`${name}-${server.name}`, {
        name: server.name,
        serverType: server.serverType ?? settings.serverType ?? HETZNER_DEFAULTS.serverType,
        image: settings.image ?? HETZNER_DEFAULTS.image,
        location: server.location ?? location,
        sshKeys: [this.sshKey.id],
        firewallIds: [this.firewall.id.apply(Number)],
        networks: [{ networkId: this.network.id.apply(Number), subnetId: this.subnet.id, aliasIps: [] }],
        publicNets: [{ ipv4Enabled: true, ipv6Enabled: true }],
        userData: hostKey.apply((key) =>
          cloudConfig({ hostName: server.name, hostKey: key, dockerPackage: settings.dockerPackage ?? HETZNER_DEFAULTS.dockerPackage })),
        labels: { ...labels, "compose-pulumi-role": server.role },
      }, { parent: this, dependsOn: [this.subnet] });
      this.servers[server.name] = machine;
      return {
        name: server.name,
        role: server.role,
        labels: { ...(server.labels ?? {}) },
        availability: server.availability ?? "active",
        address: machine.ipv4Address,
        advertiseAddress: machine.networks.apply((networks) => {
          const ip = networks?.[0]?.ip;
          if (!ip) throw new Error(`${name}: server ${server.name} has no address on the private network`);
          return ip;
        }),
        port: 22,
        user: settings.ssh.user ?? DEFAULT_SSH_USER,
        auth,
        // The public half of a secret-derived key is no secret.
        hostKeys: { pinned: pulumi.unsecret(hostKey.apply((key) => [publicKeyWithoutComment(key.publicKey)])) },
        connectTimeoutSeconds: settings.connectTimeoutSeconds ?? HETZNER_DEFAULTS.connectTimeoutSeconds,
        readyCommand: CLOUD_INIT_READY_COMMAND,
      };
    });
    this.inventory = { hosts };
    this.registerOutputs({
      servers: Object.fromEntries(Object.entries(this.servers).map(([key, server]) => [key, server.ipv4Address])),
    });
  }

  /** Settings from stack config (key `hetzner`) and the seed from the secret `hostKeySeed`. */
  static fromConfig(name: string, options: { key?: string; seedKey?: string; projectDir?: string } = {}, opts?: pulumi.ComponentResourceOptions): HetznerHosts {
    const key = options.key ?? "hetzner";
    const config = new pulumi.Config();
    const fullKey = `${pulumi.getProject()}:${key}`;
    const stackFile = `Pulumi.${pulumi.getStack()}.yaml`;
    const settings = parseHetznerSettings(config.getObject<unknown>(key), {
      file: stackFile,
      root: fullKey,
      locate: stackFileLocator(`${options.projectDir ?? process.cwd()}/${stackFile}`, fullKey),
    });
    return new HetznerHosts(name, { settings, hostKeySeed: config.requireSecret(options.seedKey ?? "hostKeySeed") }, opts);
  }
}
