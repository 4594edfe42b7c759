/**
 * Secret rotation through the Pulumi engine on a three-node test swarm: a 3-replica web
 * service reads a compose secret from a file; the file's content changes and `pulumi up`
 * creates the new secret object (new content-hashed name), moves the service's tasks
 * onto it and deletes the old one, while a client inside the overlay network keeps
 * requesting the service without a failed request. The secret's value never appears in
 * the output: the containers' copies are compared by hash.
 *
 * Skips with the reason without the toolchain (`npm run setup`) or the test hosts (root).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  failedOfTotal, newSecretValue, rotateSecret, secretName, secretRotationCompose, SECRET,
} from "./rollout-scenario.ts";
import { rolloutRigForFile } from "./rollout-suite.ts";
import { round } from "./rollout-stack.ts";

const firstValue = newSecretValue();
const rigOrSkip = rolloutRigForFile("rot", secretRotationCompose, { [`${SECRET}.txt`]: firstValue });

describe("secret rotation on a three-node swarm", () => {
  test("new secret object, tasks moved onto it, old one deleted, no failed request", { timeout: 10 * 60_000 }, async (t) => {
    const rig = rigOrSkip(t);
    if (!rig) return;
    t.diagnostic(`cluster set-up ${round(rig.cluster.setupSeconds)}s, first up ${round(rig.firstUpSeconds)}s`);
    const secondValue = newSecretValue();
    const rotation = await rotateSecret(rig, firstValue, secondValue);
    const output = `${rotation.error?.message ?? ""}\n${rotation.up?.stdout ?? ""}\n${rotation.up?.stderr ?? ""}`;
    assert.ok(!output.includes(firstValue) && !output.includes(secondValue), "the secret's value appears in pulumi's output");
    // Checked above to hold neither value, so it can be shown.
    assert.equal(rotation.error, undefined, `pulumi up failed: ${rotation.error?.message.slice(-3000)}`);
    t.diagnostic(`secret rotation: pulumi up ${round(rotation.upSeconds)}s, swarm update ${rotation.swarmSeconds ?? "?"}s, failed/total requests ${failedOfTotal(rotation.counts)}`);

    assert.notEqual(rotation.newName, rotation.oldName);
    assert.equal(rotation.oldName, secretName(rig.projectName, firstValue));
    assert.deepEqual(rotation.secretNames, [rotation.newName], "only the new secret object remains");
    const specSecrets = rotation.service.Spec.TaskTemplate.ContainerSpec.Secrets.map((s: any) => s.SecretName);
    assert.deepEqual(specSecrets, [rotation.newName], "the service spec names the new secret");
    assert.equal(rotation.tasks.length, 3);
    for (const task of rotation.tasks) {
      assert.deepEqual(task.Spec.ContainerSpec.Secrets.map((s: any) => s.SecretName), [rotation.newName], `task ${task.ID}`);
      assert.equal(task.Status.State, "running", `task ${task.ID}`);
    }
    assert.equal(rotation.containersChecked, 3, "three running containers");
    assert.equal(rotation.containersWithNewContent, 3, "every container reads the new content");
    assert.equal(rotation.counts.failed, 0, `failed requests during the rotation: ${rotation.counts.failures.join("; ")}`);
  });
});
