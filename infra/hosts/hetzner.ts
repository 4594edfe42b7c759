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
 * Settings are checked (hetzner-settings.ts) before any resource is created; `fromConfig`
 * reads them from stack config (key `hetzner`, seed in the secret `hostKeySeed`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as hcloud from "@pulumi/hcloud";
import { cloudConfig, CLOUD_INIT_READY_COMMAND } from "./cloud-init.ts";
import { deriveHostKey, MIN_SEED_LENGTH, publicKeyWithoutComment } from "./host-key.ts";
import { stackFileLocator } from "./inventory-config.ts";
import { DEFAULT_SSH_USER, type Inventory, type InventoryHost, type SshAuthInput } from "./inventory.ts";
import { HETZNER_DEFAULTS, parseHetznerSettings, type HetznerSettings } from "./hetzner-settings.ts";
import type { HostProvisioner } from "./provisioner.ts";

export { HetznerSettingsSchema, HetznerServerSchema, PublicPortSchema, HETZNER_DEFAULTS, parseHetznerSettings, type HetznerSettings, type HetznerSettingsInput } from "./hetzner-settings.ts";

export const HETZNER_HOSTS_TYPE = "compose:hosts:HetznerHosts";

const ANYWHERE = ["0.0.0.0/0", "::/0"];

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
