import { test } from "node:test";
import assert from "node:assert/strict";
import { parseReplicas, rolloutState, type RolloutObservation } from "../../../infra/graph/rollout.ts";

const observed = (status: RolloutObservation["status"], running: number, desired: number, settled = true): RolloutObservation => ({ status, running, desired, settled });

test("replicas column: running and desired, with or without the per-node note", () => {
  assert.deepEqual(parseReplicas("3/4"), { running: 3, desired: 4 });
  assert.deepEqual(parseReplicas("2/2 (max 1 per node)"), { running: 2, desired: 2 });
  assert.equal(parseReplicas(""), undefined);
});

test("an update in progress or a rollback in progress keeps waiting", () => {
  assert.deepEqual(rolloutState(observed({ State: "updating" }, 4, 4)), { kind: "waiting", reason: "updating, 4/4 tasks running" });
  assert.deepEqual(rolloutState(observed({ State: "rollback_started" }, 3, 4)), { kind: "waiting", reason: "rolling back, 3/4 tasks running" });
});

test("a completed update converges once every task runs", () => {
  assert.deepEqual(rolloutState(observed({ State: "completed" }, 4, 4)), { kind: "converged" });
  assert.equal(rolloutState(observed({ State: "completed" }, 3, 4)).kind, "waiting");
});

test("a rolled-back update fails with swarm's message and the task's error", () => {
  const message = "update rolled back due to failure or early termination of task abc";
  assert.deepEqual(rolloutState(observed({ State: "rollback_completed", Message: message }, 4, 4), "task: non-zero exit (137): dockerexec: unhealthy container"), {
    kind: "failed",
    message: `update rolled back: ${message}: task: non-zero exit (137): dockerexec: unhealthy container`,
  });
  assert.deepEqual(rolloutState(observed({ State: "rollback_completed" }, 4, 4)), { kind: "failed", message: "update rolled back: no reason given by swarm" });
});

test("a paused update or rollback fails", () => {
  assert.deepEqual(rolloutState(observed({ State: "paused", Message: "update paused due to failure" }, 2, 4)), { kind: "failed", message: "update paused: update paused due to failure" });
  assert.deepEqual(rolloutState(observed({ State: "rollback_paused", Message: "m" }, 2, 4)), { kind: "failed", message: "rollback paused: m" });
});

test("no update status: waits for swarm to start, then for the tasks", () => {
  assert.equal(rolloutState(observed(null, 4, 4, false)).kind, "waiting");
  assert.deepEqual(rolloutState(observed(null, 4, 4, true)), { kind: "converged" });
  assert.deepEqual(rolloutState(observed(null, 1, 4, true)), { kind: "waiting", reason: "1/4 tasks running" });
});
