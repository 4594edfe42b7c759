/**
 * SwarmCluster's own commands on five network-namespace test hosts, run for real over
 * SSH with pinned host keys, without the Pulumi engine: @pulumi/command's provider plugin
 * cannot be installed offline, so test/integration/command-runner.ts executes each
 * command as that provider does, in the order the program's dependencies impose, and
 * keeps the engine's create / update / same / delete bookkeeping between runs.
 *
 * 1. an `up` after an interrupted one (init and one join already done) converges to
 *    3 managers + 2 workers; `docker node ls` shows 5 Ready nodes, 3 managers, labels;
 * 2. the same `up` again runs nothing;
 * 3. WordPress deployed on that swarm through the real Pulumi engine and the docker
 *    provider over SSH with the cluster's pinned-key options (skipped without the
 *    toolchain): db on the labelled manager, 3 web replicas over the workers, the
 *    site reachable over the overlay network from a client container;
 * 4. a second version relabels node5 and removes node4: one command updated, node4's
 *    commands deleted (drain, leave, node rm);
 * 5. destroy drains and removes every node, the first manager last.
 *
 * test/integration/cluster-pulumi.test.ts runs the same scenario through `pulumi up`
 * where the command plugin exists.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { after, before, describe, it, type TestContext } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { SwarmCluster } from "../../components/swarm-cluster.ts";
import { ComposeProject } from "../../components/compose-project.ts";
import type { BootstrapResults } from "../../infra/hosts/bootstrap/index.ts";
import { ExistingHosts } from "../../infra/hosts/local.ts";
import { runBootstrap } from "../harness/bootstrap.ts";
import { createTestHosts, destroyTestHosts, harnessUnavailableReason, type TestHosts } from "../harness/hosts.ts";
import { publishBusyboxImage, publishImageFrom } from "../harness/images.ts";
import { CommandRunner, type RunSummary } from "./command-runner.ts";
import {
  assertChangedCluster,
  assertFullCluster,
  CHANGED_LABELS,
  CLUSTER,
  docker as dockerOn,
  inventoryDocument,
  LABELS,
  MANAGERS,
  REMOVED,
  swarmState,
  testHost,
  WORKERS,
} from "./cluster-scenario.ts";
import { assertWordPressGone, assertWordPressRunning, BASE_IMAGE, loadWordPress } from "./cluster-wordpress.ts";
import { inlineStack, projectEnv, toolchainMissing } from "./pulumi-toolchain.ts";

const ORIGIN = { file: "Pulumi.dev.yaml", root: "cluster:inventory" };
const ALL = [...MANAGERS, ...WORKERS];
const commandsOf = (host: string) => ["install", "join", "node"].map((step) => `${CLUSTER}-${host}-${step}`);

let env: TestHosts | undefined;
let unavailable: string | undefined;
const logs: string[] = [];
const runner = new CommandRunner({ project: "cluster", stack: "dev", onLog: (_name, stderr) => logs.push(stderr) });
let nodeIds: Record<string, string> = {};

interface Observed {
  nodeIds: Record<string, string>;
  init: BootstrapResults["swarm-init"];
  joins: Record<string, BootstrapResults["swarm-join"]>;
  dockerHost: string;
  dockerSshOptions: string[];
}
let observed: Observed | undefined;

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}

async function up(labels: Record<string, Record<string, string>>, without: string[] = []): Promise<RunSummary> {
  const document = await inventoryDocument(env!, labels, without);
  return runner.up(async () => {
    const cluster = new SwarmCluster(CLUSTER, { hosts: ExistingHosts.parse(document, ORIGIN) });
    const joins: Observed["joins"] = {};
    for (const [name, node] of Object.entries(cluster.nodes)) {
      if (node.joinResult) joins[name] = await resolve(node.joinResult);
      await resolve(node.nodeSettings);
    }
    observed = {
      nodeIds: await resolve(cluster.nodeIds),
      init: await resolve(cluster.nodes.node1.initResult!),
      joins,
      dockerHost: await resolve(cluster.dockerHost),
      dockerSshOptions: await resolve(cluster.dockerSshOptions),
    };
  });
}

function skipUnlessReady(t: TestContext): boolean {
  if (unavailable) t.skip(unavailable);
  return unavailable !== undefined;
}

function assertNoFailures(summary: RunSummary): void {
  assert.deepEqual(summary.failed.map((f) => `${f.name}: ${f.stderr.split("\n").slice(-5).join(" / ")}`), []);
}

describe("SwarmCluster commands over SSH on five test hosts", { timeout: 3_600_000, concurrency: 1 }, () => {
  before(async () => {
    unavailable = await harnessUnavailableReason();
    if (unavailable) return;
    env = await createTestHosts(5);
    console.log(`# created ${env.hosts.length} test hosts in ${env.createSeconds}s (slot ${env.slot})`);
  }, { timeout: 900_000 });

  after(async () => {
    if (env) await destroyTestHosts(env);
  }, { timeout: 180_000 });

  it("converges after an interrupted up to 3 managers and 2 workers with their labels", { timeout: 600_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    for (const name of ALL) assert.equal(await swarmState(env!, testHost(env!, name)), "inactive", name);
    // What an up that stopped after node2's join had done, with nothing saved in state.
    const node1 = testHost(env!, "node1");
    const init = await runBootstrap(env!, node1, "swarm-init", { SWARM_ADVERTISE_ADDR: node1.address });
    const tokens = await runBootstrap(env!, node1, "swarm-join-tokens", {});
    await runBootstrap(env!, testHost(env!, "node2"), "swarm-join", {
      SWARM_JOIN_TOKEN: tokens.result.managerToken,
      SWARM_MANAGER_ADDRS: node1.address,
      SWARM_ADVERTISE_ADDR: testHost(env!, "node2").address,
    });

    const started = Date.now();
    const summary = await up(LABELS);
    t.diagnostic(`first up: ${summary.created.length} commands in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assertNoFailures(summary);
    assert.deepEqual(summary.created.sort(), [`${CLUSTER}-join-tokens`, ...ALL.flatMap(commandsOf)].sort());
    assert.ok(observed);
    assert.deepEqual(observed.init, { changed: false, nodeId: init.result.nodeId, clusterId: init.result.clusterId, managerAddr: `${node1.address}:2377` });
    assert.deepEqual(observed.joins, {
      node2: { changed: false, nodeId: observed.nodeIds.node2, role: "manager" },
      node3: { changed: true, nodeId: observed.nodeIds.node3, role: "manager" },
      node4: { changed: true, nodeId: observed.nodeIds.node4, role: "worker" },
      node5: { changed: true, nodeId: observed.nodeIds.node5, role: "worker" },
    });
    nodeIds = observed.nodeIds;
    await assertFullCluster(env!, nodeIds);
    const log = logs.join("\n");
    assert.match(log, /bootstrap\[node3\]: joining the swarm through 10\.231\.\d+\.11:2377/);
    for (const role of ["worker", "manager"]) {
      const token = (await dockerOn(env!, node1, `swarm join-token -q ${role}`)).trim();
      assert.match(token, /^SWMTKN-1-/);
      assert.ok(!log.includes(token), `the ${role} join token appears in a command's log`);
    }
  });

  it("runs nothing when nothing changed", { timeout: 300_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    assert.ok(Object.keys(nodeIds).length === 5, "the cluster was brought up");
    const summary = await up(LABELS);
    assertNoFailures(summary);
    assert.deepEqual({ created: summary.created, updated: summary.updated, deleted: summary.deleted }, { created: [], updated: [], deleted: [] });
    assert.equal(summary.same.length, 16);
  });

  it("serves WordPress deployed through the engine and the cluster's SSH docker provider", { timeout: 2_400_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    assert.ok(observed, "the cluster was brought up");
    const toolEnv = await projectEnv();
    const missing = await toolchainMissing(toolEnv, ["docker"]);
    if (missing) return t.skip(missing);
    if (!toolEnv.DOCKER_HOST) return t.skip("DOCKER_HOST is not set (run `npm run setup`)");
    const savedPath = process.env.PATH;
    process.env.PATH = toolEnv.PATH;
    const backendDir = await mkdtemp(join(tmpdir(), "cluster-wp-backend-"));
    const name = `wp-${randomBytes(3).toString("hex")}`;
    let stack: Stack | undefined;
    try {
      const base = await publishImageFrom(env!, toolEnv.DOCKER_HOST, BASE_IMAGE);
      const client = await publishBusyboxImage(env!);
      const project = await loadWordPress(env!, name, base);
      const { dockerHost, dockerSshOptions } = observed;
      assert.equal(dockerHost, `ssh://root@${testHost(env!, "node1").address}:22`);
      stack = await inlineStack(toolEnv, backendDir, "cluster-wordpress", "dev", async () => {
        const provider = new docker.Provider("swarm", { host: dockerHost, sshOpts: dockerSshOptions });
        new ComposeProject(name, { project, target: "swarm", provider, dockerSshOptions, insecureRegistries: [env!.registry] });
      });
      const first = await stack.up({ onOutput: (line) => t.diagnostic(line.trimEnd()) });
      assert.equal(first.summary.result, "succeeded");
      await assertWordPressRunning(env!, name, client);
      const destroyed = await stack.destroy();
      assert.equal(destroyed.summary.result, "succeeded");
      await assertWordPressGone(env!, name);
    } finally {
      if (stack) {
        await stack.destroy().catch(() => undefined);
        await stack.workspace.removeStack(stack.name).catch(() => undefined);
      }
      await rm(backendDir, { recursive: true, force: true });
      process.env.PATH = savedPath;
    }
  });

  it("relabels node5 in place and removes node4 with drain, leave and node rm", { timeout: 600_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    assert.ok(Object.keys(nodeIds).length === 5, "the cluster was brought up");
    const summary = await up(CHANGED_LABELS, [REMOVED]);
    assertNoFailures(summary);
    assert.deepEqual(summary.created, []);
    assert.deepEqual(summary.updated, [`${CLUSTER}-node5-node`]);
    assert.deepEqual(summary.deleted, [`${CLUSTER}-node4-node`, `${CLUSTER}-node4-join`, `${CLUSTER}-node4-install`]);
    await assertChangedCluster(env!, nodeIds);
  });

  it("destroys the swarm: every node drained and removed, the first manager last", { timeout: 600_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    assert.ok(Object.keys(nodeIds).length === 5, "the cluster was brought up");
    const summary = runner.destroy();
    assertNoFailures(summary);
    const settingsOrder = summary.deleted.filter((name) => name.endsWith("-node"));
    assert.deepEqual(settingsOrder, ["node5", "node3", "node2", "node1"].map((n) => `${CLUSTER}-${n}-node`));
    assert.deepEqual(runner.resources, []);
    for (const name of ALL) assert.equal(await swarmState(env!, testHost(env!, name)), "inactive", name);
  });
});
