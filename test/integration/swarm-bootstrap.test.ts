// The SSH bootstrap scripts against real test hosts: five network-namespace hosts, each
// with its own sshd and dockerd, reached over SSH with pinned host keys.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { runBootstrap } from "../harness/bootstrap.ts";
import { startDockerd, stopDockerd } from "../harness/daemon.ts";
import { createTestHosts, destroyTestHosts, harnessUnavailableReason, type TestHost, type TestHosts } from "../harness/hosts.ts";
import { publishBusyboxImage } from "../harness/images.ts";
import { run } from "../harness/process.ts";
import { sshChecked } from "../harness/ssh.ts";
import { bootstrapSwarm, labelLines, type SwarmBootstrap, type SwarmPlan } from "../harness/swarm.ts";

interface NodeRow {
  ID: string;
  Hostname: string;
  Status: string;
  Availability: string;
  ManagerStatus: string;
}

let env: TestHosts | undefined;
let unavailable: string | undefined;
let image = "";
let first: SwarmBootstrap | undefined;
const host = (name: string): TestHost => {
  const found = env?.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`no test host ${name}`);
  return found;
};

const LABELS: Record<string, Record<string, string>> = {
  node1: { zone: "a" },
  node2: { zone: "b" },
  node3: { zone: "c" },
  node4: { tier: "db", zone: "a" },
  node5: { tier: "web", zone: "b" },
};

function plan(): SwarmPlan {
  return {
    managers: [host("node1"), host("node2"), host("node3")],
    workers: [host("node4"), host("node5")],
    labels: LABELS,
  };
}

async function docker(on: TestHost, args: string): Promise<string> {
  return (await sshChecked(env!, on, `docker ${args}`, { timeoutMs: 60_000 })).stdout;
}

async function nodeList(on: TestHost): Promise<NodeRow[]> {
  const out = await docker(on, "node ls --format '{{json .}}'");
  return out.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as NodeRow)
    .sort((a, b) => a.Hostname.localeCompare(b.Hostname));
}

async function nodeLabels(on: TestHost, node: string): Promise<Record<string, string>> {
  return JSON.parse(await docker(on, `node inspect --format '{{json .Spec.Labels}}' ${node}`)) ?? {};
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ""}`);
}

function skipUnlessReady(t: TestContext): boolean {
  if (unavailable) {
    t.skip(unavailable);
    return true;
  }
  return false;
}

describe("swarm bootstrap scripts over SSH on netns test hosts", { timeout: 1_200_000 }, () => {
  before(async () => {
    unavailable = await harnessUnavailableReason();
    if (unavailable) return;
    env = await createTestHosts(5);
    console.log(`# created ${env.hosts.length} test hosts in ${env.createSeconds}s (slot ${env.slot})`);
    image = await publishBusyboxImage(env);
  }, { timeout: 900_000 });

  after(async () => {
    if (env) await destroyTestHosts(env);
  }, { timeout: 180_000 });

  it("SSH verifies each host against its pinned key and refuses an unknown or different one", { timeout: 60_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    const node1 = host("node1");
    assert.equal((await sshChecked(env!, node1, "hostname")).stdout.trim(), "node1");
    const dir = await mkdtemp(join(tmpdir(), "harness-known-hosts-"));
    try {
      const attempt = async (knownHosts: string) => {
        const file = join(dir, "known_hosts");
        await writeFile(file, knownHosts);
        return run("ssh", ["-F", env!.sshConfigPath, "-o", `UserKnownHostsFile=${file}`, node1.address, "true"], { timeoutMs: 20_000 });
      };
      const unknown = await attempt("");
      assert.notEqual(unknown.code, 0);
      assert.match(unknown.stderr, /Host key verification failed/);
      const different = await attempt(`${node1.address} ${host("node2").hostPublicKey}\n`);
      assert.notEqual(different.code, 0);
      assert.match(different.stderr, /Host key verification failed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("brings up 3 managers and 2 workers from nothing", { timeout: 300_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    for (const h of env!.hosts) {
      assert.equal((await docker(h, "info --format '{{.Swarm.LocalNodeState}}'")).trim(), "inactive", h.name);
      assert.equal((await docker(h, "info --format '{{.Name}}'")).trim(), h.name, "each host has its own daemon");
    }

    first = await bootstrapSwarm(env!, plan());

    assert.equal(first.init.changed, true);
    assert.match(first.init.nodeId, /^[a-z0-9]{25}$/);
    assert.equal(first.init.managerAddr, `${host("node1").address}:2377`);
    assert.deepEqual(first.tokens.managerAddrs, [`${host("node1").address}:2377`]);
    assert.match(first.tokens.workerToken, /^SWMTKN-1-/);
    assert.notEqual(first.tokens.workerToken, first.tokens.managerToken);
    for (const name of ["node2", "node3", "node4", "node5"]) assert.equal(first.joins[name].changed, true, name);
    assert.deepEqual(
      Object.fromEntries(Object.entries(first.joins).map(([name, j]) => [name, j.role])),
      { node2: "manager", node3: "manager", node4: "worker", node5: "worker" },
    );
    for (const h of env!.hosts) {
      assert.equal(first.install[h.name].changed, false, "docker is already installed on test hosts");
      assert.deepEqual(first.configs[h.name].labels, LABELS[h.name], h.name);
    }
    assert.ok(!first.log.includes(first.tokens.workerToken), "worker token leaked into a script log");
    assert.ok(!first.log.includes(first.tokens.managerToken), "manager token leaked into a script log");

    // Asked of another manager than the first, so the listing proves Raft replication.
    const nodes = await waitFor("5 ready nodes", 60_000, async () => {
      const rows = await nodeList(host("node2"));
      return rows.length === 5 && rows.every((r) => r.Status === "Ready") ? rows : undefined;
    });
    assert.deepEqual(nodes.map((n) => n.Hostname), ["node1", "node2", "node3", "node4", "node5"]);
    assert.deepEqual(nodes.map((n) => n.ID), ["node1", "node2", "node3", "node4", "node5"].map((n) => first!.nodeIds[n]));
    const managers = nodes.filter((n) => n.ManagerStatus !== "");
    assert.deepEqual(managers.map((n) => n.Hostname), ["node1", "node2", "node3"]);
    assert.equal(managers.filter((n) => n.ManagerStatus === "Leader").length, 1);
    assert.ok(managers.every((n) => ["Leader", "Reachable"].includes(n.ManagerStatus)));
    for (const n of nodes) assert.deepEqual(await nodeLabels(host("node2"), n.ID), LABELS[n.Hostname], n.Hostname);
  });

  it("re-running every script changes nothing", { timeout: 300_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    assert.ok(first, "the cluster was brought up");
    const before = await nodeList(host("node1"));

    const again = await bootstrapSwarm(env!, plan());

    assert.equal(again.init.changed, false);
    assert.equal(again.init.clusterId, first.init.clusterId);
    assert.deepEqual(again.nodeIds, first.nodeIds);
    assert.equal(again.tokens.workerToken, first.tokens.workerToken);
    for (const h of env!.hosts) {
      assert.equal(again.install[h.name].changed, false, `install-docker on ${h.name}`);
      assert.equal(again.configs[h.name].changed, false, `swarm-node-config of ${h.name}`);
    }
    for (const [name, j] of Object.entries(again.joins)) assert.equal(j.changed, false, `swarm-join on ${name}`);
    assert.deepEqual(await nodeList(host("node1")), before);
  });

  it("joining a host that belongs to another swarm is refused with a clear error", { timeout: 120_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    assert.ok(first, "the cluster was brought up");
    await assert.rejects(
      runBootstrap(env!, host("node4"), "swarm-join", {
        SWARM_JOIN_TOKEN: first.tokens.workerToken,
        SWARM_MANAGER_ADDRS: "10.231.255.1:2377",
      }),
      /already belongs to another swarm/,
    );
  });

  it("relabels one node and removes one worker (drain, leave, node rm)", { timeout: 300_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    assert.ok(first, "the cluster was brought up");
    const node1 = host("node1");
    const node4 = host("node4");
    const node5Id = first.nodeIds.node5;
    const node4Id = first.nodeIds.node4;

    const relabel = await runBootstrap(env!, node1, "swarm-node-config", {
      SWARM_NODE: node5Id,
      SWARM_NODE_LABELS: labelLines({ tier: "edge", rack: "r2" }),
    });
    assert.equal(relabel.result.changed, true);
    assert.deepEqual(relabel.result.labels, { tier: "edge", rack: "r2" });

    const drain = await runBootstrap(env!, node1, "swarm-drain", { SWARM_NODE: node4Id });
    assert.deepEqual(drain.result, { changed: true, present: true, nodeId: node4Id, tasksRunning: 0 });
    const leave = await runBootstrap(env!, node4, "swarm-leave", {});
    assert.equal(leave.result.changed, true);
    const rm = await runBootstrap(env!, node1, "swarm-node-rm", { SWARM_NODE: node4Id });
    assert.deepEqual(rm.result, { changed: true, nodeId: node4Id });

    const nodes = await nodeList(host("node3"));
    assert.deepEqual(nodes.map((n) => n.Hostname), ["node1", "node2", "node3", "node5"]);
    assert.ok(nodes.every((n) => n.Status === "Ready"));
    assert.deepEqual(await nodeLabels(host("node3"), node5Id), { tier: "edge", rack: "r2" });
    assert.equal((await docker(node4, "info --format '{{.Swarm.LocalNodeState}}'")).trim(), "inactive");

    // Every step again: each finds its work done.
    const relabelAgain = await runBootstrap(env!, node1, "swarm-node-config", {
      SWARM_NODE: node5Id,
      SWARM_NODE_LABELS: labelLines({ tier: "edge", rack: "r2" }),
    });
    assert.equal(relabelAgain.result.changed, false);
    assert.deepEqual((await runBootstrap(env!, node1, "swarm-drain", { SWARM_NODE: node4Id })).result,
      { changed: false, present: false, nodeId: "", tasksRunning: 0 });
    assert.deepEqual((await runBootstrap(env!, node4, "swarm-leave", {})).result, { changed: false });
    assert.deepEqual((await runBootstrap(env!, node1, "swarm-node-rm", { SWARM_NODE: node4Id })).result,
      { changed: false, nodeId: "" });
  });

  it("keeps quorum and converges a service while one manager's dockerd is down, then the manager rejoins", { timeout: 420_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    assert.ok(first, "the cluster was brought up");
    const node1 = host("node1");
    const node3 = host("node3");

    await stopDockerd(node3);
    try {
      // Docker is installed there but its daemon is down, and the host has no service
      // manager: the script says so instead of starting an unsupervised daemon.
      await assert.rejects(
        runBootstrap(env!, node3, "install-docker", {}),
        /install-docker failed: docker is installed but its daemon is not running, and there is no systemd or OpenRC here to start it/,
      );

      await waitFor("node3 to be seen down and unreachable", 90_000, async () => {
        const row = (await nodeList(node1)).find((n) => n.Hostname === "node3");
        return row?.Status === "Down" && row.ManagerStatus === "Unreachable" ? row : undefined;
      });
      const rows = await nodeList(host("node2"));
      assert.equal(rows.filter((n) => n.ManagerStatus === "Leader").length, 1, "two of three managers still elect a leader");

      await docker(node1, `service create --detach --name probe --endpoint-mode dnsrr --replicas 3 ${image} sleep 3600`);
      const states = await waitFor("3 running probe tasks", 120_000, async () => {
        const out = await docker(node1, "service ps probe --filter desired-state=running --format '{{.Node}} {{.CurrentState}}'");
        const lines = out.trim().split("\n").filter(Boolean);
        return lines.length === 3 && lines.every((l) => / Running /.test(`${l} `)) ? lines : undefined;
      });
      assert.ok(states.every((l) => !l.startsWith("node3 ")), "no task is placed on the stopped manager");
      assert.equal((await docker(node1, "service inspect --format '{{.Spec.EndpointSpec.Mode}}' probe")).trim(), "dnsrr");
    } finally {
      await startDockerd(node3);
    }

    await waitFor("node3 to rejoin as a reachable manager", 120_000, async () => {
      const row = (await nodeList(node1)).find((n) => n.Hostname === "node3");
      return row?.Status === "Ready" && row.ManagerStatus === "Reachable" ? row : undefined;
    });
    assert.equal((await docker(node3, "info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'")).trim(), "active true");
    const rejoin = await runBootstrap(env!, node3, "swarm-join", {
      SWARM_JOIN_TOKEN: first.tokens.managerToken,
      SWARM_MANAGER_ADDRS: first.tokens.managerAddrs.join(","),
      SWARM_ADVERTISE_ADDR: node3.address,
      SWARM_CLUSTER_ID: first.init.clusterId,
    });
    assert.deepEqual(rejoin.result, { changed: false, nodeId: first.nodeIds.node3, role: "manager" });
    await docker(node1, "service rm probe");
  });
});
