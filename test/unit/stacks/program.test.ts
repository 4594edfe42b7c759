/**
 * This repository's Pulumi program (stacks/index.ts) under the mock runtime: the dev
 * stack's configuration from stacks/Pulumi.dev.yaml, deployed through ComposeApp, with the
 * outputs the stack exports.
 */
import { test } from "node:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ResourceRecorder } from "../graph/recorder.ts";
import { findPulumiProject, stackFileValues } from "../../../stacks/stack-file.ts";
import { REPO_ROOT } from "../compose/fixture-paths.ts";

function valueOf<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((value) => resolve(value as T)));
}

test("the dev stack: WordPress through ComposeApp, one web container, the stack's outputs", async () => {
  const { values, secretKeys } = stackFileValues(findPulumiProject(REPO_ROOT), "dev", REPO_ROOT);
  const recorder = ResourceRecorder.install({ project: "compose-pulumi", stack: "dev" });
  try {
    pulumi.runtime.setAllConfig(values, [...secretKeys]);
    const program = (await import("../../../stacks/index.ts")).default;
    const outputs = await program();
    await recorder.settle();

    const app = recorder.get("compose:app:ComposeApp", "wordpress");
    assert.ok(app.parent === undefined || app.parent.includes("pulumi:pulumi:Stack"), "the app sits at the stack's root");
    assert.equal(recorder.get("compose:project:ComposeProject", "wordpress").parent, app.urn);
    assert.equal(recorder.get("compose:stack:Environment", "environment").inputs.environment, "dev");
    assert.deepEqual(recorder.ofType("pulumi:providers:docker").map((p) => p.name), ["docker"], "the stack's provider, none of the app's own");
    assert.deepEqual(recorder.ofType("docker:index/container:Container").map((c) => c.name).sort(), ["wordpress-db-1", "wordpress-web-1"]);

    assert.equal(await valueOf(outputs.url), "http://127.0.0.1:8080/");
    assert.deepEqual(await valueOf(outputs.services), { db: ["wordpress-db-1"], web: ["wordpress-web-1"] });
    assert.deepEqual(Object.keys(await valueOf(outputs.images)).sort(), ["db", "web"]);
    assert.equal(outputs.project, "wordpress");
    assert.equal(outputs.environment, "dev");
  } finally {
    recorder.dispose();
  }
});

test("a kubernetes stack: the program's provider for the kubeconfig, the docker endpoint that builds, the app in its namespace", async () => {
  // The program checks that the kubeconfig file exists.
  const kubeDir = mkdtempSync(join(tmpdir(), "program-kubeconfig-"));
  const kubeconfig = join(kubeDir, "dev.yaml");
  writeFileSync(kubeconfig, "apiVersion: v1\nkind: Config\n");
  const values: Record<string, string> = {
    "compose-pulumi:environment": "dev",
    "compose-pulumi:target": "kubernetes",
    "compose-pulumi:compose": JSON.stringify({ files: ["apps/wordpress/compose.yaml"] }),
    "compose-pulumi:docker": JSON.stringify({ host: "unix:///run/test-docker.sock" }),
    "compose-pulumi:kubernetes": JSON.stringify({ kubeconfig, namespace: "wp-dev", storageClassName: "local-path" }),
    "compose-pulumi:publicHost": "node-1.example.com",
  };
  const recorder = ResourceRecorder.install({ project: "compose-pulumi", stack: "k8s-dev" });
  try {
    pulumi.runtime.setAllConfig(values, []);
    const program = (await import("../../../stacks/index.ts")).default;
    const outputs = await program();
    await recorder.settle();

    assert.deepEqual(recorder.ofType("pulumi:providers:kubernetes").map((p) => `${p.name} ${p.inputs.kubeconfig}`), [`kubernetes ${kubeconfig}`]);
    assert.deepEqual(recorder.ofType("pulumi:providers:docker").map((p) => `${p.name} ${p.inputs.host}`), ["docker unix:///run/test-docker.sock"]);
    assert.deepEqual(recorder.ofType("kubernetes:apps/v1:Deployment").map((d) => `${d.name} ${d.inputs.metadata.namespace}`).sort(), ["wordpress-db wp-dev", "wordpress-web wp-dev"]);
    assert.deepEqual(recorder.ofType("kubernetes:core/v1:PersistentVolumeClaim").map((c) => c.inputs.spec.storageClassName), ["local-path"]);
    assert.deepEqual(await valueOf(outputs.services), { db: ["db"], web: ["web"] });
    assert.equal(outputs.target, "kubernetes");
  } finally {
    recorder.dispose();
    rmSync(kubeDir, { recursive: true, force: true });
  }
});
