/**
 * Drift on a one-node test swarm: someone scales a service and removes one of its labels
 * with the docker CLI. `pulumi preview --refresh` must report exactly that (one update, of
 * that service, on its replicas and that label) and `pulumi up` must put the declared
 * state back, as the docker CLI then shows.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { createTestHosts, destroyTestHosts, harnessUnavailableReason, type TestHosts } from "../../harness/hosts.ts";
import { bootstrapSwarm } from "../../harness/swarm.ts";
import { publishBusyboxImage } from "../../harness/images.ts";
import { engineMissing, projectEnv } from "../pulumi-toolchain.ts";
import { composeStack, dockerCli, projectDir, removeDir, stepRecorder } from "./ops-stack.ts";

const suffix = randomBytes(3).toString("hex");
const project = `drift-${suffix}`;

const composeText = `
services:
  web:
    image: \${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    deploy:
      replicas: 2
      endpoint_mode: dnsrr
      labels:
        tier: frontend
        owner: platform
  worker:
    image: \${IMAGE}
    command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
    deploy:
      replicas: 1
      endpoint_mode: dnsrr
      labels:
        tier: backend
`;

interface ServiceView {
  replicas: number;
  labels: Record<string, string>;
  version: number;
}

let env: NodeJS.ProcessEnv = process.env;
let skipReason: string | undefined;
let hosts: TestHosts | undefined;
let stack: Stack | undefined;
let dir: string | undefined;
let backendDir: string | undefined;
let savedPath: string | undefined;

async function serviceView(name: string): Promise<ServiceView> {
  const [spec] = JSON.parse(await dockerCli(env, hosts!.hosts[0].dockerHost, ["service", "inspect", name]));
  return { replicas: spec.Spec.Mode.Replicated.Replicas, labels: spec.Spec.Labels ?? {}, version: spec.Version.Index };
}

before(async () => {
  env = await projectEnv();
  savedPath = process.env.PATH;
  process.env.PATH = env.PATH;
  skipReason = (await engineMissing(env)) ?? (await harnessUnavailableReason());
  if (skipReason) return;
  hosts = await createTestHosts(1);
  const manager = hosts.hosts[0];
  await bootstrapSwarm(hosts, { managers: [manager], workers: [] });
  // A tag, as users write it: the product runs it by digest, as swarm records it.
  const image = await publishBusyboxImage(hosts, "busybox", `drift-${suffix}`);
  dir = await projectDir({ "compose.yaml": composeText });
  backendDir = await mkdtemp(join(tmpdir(), "cp-day2-drift-backend-"));
  stack = await composeStack({
    env,
    backendDir,
    stackName: `drift-${suffix}`,
    projectName: project,
    dir,
    target: "swarm",
    dockerHost: manager.dockerHost,
    insecureRegistries: [hosts.registry],
    environment: { IMAGE: image },
  });
});

after(async () => {
  if (stack) {
    await stack.destroy().catch(() => undefined);
    await stack.workspace.removeStack(stack.name).catch(() => undefined);
  }
  await removeDir(dir);
  await removeDir(backendDir);
  if (hosts) await destroyTestHosts(hosts);
  process.env.PATH = savedPath;
});

describe("drift made with the docker CLI", { concurrency: 1 }, () => {
  test("preview --refresh shows exactly the hand-made changes and up restores the declared state", { timeout: 15 * 60_000 }, async (t) => {
    if (skipReason) return t.skip(skipReason);
    const manager = hosts!.hosts[0].dockerHost;
    const web = `${project}_web`;
    const worker = `${project}_worker`;

    const first = await stack!.up();
    assert.equal(first.summary.result, "succeeded");
    const clean = await stack!.preview({ refresh: true, diff: true });
    assert.deepEqual(Object.keys(clean.changeSummary), ["same"], `without drift, preview --refresh changes:\n${clean.stdout}`);
    const declaredWeb = await serviceView(web);
    const declaredWorker = await serviceView(worker);
    assert.equal(declaredWeb.replicas, 2);
    assert.equal(declaredWeb.labels.owner, "platform");

    await dockerCli(env, manager, ["service", "scale", "--detach", `${web}=3`]);
    await dockerCli(env, manager, ["service", "update", "--detach", "--label-rm", "owner", web]);
    const drifted = await serviceView(web);
    assert.equal(drifted.replicas, 3);
    assert.equal(drifted.labels.owner, undefined);

    const started = Date.now();
    const recorder = stepRecorder();
    const preview = await stack!.preview({ refresh: true, diff: true, onEvent: recorder.onEvent });
    const previewSeconds = (Date.now() - started) / 1000;
    t.diagnostic(`preview --refresh: ${JSON.stringify(preview.changeSummary)} in ${previewSeconds.toFixed(1)} s`);
    const changed = recorder.steps.filter((step) => step.op !== "same" && step.op !== "refresh");
    for (const step of changed) t.diagnostic(`${step.op} ${step.urn}: ${JSON.stringify(step.detailedDiff)}`);
    assert.deepEqual(
      changed.map((step) => ({ op: step.op, type: step.type, name: step.urn.split("::").pop() })),
      [{ op: "update", type: "docker:index/service:Service", name: `${project}-web` }],
      `preview --refresh should show one update, of the web service:\n${preview.stdout}`,
    );
    assert.equal(preview.changeSummary.update, 1, JSON.stringify(preview.changeSummary));
    assert.deepEqual(Object.keys(preview.changeSummary).sort(), ["same", "update"]);
    const diffPaths = Object.keys(changed[0].detailedDiff).sort();
    assert.ok(diffPaths.includes("mode.replicated.replicas"), `replicas drift not shown: ${diffPaths.join(", ")}`);
    const labelPaths = diffPaths.filter((path) => path.startsWith("labels"));
    assert.equal(labelPaths.length, 1, `one label drifted: ${diffPaths.join(", ")}`);
    assert.equal(changed[0].detailedDiff[labelPaths[0]].diffKind, "add", "the removed label is put back");
    assert.deepEqual(
      diffPaths.filter((path) => path !== "mode.replicated.replicas" && !path.startsWith("labels")),
      [],
      "nothing but the replicas and the labels differs",
    );
    assert.match(preview.stdout, /replicas\s*:\s*3\s*=>\s*2/, "the diff shows the replica count going back to 2");
    assert.match(preview.stdout, /owner/, "the diff names the removed label");

    const restoreStarted = Date.now();
    const restored = await stack!.up({ refresh: true });
    t.diagnostic(`up --refresh: ${JSON.stringify(restored.summary.resourceChanges)} in ${((Date.now() - restoreStarted) / 1000).toFixed(1)} s`);
    assert.equal(restored.summary.resourceChanges?.update, 1, JSON.stringify(restored.summary.resourceChanges));
    const back = await serviceView(web);
    assert.equal(back.replicas, 2, "docker service inspect: replicas back to 2");
    assert.deepEqual(back.labels, declaredWeb.labels, "docker service inspect: labels back as declared");
    const untouched = await serviceView(worker);
    assert.equal(untouched.version, declaredWorker.version, "the worker service was not updated");

    const settled = await stack!.preview({ refresh: true, diff: true });
    assert.deepEqual(Object.keys(settled.changeSummary), ["same"], `after up, preview --refresh still changes:\n${settled.stdout}`);
  });
});
