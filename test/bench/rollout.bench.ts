/**
 * Zero-downtime figures on a three-node test swarm (one manager, two workers), through
 * the pulumi CLI, while a client inside the overlay network requests the service:
 *
 * - rolling update of a 4-replica web service (parallelism 1, start-first, healthcheck):
 *   update time and failed/total requests;
 * - failed rollout (healthcheck never passes, failure_action rollback): time until
 *   `pulumi up` reports the rollback, and swarm's own update+rollback time;
 * - secret rotation of a 3-replica service: time and failed/total requests.
 *
 *   node test/bench/rollout.bench.ts
 *
 * Needs `npm run setup` and root (test hosts). Prints figures; it is not a pass/fail test.
 */
import { randomBytes } from "node:crypto";
import { harnessUnavailableReason } from "../harness/hosts.ts";
import { engineMissing, projectEnv } from "../integration/pulumi-toolchain.ts";
import { webCompose } from "../integration/day2/rollout-compose.ts";
import {
  deploy, failedOfTotal, failedRollout, newSecretValue, rollingUpdate, rotateSecret, secretRotationCompose, SECRET, startRig, stopRig,
  type ChangeUnderLoad, type RolloutRig,
} from "../integration/day2/rollout-scenario.ts";
import { round } from "../integration/day2/rollout-stack.ts";

const env = await projectEnv();
const missing = (await engineMissing(env)) ?? (await harnessUnavailableReason());
if (missing) {
  console.log(`rollout benchmark not run: ${missing}`);
  process.exit(0);
}
process.env.PATH = env.PATH;

const swarm = (change: ChangeUnderLoad) => (change.swarmSeconds === undefined ? "?" : `${round(change.swarmSeconds)}s`);
const rows: string[][] = [["scenario", "pulumi up", "swarm update", "failed/total requests", "outcome"]];
let rig: RolloutRig | undefined;
try {
  rig = await startRig(env, `rb${randomBytes(3).toString("hex")}`, (cluster) => webCompose({ image: cluster.web.v1, replicas: 4 }));
  console.log(`cluster set-up ${round(rig.cluster.setupSeconds)}s, first up ${round(rig.firstUpSeconds)}s`);

  const update = await rollingUpdate(rig);
  rows.push(["rolling update v1->v2, 4 replicas", `${round(update.upSeconds)}s`, swarm(update), failedOfTotal(update.counts),
    update.error ? "up failed" : `${update.tasks.length} tasks on ${[...new Set(update.tasks.map((t) => t.Spec.ContainerSpec.Image.split("@")[0].split(":").pop()))].join(",")}`]);

  const rollback = await failedRollout(rig);
  const reported = /service \S+: update rolled back/.test(rollback.error?.message ?? "");
  rows.push(["failed rollout -> rollback", `${round(rollback.upSeconds)}s`, swarm(rollback), failedOfTotal(rollback.counts),
    `up ${rollback.error ? "failed" : "succeeded"}${reported ? ", rollback reported" : ""}, swarm ${rollback.service.UpdateStatus?.State}`]);

  const firstValue = newSecretValue();
  await deploy(rig, secretRotationCompose(rig.cluster), { [`${SECRET}.txt`]: firstValue });
  const rotation = await rotateSecret(rig, firstValue, newSecretValue());
  rows.push(["secret rotation, 3 replicas", `${round(rotation.upSeconds)}s`, swarm(rotation), failedOfTotal(rotation.counts),
    `${rotation.containersWithNewContent}/${rotation.containersChecked} containers read the new secret; secrets left: ${rotation.secretNames.length}`]);
} finally {
  await stopRig(rig);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join("  "));
