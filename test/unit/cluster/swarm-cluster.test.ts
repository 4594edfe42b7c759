/**
 * SwarmCluster under the mock runtime: the commands it registers for 3 managers and 2
 * workers, which host each runs on, their order (install, init, tokens, managers one by
 * one, then workers; node settings chained so removals run in reverse), secrets, the
 * docker provider, quorum refusals, and that a label change touches one command only.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { SWARM_CLUSTER_TYPE, SwarmCluster, type SwarmClusterArgs } from "../../../components/swarm-cluster.ts";
import { SWARM_NODE_TYPE } from "../../../components/swarm-node.ts";
import { shellQuote } from "../../../infra/hosts/bootstrap/index.ts";
import { deriveHostKey, publicKeyWithoutComment } from "../../../infra/hosts/host-key.ts";
import { ExistingHosts } from "../../../infra/hosts/local.ts";
import { ResourceRecorder, type RecordedResource } from "../graph/recorder.ts";

const COMMAND = "command:local:Command";
const key = (name: string) => publicKeyWithoutComment(deriveHostKey("k".repeat(40), name).publicKey);
const ADDRESS: Record<string, string> = { node1: "10.0.0.11", node2: "10.0.0.12", node3: "10.0.0.13", node4: "10.0.0.14", node5: "10.0.0.15" };
const ORIGIN = { file: "Pulumi.dev.yaml", root: "shop:inventory" };

interface HostOverrides {
  labels?: Record<string, Record<string, string>>;
  managers?: string[];
  trustOnFirstUse?: string[];
  privateKey?: string[];
}

function inventoryDocument(overrides: HostOverrides = {}) {
  const managers = overrides.managers ?? ["node1", "node2", "node3"];
  return {
    defaults: { privateKeyPath: "/keys/id_ed25519" },
    hosts: Object.keys(ADDRESS).map((name) => ({
      name,
      address: ADDRESS[name],
      role: managers.includes(name) ? "manager" : "worker",
      labels: overrides.labels?.[name] ?? (name === "node4" ? { db: "true" } : { zone: name === "node5" ? "b" : "a" }),
      ...(overrides.trustOnFirstUse?.includes(name) ? { trustOnFirstUse: true } : { hostKeys: [key(name)] }),
      ...(overrides.privateKey?.includes(name) ? { privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----" } : {}),
    })),
  };
}

/** What the bootstrap scripts print, by the script name on the first line of stdin. */
function scriptOutputs(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
  if (type !== COMMAND) return {};
  const host = /-(node\d)-(install|join|node|host-key)$/.exec(name)?.[1] ?? "";
  if (name.endsWith("-host-key")) return { stdout: `${key(host)}\n` };
  const script = /^# bootstrap: (\S+)/.exec(String(inputs.stdin ?? ""))?.[1];
  const result = (value: object) => ({ stdout: JSON.stringify({ ok: true, ...value }), stderr: "" });
  switch (script) {
    case "install-docker":
      return result({ changed: false, serverVersion: "20.10.24" });
    case "swarm-init":
      return result({ changed: true, nodeId: `id-${host}`, clusterId: "cluster-1", managerAddr: `${ADDRESS[host]}:2377` });
    case "swarm-join-tokens":
      return result({ clusterId: "cluster-1", workerToken: "SWMTKN-1-worker", managerToken: "SWMTKN-1-manager", managerAddrs: ["10.0.0.11:2377"] });
    case "swarm-join":
      return result({ changed: true, nodeId: `id-${host}`, role: inputs.stdin.includes("SWMTKN-1-manager") ? "manager" : "worker" });
    case "swarm-node-config":
      return result({ changed: true, nodeId: /SWARM_NODE='([^']*)'/.exec(inputs.stdin)?.[1], hostname: "h", role: "worker", availability: "active", labels: {} });
    default:
      return {};
  }
}

interface Deployed {
  recorder: ResourceRecorder;
  cluster: SwarmCluster;
  record: RecordedResource;
  command: (name: string) => RecordedResource;
}

async function deployCluster(overrides: HostOverrides = {}, args: Partial<SwarmClusterArgs> = {}, stack = "dev"): Promise<Deployed> {
  const recorder = ResourceRecorder.install({ project: "shop", stack, outputs: scriptOutputs });
  try {
    const hosts = ExistingHosts.parse(inventoryDocument(overrides), ORIGIN);
    const cluster = new SwarmCluster("swarm", { hosts, ...args });
    const record = await recorder.created(cluster);
    return { recorder, cluster, record, command: (name) => recorder.get(COMMAND, name) };
  } finally {
    recorder.dispose();
  }
}

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}

/** The remote host a command's last line runs the script on, from its ssh_<i> function. */
function scriptHost(create: string): string {
  const call = /\n(ssh_\d+) 'sh -s'\n$/.exec(create)?.[1];
  assert.ok(call, `no script call at the end of:\n${create.slice(-200)}`);
  const definition = new RegExp(`^${call}\\(\\) \\{ ssh .* -- '([^']+)' "\\$@"; \\}$`, "m").exec(create);
  assert.ok(definition, `no definition of ${call}`);
  return definition[1];
}

describe("SwarmCluster with 3 managers and 2 workers", async () => {
  const d = await deployCluster();
  const names = ["node1", "node2", "node3", "node4", "node5"];

  it("registers one SwarmNode per host, the token reader and the docker provider", () => {
    assert.equal(d.record.type, SWARM_CLUSTER_TYPE);
    assert.deepEqual(d.recorder.childrenOf(d.record).map((r) => `${r.type} ${r.name}`).sort(), [
      `${COMMAND} swarm-join-tokens`,
      ...names.map((n) => `${SWARM_NODE_TYPE} swarm-${n}`),
      "pulumi:providers:docker swarm-docker",
    ].sort());
    for (const n of names) {
      const node = d.recorder.get(SWARM_NODE_TYPE, `swarm-${n}`);
      assert.deepEqual(d.recorder.childrenOf(node).map((r) => `${r.type} ${r.name}`).sort(),
        [`${COMMAND} swarm-${n}-install`, `${COMMAND} swarm-${n}-join`, `${COMMAND} swarm-${n}-node`]);
    }
    assert.equal(d.recorder.ofType(COMMAND).length, 16);
  });

  it("runs each script on the right host: install and join on the host itself, settings and tokens on the first manager", () => {
    for (const n of names) {
      assert.equal(scriptHost(d.command(`swarm-${n}-install`).inputs.create), ADDRESS[n], `${n} install`);
      assert.equal(scriptHost(d.command(`swarm-${n}-join`).inputs.create), ADDRESS[n], `${n} join`);
      assert.equal(scriptHost(d.command(`swarm-${n}-node`).inputs.create), ADDRESS.node1, `${n} settings`);
    }
    assert.equal(scriptHost(d.command("swarm-join-tokens").inputs.create), ADDRESS.node1);
    for (const c of d.recorder.ofType(COMMAND)) assert.deepEqual(c.inputs.interpreter, ["/bin/sh", "-c"], c.name);
  });

  it("feeds each command the bootstrap script with its inputs", () => {
    const stdin = (name: string) => String(d.command(name).inputs.stdin);
    assert.ok(stdin("swarm-node3-install").startsWith("# bootstrap: install-docker\n\n# Prelude"), stdin("swarm-node3-install").slice(0, 80));
    assert.ok(stdin("swarm-node1-join").startsWith("# bootstrap: swarm-init\nSWARM_ADVERTISE_ADDR='10.0.0.11'\n"));
    assert.ok(stdin("swarm-join-tokens").startsWith("# bootstrap: swarm-join-tokens\n"));
    assert.ok(stdin("swarm-node2-join").startsWith(
      "# bootstrap: swarm-join\nSWARM_JOIN_TOKEN='SWMTKN-1-manager'\nSWARM_MANAGER_ADDRS='10.0.0.11,10.0.0.12,10.0.0.13'\nSWARM_ADVERTISE_ADDR='10.0.0.12'\nSWARM_CLUSTER_ID='cluster-1'\n"));
    assert.ok(stdin("swarm-node5-join").startsWith("# bootstrap: swarm-join\nSWARM_JOIN_TOKEN='SWMTKN-1-worker'\n"));
    assert.ok(stdin("swarm-node4-node").startsWith(
      "# bootstrap: swarm-node-config\nSWARM_NODE='id-node4'\nSWARM_NODE_LABELS='db=true'\nSWARM_NODE_LABELS_MODE='exact'\nSWARM_NODE_AVAILABILITY='active'\nSWARM_NODE_ROLE='worker'\n"));
    assert.ok(stdin("swarm-node2-node").includes("\nSWARM_NODE_ROLE='manager'\n"));
  });

  it("pins each host's key when connecting to it", () => {
    const create = String(d.command("swarm-node4-node").inputs.create);
    for (const n of ["node4", "node1", "node2", "node3"]) {
      const pinned = `${shellQuote(`HostKeyAlias=${n}`)} '-o' ${shellQuote(`KnownHostsCommand=/usr/bin/printf %%s\\n '${n} ${key(n)}'`)}`;
      assert.ok(create.includes(pinned), `${n} pinned`);
    }
    assert.ok(create.includes("'StrictHostKeyChecking=yes'") && create.includes("'UserKnownHostsFile=/dev/null'"));
  });

  it("orders the steps: install, init, tokens, managers one at a time, then the workers", () => {
    const deps = (name: string) => d.recorder.dependencyNames(d.command(name)).map((dep) => dep.replace(`${COMMAND} `, ""));
    assert.deepEqual(deps("swarm-node1-install"), []);
    assert.deepEqual(deps("swarm-node1-join"), ["swarm-node1-install"]);
    assert.deepEqual(deps("swarm-join-tokens"), ["swarm-node1-join"]);
    assert.deepEqual(deps("swarm-node2-join"), ["swarm-join-tokens", "swarm-node1-join", "swarm-node2-install"]);
    assert.deepEqual(deps("swarm-node3-join"), ["swarm-join-tokens", "swarm-node1-join", "swarm-node2-join", "swarm-node3-install"]);
    for (const worker of ["node4", "node5"]) {
      assert.deepEqual(deps(`swarm-${worker}-join`),
        ["swarm-join-tokens", "swarm-node1-join", "swarm-node2-join", "swarm-node3-join", `swarm-${worker}-install`]);
    }
  });

  it("chains node settings so removals run in reverse: workers first, the first manager last", () => {
    const deps = (name: string) => d.recorder.dependencyNames(d.command(name)).map((dep) => dep.replace(`${COMMAND} `, ""));
    assert.deepEqual(deps("swarm-node1-node"), ["swarm-node1-join"]);
    assert.deepEqual(deps("swarm-node2-node"), ["swarm-node1-node", "swarm-node2-join"]);
    assert.deepEqual(deps("swarm-node3-node"), ["swarm-node2-node", "swarm-node3-join"]);
    assert.deepEqual(deps("swarm-node4-node"), ["swarm-node3-node", "swarm-node4-join"]);
    assert.deepEqual(deps("swarm-node5-node"), ["swarm-node4-node", "swarm-node5-join"]);
  });

  it("removes a node by draining it through the other managers, first manager first", () => {
    const removal = String(d.command("swarm-node4-node").inputs.delete);
    assert.match(removal, /^ssh_0\(\) \{ ssh .* -- '10\.0\.0\.14' "\$@"; \}$/m);
    assert.match(removal, /^ssh_1\(\) \{ ssh .* -- '10\.0\.0\.11' "\$@"; \}$/m);
    assert.match(removal, /^ssh_3\(\) \{ ssh .* -- '10\.0\.0\.13' "\$@"; \}$/m);
    assert.ok(removal.includes("\nfor p in ssh_1 ssh_2 ssh_3; do\n"));
    assert.ok(removal.includes(`drain=${shellQuote("# bootstrap: swarm-drain\nSWARM_NODE='id-node4'\n").slice(0, -1)}`));
    const firstRemoval = String(d.command("swarm-node1-node").inputs.delete);
    assert.match(firstRemoval, /^ssh_1\(\) \{ ssh .* -- '10\.0\.0\.12' "\$@"; \}$/m);
    assert.ok(firstRemoval.includes("\nfor p in ssh_1 ssh_2; do\n"));
    for (const n of names) {
      assert.equal(d.command(`swarm-${n}-install`).inputs.delete, undefined);
      assert.equal(d.command(`swarm-${n}-join`).inputs.delete, undefined);
    }
  });

  it("keeps join tokens secret and node ids plain", async () => {
    assert.deepEqual(d.command("swarm-node2-join").secretPaths, ["stdin"]);
    assert.deepEqual(d.command("swarm-node4-join").secretPaths, ["stdin"]);
    assert.deepEqual(d.command("swarm-node1-join").secretPaths, []);
    assert.equal(await pulumi.isSecret(d.cluster.joinTokens), true);
    assert.deepEqual(await resolve(d.cluster.joinTokens), { worker: "SWMTKN-1-worker", manager: "SWMTKN-1-manager" });
    assert.equal(await pulumi.isSecret(d.cluster.nodeIds), false);
    assert.deepEqual(await resolve(d.cluster.nodeIds), Object.fromEntries(names.map((n) => [n, `id-${n}`])));
    assert.equal(await resolve(d.cluster.clusterId), "cluster-1");
    assert.equal(await resolve(d.cluster.managerAddress), "10.0.0.11:2377");
    // The step that prints the tokens shows only its stderr in Pulumi's output (the
    // command provider shows stdout by default, secret inputs or not); its stdout is secret.
    assert.deepEqual(d.command("swarm-join-tokens").secretPaths, ["stdin"]);
    assert.equal(d.command("swarm-join-tokens").inputs.logging, "stderr");
    for (const c of d.recorder.ofType(COMMAND)) {
      if (c.name !== "swarm-join-tokens") assert.equal(c.inputs.logging, undefined, `${c.name}: prints no secret, shows both streams`);
      for (const text of [c.inputs.create, c.inputs.delete ?? "", JSON.stringify(c.inputs.environment ?? {})]) {
        assert.ok(!text.includes("SWMTKN"), `${c.name}: no token in a command's text or environment`);
      }
    }
  });

  it("exposes a docker provider reaching the first manager over SSH with its pinned key, after every node is set up", async () => {
    const provider = d.recorder.get("pulumi:providers:docker", "swarm-docker");
    assert.equal(provider.inputs.host, "ssh://root@10.0.0.11:22");
    assert.deepEqual(JSON.parse(provider.inputs.sshOpts), [
      "-o", "BatchMode=yes",
      "-o", "StrictHostKeyChecking=yes",
      "-o", "UserKnownHostsFile=/dev/null",
      "-o", "GlobalKnownHostsFile=/dev/null",
      "-o", "CheckHostIP=no",
      "-o", "HostKeyAlias=node1",
      "-o", `KnownHostsCommand=/usr/bin/printf %%s\\n 'node1 ${key("node1")}'`,
      "-o", "ConnectTimeout=30",
      "-o", "ServerAliveInterval=15",
      "-o", "LogLevel=ERROR",
      "-o", "IdentitiesOnly=yes",
      "-i", "/keys/id_ed25519",
    ]);
    assert.deepEqual(d.recorder.dependencyNames(provider), names.map((n) => `${COMMAND} swarm-${n}-node`).sort());
    assert.equal(await resolve(d.cluster.dockerHost), "ssh://root@10.0.0.11:22");
  });
});

describe("SwarmCluster updates", () => {
  it("changes only the node's settings command when one label changes", async () => {
    const before = await deployCluster();
    const after = await deployCluster({ labels: { node5: { zone: "c" } } });
    const inputsOf = (d: Deployed) => Object.fromEntries(d.recorder.ofType(COMMAND).map((c) => [c.name, JSON.stringify(c.inputs)]));
    const a = inputsOf(before);
    const b = inputsOf(after);
    assert.deepEqual(Object.keys(b).sort(), Object.keys(a).sort());
    assert.deepEqual(Object.keys(a).filter((name) => a[name] !== b[name]), ["swarm-node5-node"]);
    assert.ok(after.command("swarm-node5-node").inputs.stdin.includes("\nSWARM_NODE_LABELS='zone=c'\n"));
  });

  it("records the key of a host that trusts on first use, and pins it from then on", async () => {
    const d = await deployCluster({ trustOnFirstUse: ["node5"] });
    const scan = d.command("swarm-node5-host-key");
    assert.equal(scan.parent, d.record.urn);
    assert.match(scan.inputs.create, /ssh-keyscan -T 10 -p 22 '10\.0\.0\.15'/);
    assert.ok(d.recorder.dependencyNames(d.command("swarm-node5-join")).includes(`${COMMAND} swarm-node5-host-key`));
    assert.ok(String(d.command("swarm-node5-join").inputs.create).includes(`node5 ${key("node5")}`));
    assert.deepEqual(d.recorder.warnings, [
      "host node5: its SSH host key is recorded at the first connection (trustOnFirstUse) and checked from then on; pin it in hostKeys to verify the very first connection too",
    ]);
    assert.deepEqual(await resolve(d.cluster.recordedHostKeys.node5), [key("node5")]);
  });

  it("passes a private key given as text in a secret environment variable, never on the command line", async () => {
    const d = await deployCluster({ privateKey: ["node4"] });
    const install = d.command("swarm-node4-install");
    assert.deepEqual(install.secretPaths, ["environment"]);
    assert.deepEqual(Object.keys(install.inputs.environment), ["SWARM_SSH_KEY_0"]);
    assert.ok(!install.inputs.create.includes("BEGIN OPENSSH"));
    assert.ok(install.inputs.create.includes(`printf '%s\\n' "\${SWARM_SSH_KEY_0}" >"$ssh_keys/0"`));
  });
});

describe("SwarmCluster refusals and warnings", () => {
  it("refuses an even manager count before creating anything, unless allowed", async () => {
    await assert.rejects(deployCluster({ managers: ["node1", "node2", "node3", "node4"] }), {
      message: 'swarm "swarm": 4 managers is an even count. Raft commits only with a majority (3 of 4), so 4 managers survive 1 failure, no more than 3 would, while one more manager must agree on every change. Use 3 or 5 managers, or set allowEvenManagers to accept this',
    });
    const allowed = await deployCluster({ managers: ["node1", "node2", "node3", "node4"] }, { allowEvenManagers: true });
    assert.equal(allowed.recorder.ofType(SWARM_NODE_TYPE).length, 5);
  });

  it("warns on a production stack whose managers take workloads", async () => {
    const d = await deployCluster({}, {}, "prod");
    assert.deepEqual(d.cluster.warnings, [
      'swarm "swarm": managers node1, node2, node3 accept workloads in production; tasks placed there compete with Raft for CPU, memory and disk and can cost the cluster its quorum under load: set availability: drain on the managers, or constrain services with node.role == worker',
    ]);
    assert.deepEqual(d.recorder.warnings, d.cluster.warnings);
    const dev = await deployCluster();
    assert.deepEqual(dev.cluster.warnings, []);
  });

  it("refuses a docker provider for a first manager whose key is only given as text", async () => {
    await assert.rejects(deployCluster({ privateKey: ["node1"] }), {
      message: 'swarm "swarm": the docker provider reaches node1 through the ssh command, which reads keys from files: give that host privateKeyPath or agent: true, or set dockerProvider: false',
    });
    const without = await deployCluster({ privateKey: ["node1"] }, { dockerProvider: false });
    assert.equal(without.cluster.provider, undefined);
    assert.equal(without.recorder.ofType("pulumi:providers:docker").length, 0);
  });
});
