/**
 * Rolling update and failed rollout of a swarm service through the Pulumi engine, on a
 * three-node test swarm, while a client inside the overlay network keeps requesting
 * the service:
 *
 * - rolling update: a 4-replica web service (parallelism 1, start-first, healthcheck)
 *   moves from image v1 to v2 with no failed request; `pulumi up` returns once all four
 *   tasks run v2.
 * - failed rollout: v3 with a healthcheck that never passes and `failure_action:
 *   rollback`: swarm rolls back to v2, `pulumi up` fails naming the service and swarm's
 *   reason, and the next `pulumi up` with the healthcheck fixed rolls v3 out.
 *
 * Skips with the reason without the toolchain (`npm run setup`) or the test hosts (root).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { webCompose } from "./rollout-compose.ts";
import { failedOfTotal, failedRollout, fixedRollout, rollingUpdate, specImage } from "./rollout-scenario.ts";
import { rolloutRigForFile } from "./rollout-suite.ts";
import { round } from "./rollout-stack.ts";

const rigOrSkip = rolloutRigForFile("roll", (cluster) => webCompose({ image: cluster.web.v1, replicas: 4 }));

describe("zero-downtime rollouts on a three-node swarm", { concurrency: 1 }, () => {
  test("rolling update v1 -> v2 of 4 replicas, start-first: no failed request, all tasks on v2", { timeout: 10 * 60_000 }, async (t) => {
    const rig = rigOrSkip(t);
    if (!rig) return;
    t.diagnostic(`cluster set-up ${round(rig.cluster.setupSeconds)}s, first up ${round(rig.firstUpSeconds)}s`);
    const change = await rollingUpdate(rig);
    assert.equal(change.error, undefined, `pulumi up failed: ${change.error?.message}`);
    t.diagnostic(`rolling update: pulumi up ${round(change.upSeconds)}s, swarm update ${change.swarmSeconds ?? "?"}s, failed/total requests ${failedOfTotal(change.counts)}, answers ${JSON.stringify(change.counts.bodies)}`);
    assert.equal(change.counts.failed, 0, `failed requests during the update: ${change.counts.failures.join("; ")}`);
    assert.ok((change.counts.bodies.v2 ?? 0) > 0, "the client got answers from v2");
    assert.equal(change.service.UpdateStatus?.State, "completed", "pulumi up returned once swarm completed the update");
    assert.equal(change.tasks.length, 4);
    for (const task of change.tasks) {
      assert.equal(specImage(task.Spec.ContainerSpec), rig.cluster.web.v2, `task ${task.ID}`);
      assert.equal(task.Status.State, "running", `task ${task.ID}`);
    }
  });

  test("failed rollout: healthcheck never passes, swarm rolls back, up fails naming the service; fixed file rolls out", { timeout: 10 * 60_000 }, async (t) => {
    const rig = rigOrSkip(t);
    if (!rig) return;
    const failed = await failedRollout(rig);
    assert.ok(failed.error, "pulumi up must fail when swarm rolls the update back");
    const reported = /service (\S+): update rolled back: ([^\n]+)/.exec(failed.error.message);
    assert.ok(reported, `the failure names the service and the reason:\n${failed.error.message.slice(-3000)}`);
    assert.equal(reported[1], rig.serviceName);
    t.diagnostic(`rollback: pulumi up failed after ${round(failed.upSeconds)}s, swarm update+rollback ${failed.swarmSeconds ?? "?"}s, failed/total requests ${failedOfTotal(failed.counts)}`);
    t.diagnostic(`reported: ${reported[0]}`);
    assert.equal(failed.service.UpdateStatus?.State, "rollback_completed");
    assert.equal(specImage(failed.service.Spec.TaskTemplate.ContainerSpec), rig.cluster.web.v2, "the service spec is back on v2");
    assert.equal(failed.tasks.length, 4);
    for (const task of failed.tasks) assert.equal(specImage(task.Spec.ContainerSpec), rig.cluster.web.v2, `task ${task.ID}`);
    assert.equal(failed.counts.failed, 0, `failed requests during the rollback: ${failed.counts.failures.join("; ")}`);
    assert.equal(failed.counts.bodies.v3 ?? 0, 0, "an unhealthy v3 task never served");

    const fixed = await fixedRollout(rig);
    assert.equal(fixed.error, undefined, `pulumi up after the fix failed: ${fixed.error?.message}`);
    t.diagnostic(`fixed rollout: pulumi up ${round(fixed.upSeconds)}s, failed/total requests ${failedOfTotal(fixed.counts)}`);
    assert.equal(fixed.service.UpdateStatus?.State, "completed");
    assert.equal(fixed.tasks.length, 4);
    for (const task of fixed.tasks) assert.equal(specImage(task.Spec.ContainerSpec), rig.cluster.web.v3, `task ${task.ID}`);
    assert.equal(fixed.counts.failed, 0, `failed requests during the fixed rollout: ${fixed.counts.failures.join("; ")}`);
  });
});
