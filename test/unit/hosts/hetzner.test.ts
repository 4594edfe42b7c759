/**
 * The Hetzner Cloud provisioner under the mock runtime: the servers, key, network and
 * firewall it asks for, the cloud-init each server boots with, and the inventory it
 * hands to SwarmCluster (addresses from the servers, host keys pinned in advance).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { HETZNER_HOSTS_TYPE, HetznerHosts, parseHetznerSettings, type HetznerSettingsInput } from "../../../infra/hosts/hetzner.ts";
import { deriveHostKey, publicKeyWithoutComment } from "../../../infra/hosts/host-key.ts";
import { HostConfigError } from "../../../infra/hosts/issues.ts";
import type { Inventory } from "../../../infra/hosts/inventory.ts";
import { ResourceRecorder, type RecordedResource } from "../graph/recorder.ts";

const SEED = "seed-for-tests-0123456789abcdef0123456789";
const ADMIN_KEY = publicKeyWithoutComment(deriveHostKey("admin".repeat(8), "admin").publicKey);
const ORIGIN = { file: "Pulumi.prod.yaml", root: "shop:hetzner" };

const SETTINGS: HetznerSettingsInput = {
  sshPublicKey: `${ADMIN_KEY} ops@example`,
  ssh: { privateKeyPath: "/home/ops/.ssh/id_ed25519" },
  sshAllowedCidrs: ["198.51.100.0/24"],
  publicPorts: [{ port: "80" }, { port: "443" }, { port: "51820", protocol: "udp", sourceCidrs: ["203.0.113.7/32"] }],
  servers: [
    { name: "mgr-1", role: "manager", availability: "drain" },
    { name: "mgr-2", role: "manager", availability: "drain" },
    { name: "mgr-3", role: "manager", availability: "drain" },
    { name: "db-1", role: "worker", labels: { db: "true" }, serverType: "cx32" },
    { name: "web-1", role: "worker", location: "fsn1" },
  ],
};

/** Numeric ids as Hetzner gives them, and the addresses a server gets. */
function hcloudOutputs(type: string, name: string): Record<string, unknown> {
  const index = SETTINGS.servers.findIndex((server) => `prod-${server.name}` === name) + 1;
  if (type === "hcloud:index/server:Server") {
    return { ipv4Address: `203.0.113.${10 + index}`, networks: [{ ip: `10.0.1.${index + 1}`, networkId: 4001, subnetId: "4001-10.0.1.0/24", aliasIps: [], macAddress: "" }] };
  }
  return {};
}

let recorder: ResourceRecorder;
let hosts: HetznerHosts;
let component: RecordedResource;
let inventory: Awaited<ReturnType<typeof resolveInventory>>;

async function resolveInventory(value: Inventory) {
  const out = [];
  for (const host of value.hosts) {
    const pinned = "pinned" in host.hostKeys ? host.hostKeys.pinned : [];
    const resolve = <T>(input: pulumi.Input<T>) => new Promise<T>((done) => pulumi.output(input).apply((v) => done(v as T)));
    out.push({
      ...host,
      address: await resolve(host.address),
      advertiseAddress: await resolve(host.advertiseAddress!),
      pinned: await resolve(pulumi.all(pinned as pulumi.Input<string>[])),
      pinnedIsSecret: await pulumi.isSecret(pulumi.output(pinned)),
    });
  }
  return out;
}

before(async () => {
  recorder = ResourceRecorder.install({ project: "shop", stack: "prod", outputs: hcloudOutputs });
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: { newResource(args: pulumi.runtime.MockResourceArgs): any } };
  const newResource = monitor.mocks.newResource.bind(monitor.mocks);
  const ids: Record<string, string> = { "prod-ssh-key": "4001", "prod-network": "4002", "prod-subnet": "4002-10.0.1.0/24", "prod-firewall": "4004" };
  monitor.mocks.newResource = (args) => {
    const result = newResource(args);
    return args.type.startsWith("hcloud:") ? { ...result, id: ids[args.name] ?? `5${args.name.length}` } : result;
  };
  hosts = new HetznerHosts("prod", { settings: parseHetznerSettings(SETTINGS, ORIGIN), hostKeySeed: pulumi.secret(SEED) });
  component = await recorder.created(hosts);
  inventory = await resolveInventory(hosts.inventory);
});
after(() => recorder.dispose());

describe("HetznerHosts resources", () => {
  it("creates an SSH key, a network with a subnet, a firewall and one server per entry, all children of the component", () => {
    assert.equal(component.type, HETZNER_HOSTS_TYPE);
    assert.deepEqual(recorder.childrenOf(component).map((r) => `${r.type} ${r.name}`).sort(), [
      "hcloud:index/firewall:Firewall prod-firewall",
      "hcloud:index/network:Network prod-network",
      "hcloud:index/networkSubnet:NetworkSubnet prod-subnet",
      "hcloud:index/server:Server prod-db-1",
      "hcloud:index/server:Server prod-mgr-1",
      "hcloud:index/server:Server prod-mgr-2",
      "hcloud:index/server:Server prod-mgr-3",
      "hcloud:index/server:Server prod-web-1",
      "hcloud:index/sshKey:SshKey prod-ssh-key",
    ]);
    assert.deepEqual(recorder.get("hcloud:index/sshKey:SshKey", "prod-ssh-key").inputs, {
      name: "prod-admin", publicKey: `${ADMIN_KEY} ops@example`, labels: { "compose-pulumi-cluster": "prod" },
    });
    assert.deepEqual(recorder.get("hcloud:index/network:Network", "prod-network").inputs, {
      name: "prod", ipRange: "10.0.0.0/16", labels: { "compose-pulumi-cluster": "prod" },
    });
    const network = recorder.get("hcloud:index/network:Network", "prod-network");
    const subnet = recorder.get("hcloud:index/networkSubnet:NetworkSubnet", "prod-subnet");
    assert.deepEqual(subnet.inputs, { networkId: 4002, type: "cloud", networkZone: "eu-central", ipRange: "10.0.1.0/24" });
    assert.deepEqual(subnet.dependencies, [network.urn]);
  });

  it("opens SSH to the allowed networks only, ping, and the published ports; no swarm port", () => {
    assert.deepEqual(recorder.get("hcloud:index/firewall:Firewall", "prod-firewall").inputs.rules, [
      { direction: "in", protocol: "tcp", port: "22", sourceIps: ["198.51.100.0/24"], description: "SSH: bootstrap and the docker provider" },
      { direction: "in", protocol: "icmp", sourceIps: ["0.0.0.0/0", "::/0"], description: "ping" },
      { direction: "in", protocol: "tcp", port: "80", sourceIps: ["0.0.0.0/0", "::/0"], description: "published port 80/tcp" },
      { direction: "in", protocol: "tcp", port: "443", sourceIps: ["0.0.0.0/0", "::/0"], description: "published port 443/tcp" },
      { direction: "in", protocol: "udp", port: "51820", sourceIps: ["203.0.113.7/32"], description: "published port 51820/udp" },
    ]);
  });

  it("gives every server the key, firewall and private network, with per-server type and location", () => {
    const server = (name: string) => recorder.get("hcloud:index/server:Server", `prod-${name}`);
    const { userData, ...inputs } = server("db-1").inputs;
    assert.deepEqual(inputs, {
      name: "db-1",
      serverType: "cx32",
      image: "debian-12",
      location: "nbg1",
      sshKeys: ["4001"],
      firewallIds: [4004],
      networks: [{ networkId: 4002, subnetId: "4002-10.0.1.0/24", aliasIps: [] }],
      publicNets: [{ ipv4Enabled: true, ipv6Enabled: true }],
      labels: { "compose-pulumi-cluster": "prod", "compose-pulumi-role": "worker" },
    });
    assert.equal(typeof userData, "string");
    assert.equal(server("web-1").inputs.location, "fsn1");
    assert.equal(server("web-1").inputs.serverType, "cx22");
    assert.equal(server("mgr-1").inputs.labels["compose-pulumi-role"], "manager");
    assert.ok(recorder.dependencyNames(server("mgr-1")).includes("hcloud:index/networkSubnet:NetworkSubnet prod-subnet"));
    for (const s of SETTINGS.servers) assert.deepEqual(server(s.name).secretPaths, ["userData"], `${s.name}: the user data holds a private host key`);
  });

  it("boots each server with cloud-init: its derived host key only, key-only SSH, and Docker", () => {
    for (const s of SETTINGS.servers) {
      const userData: string = recorder.get("hcloud:index/server:Server", `prod-${s.name}`).inputs.userData;
      assert.ok(userData.startsWith("#cloud-config\n"));
      const config = parse(userData);
      const key = deriveHostKey(SEED, s.name);
      assert.deepEqual(config.ssh_keys, { ed25519_private: key.privateKey, ed25519_public: key.publicKey });
      assert.equal(config.ssh_deletekeys, true);
      assert.deepEqual(config.ssh_genkeytypes, []);
      assert.equal(config.ssh_pwauth, false);
      assert.equal(config.hostname, s.name);
      assert.deepEqual(config.packages, ["docker.io"]);
      assert.deepEqual(config.runcmd, [["systemctl", "enable", "--now", "docker"]]);
      assert.deepEqual(config.write_files, [{
        path: "/etc/ssh/sshd_config.d/50-compose-pulumi.conf",
        permissions: "0644",
        content: "PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n",
      }]);
    }
  });
});

describe("HetznerHosts inventory", () => {
  it("lists each server with its public address for SSH and its private address for the swarm", () => {
    assert.deepEqual(inventory.map((h) => [h.name, h.role, h.availability, h.address, h.advertiseAddress, h.port, h.user]), [
      ["mgr-1", "manager", "drain", "203.0.113.11", "10.0.1.2", 22, "root"],
      ["mgr-2", "manager", "drain", "203.0.113.12", "10.0.1.3", 22, "root"],
      ["mgr-3", "manager", "drain", "203.0.113.13", "10.0.1.4", 22, "root"],
      ["db-1", "worker", "active", "203.0.113.14", "10.0.1.5", 22, "root"],
      ["web-1", "worker", "active", "203.0.113.15", "10.0.1.6", 22, "root"],
    ]);
    assert.deepEqual(inventory[3].labels, { db: "true" });
    for (const host of inventory) {
      assert.deepEqual(host.auth, { kind: "keyFile", path: "/home/ops/.ssh/id_ed25519" });
      assert.equal(host.readyCommand, "cloud-init status --wait >/dev/null");
      assert.equal(host.connectTimeoutSeconds, 600);
    }
  });

  it("pins each server's derived public key, and does not mark it secret", () => {
    for (const host of inventory) {
      assert.deepEqual(host.pinned, [publicKeyWithoutComment(deriveHostKey(SEED, host.name).publicKey)]);
      assert.equal(host.pinnedIsSecret, false);
    }
  });
});

describe("parseHetznerSettings", () => {
  const problems = (value: unknown) => {
    try {
      parseHetznerSettings(value, ORIGIN);
    } catch (error) {
      assert.ok(error instanceof HostConfigError);
      return error.message.split("\n");
    }
    assert.fail("accepted");
  };

  it("reports schema problems with their paths", () => {
    assert.deepEqual(problems({
      ...SETTINGS,
      sshPublicKey: "ssh-ed25519 AAAA",
      sshAllowedCidrs: ["198.51.100.0/33"],
      networkRange: "203.0.113.0/24",
      publicPorts: [{ port: "http" }],
      servers: [{ name: "Mgr", role: "manager" }],
    }), [
      'Pulumi.prod.yaml: shop:hetzner.networkRange: must be a private IPv4 range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)',
      'Pulumi.prod.yaml: shop:hetzner.sshPublicKey: must be an SSH public key such as "ssh-ed25519 AAAAC3Nza..."',
      'Pulumi.prod.yaml: shop:hetzner.sshAllowedCidrs[0]: must be a network in CIDR notation, e.g. "203.0.113.0/24"',
      'Pulumi.prod.yaml: shop:hetzner.publicPorts[0].port: must be a port or a range such as "443" or "8000-8100"',
      'Pulumi.prod.yaml: shop:hetzner.servers[0].name: must be lower-case letters, digits and "-", e.g. "node-1"',
    ]);
  });

  it("requires one way to log in and unique server names", () => {
    assert.deepEqual(problems({
      ...SETTINGS,
      ssh: { privateKeyPath: "/k", agent: true },
      servers: [{ name: "a", role: "manager" }, { name: "a", role: "worker" }],
    }), [
      "Pulumi.prod.yaml: shop:hetzner.ssh: set exactly one of privateKeyPath and agent: true (the key matching sshPublicKey)",
      'Pulumi.prod.yaml: shop:hetzner.servers[1].name: "a" is already the name of servers[0]',
    ]);
    assert.deepEqual(problems({ ...SETTINGS, sshAllowedCidrs: [] }), [
      "Pulumi.prod.yaml: shop:hetzner.sshAllowedCidrs: must list at least one network (where Pulumi runs)",
    ]);
  });
});
