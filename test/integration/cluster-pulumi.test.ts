/**
 * SwarmCluster through the real Pulumi engine (Automation API, inline program, temporary
 * file:// backend) on five network-namespace test hosts:
 *
 * 1. `pulumi up` from nothing: 3 managers + 2 workers; `docker node ls` shows 5 Ready
 *    nodes, 3 managers, the labels;
 * 2. WordPress added to the same program with ComposeProject on the cluster's docker
 *    provider: db on the labelled manager, 3 web replicas over the workers, reachable
 *    over the overlay network; then removed again;
 * 3. a second version relabels node5 (one update) and removes node4 (drain, leave,
 *    node rm);
 * 4. `pulumi destroy` leaves every host out of any swarm.
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
  REMOVED,
  swarmState,
  testHost,
  WORKERS,
} from "./cluster-scenario.ts";
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
    await up(t, { document });
    await assertWordPressGone(env!, name);
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
