/**
 * SwarmCluster through the real Pulumi engine (Automation API, inline program, temporary
 * file:// backend) on five network-namespace test hosts:
 *
 * 1. `pulumi up` from nothing: 3 managers + 2 workers; `docker node ls` shows 5 Ready
 *    nodes, 3 managers, the labels;
 * 2. WordPress added to the same program with ComposeProject on the cluster's docker
 *    provider: db on the labelled manager, 3 web replicas over the workers, reachable
 *    over the overlay network;
 * 3. with one manager's dockerd stopped, two managers keep the quorum and an `up` that
 *    removes WordPress converges; restarted, the manager rejoins and the program shows
 *    no change;
 * 4. a second version relabels node5 (one update) and removes node4 (drain, leave,
 *    node rm);
 * 5. `pulumi destroy` leaves every host out of any swarm.
 *
 * Needs the pulumi CLI and the command and docker resource plugins (`npm run setup`),
 * and root for the test hosts; skips with the reason otherwise. Where the command
 * plugin is missing, cluster-commands.test.ts runs the same commands without the engine.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { after, before, describe, it, type TestContext } from "node:test";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { SwarmCluster } from "../../components/swarm-cluster.ts";
import { ComposeProject } from "../../components/compose-project.ts";
import type { Project } from "../../infra/compose/schema/index.ts";
import { ExistingHosts } from "../../infra/hosts/local.ts";
import { createTestHosts, destroyTestHosts, harnessUnavailableReason, type TestHosts } from "../harness/hosts.ts";
import { publishBusyboxImage, publishImageFrom } from "../harness/images.ts";
import {
  assertChangedCluster,
  assertFullCluster,
  CHANGED_LABELS,
  CLUSTER,
  inventoryDocument,
  LABELS,
  MANAGERS,
  nodeList,
  REMOVED,
  swarmState,
  testHost,
  waitFor,
  WORKERS,
} from "./cluster-scenario.ts";
import { startDockerd, stopDockerd } from "../harness/daemon.ts";
import { assertWordPressGone, assertWordPressRunning, BASE_IMAGE, loadWordPress } from "./cluster-wordpress.ts";
import { inlineStack, projectEnv, toolchainMissing } from "./pulumi-toolchain.ts";

const ORIGIN = { file: "Pulumi.dev.yaml", root: "cluster:inventory" };

interface Desired {
  document: unknown;
  wordpress?: { name: string; project: Project };
}

let unavailable: string | undefined;
let toolEnv: NodeJS.ProcessEnv = process.env;
let env: TestHosts | undefined;
let stack: Stack | undefined;
let backendDir = "";
let savedPath: string | undefined;
let desired: Desired = { document: undefined };
let nodeIds: Record<string, string> = {};
let wordpressName: string | undefined;

function skipUnlessReady(t: TestContext): boolean {
  if (unavailable) t.skip(unavailable);
  return unavailable !== undefined;
}

/** Runs one engine operation; its output is shown only when it fails, and never holds a join token. */
async function operation<R extends { summary: { result?: string } }>(
  t: TestContext,
  run: (onOutput: (line: string) => void) => Promise<R>,
): Promise<R> {
  let output = "";
  try {
    const result = await run((line) => (output += line));
    assert.equal(result.summary.result, "succeeded");
    return result;
  } catch (error) {
    t.diagnostic(output.replace(/SWMTKN-[\w-]+/g, "[join token]"));
    throw error;
  } finally {
    assert.doesNotMatch(output, /SWMTKN-/, "a join token reached the engine's output");
  }
}

async function up(t: TestContext, next: Desired) {
  desired = next;
  return operation(t, (onOutput) => stack!.up({ onOutput }));
}

describe("SwarmCluster with the real Pulumi engine on five test hosts", { timeout: 5_400_000, concurrency: 1 }, () => {
  before(async () => {
    toolEnv = await projectEnv();
    unavailable = (await toolchainMissing(toolEnv, ["command", "docker"])) ?? (await harnessUnavailableReason());
    if (unavailable) return;
    savedPath = process.env.PATH;
    // LocalWorkspace finds `pulumi` through this process's PATH.
    process.env.PATH = toolEnv.PATH;
    env = await createTestHosts(5);
    backendDir = await mkdtemp(join(tmpdir(), "cluster-pulumi-backend-"));
    stack = await inlineStack(toolEnv, backendDir, "cluster", "dev", async () => {
      const cluster = new SwarmCluster(CLUSTER, { hosts: ExistingHosts.parse(desired.document, ORIGIN) });
      if (desired.wordpress) {
        new ComposeProject(desired.wordpress.name, {
          project: desired.wordpress.project,
          target: "swarm",
          provider: cluster.provider!,
          dockerSshOptions: cluster.dockerSshOptions,
          insecureRegistries: [env!.registry],
        }, { dependsOn: [cluster] });
      }
      return { nodeIds: cluster.nodeIds, clusterId: cluster.clusterId, dockerHost: cluster.dockerHost };
    });
  }, { timeout: 900_000 });

  after(async () => {
    if (stack) {
      await stack.destroy().catch(() => undefined);
      await stack.workspace.removeStack(stack.name).catch(() => undefined);
    }
    if (backendDir) await rm(backendDir, { recursive: true, force: true });
    if (env) await destroyTestHosts(env);
    if (savedPath !== undefined) process.env.PATH = savedPath;
  }, { timeout: 900_000 });

  it("brings up 3 managers and 2 workers from nothing", { timeout: 900_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    const result = await up(t, { document: await inventoryDocument(env!, LABELS) });
    nodeIds = result.outputs.nodeIds.value as Record<string, string>;
    assert.equal(result.outputs.dockerHost.value, `ssh://root@${testHost(env!, "node1").address}:22`);
    await assertFullCluster(env!, nodeIds);
    const again = await stack!.up();
    assert.deepEqual(Object.keys(again.summary.resourceChanges ?? {}), ["same"]);
  });

  it("serves WordPress deployed on the cluster's docker provider", { timeout: 2_400_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    if (!toolEnv.DOCKER_HOST) return t.skip("DOCKER_HOST is not set (run `npm run setup`)");
    const name = `wp-${randomBytes(3).toString("hex")}`;
    const base = await publishImageFrom(env!, toolEnv.DOCKER_HOST, BASE_IMAGE);
    const client = await publishBusyboxImage(env!);
    const document = await inventoryDocument(env!, LABELS);
    await up(t, { document, wordpress: { name, project: await loadWordPress(env!, name, base) } });
    await assertWordPressRunning(env!, name, client);
    wordpressName = name;
  });

  it("keeps quorum with one manager's dockerd down: the next up converges, then the manager rejoins", { timeout: 900_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    if (!wordpressName) return t.skip("WordPress was not deployed");
    const [node1, node2, node3] = MANAGERS.map((name) => testHost(env!, name));
    const document = await inventoryDocument(env!, LABELS);
    await stopDockerd(node3);
    try {
      await waitFor("node3 to be seen down and unreachable", 90_000, async () => {
        const row = (await nodeList(env!, node1)).find((n) => n.Hostname === "node3");
        return row?.Status === "Down" && row.ManagerStatus === "Unreachable" ? row : undefined;
      });
      assert.equal((await nodeList(env!, node2)).filter((n) => n.ManagerStatus === "Leader").length, 1, "two of three managers still elect a leader");
      // Removing the app is a change the remaining quorum must accept and converge.
      await up(t, { document });
      await assertWordPressGone(env!, wordpressName);
    } finally {
      await startDockerd(node3);
    }
    await waitFor("node3 to rejoin as a reachable manager", 120_000, async () => {
      const row = (await nodeList(env!, node1)).find((n) => n.Hostname === "node3");
      return row?.Status === "Ready" && row.ManagerStatus === "Reachable" ? row : undefined;
    });
    const preview = await stack!.preview();
    assert.deepEqual(Object.keys(preview.changeSummary), ["same"], "the rejoined cluster matches the program");
  });

  it("relabels node5 in place and removes node4", { timeout: 900_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    const result = await up(t, { document: await inventoryDocument(env!, CHANGED_LABELS, [REMOVED]) });
    const changes = result.summary.resourceChanges ?? {};
    assert.equal(changes.update, 1, JSON.stringify(changes));
    // node4's component and its three commands.
    assert.equal(changes.delete, 4, JSON.stringify(changes));
    assert.equal(changes.create ?? 0, 0, JSON.stringify(changes));
    await assertChangedCluster(env!, nodeIds);
  });

  it("destroy takes every host out of the swarm", { timeout: 900_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    await operation(t, (onOutput) => stack!.destroy({ onOutput }));
    for (const name of [...MANAGERS, ...WORKERS]) assert.equal(await swarmState(env!, testHost(env!, name)), "inactive", name);
  });
});
