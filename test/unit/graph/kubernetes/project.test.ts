/** ComposeProject on the kubernetes target, under the mock runtime: exact resources, names, inputs and ordering. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as k8s from "@pulumi/kubernetes";
import * as docker from "@pulumi/docker";
import { loadComposeText } from "../load-text.ts";
import { ComposeProject } from "../../../../components/compose-project.ts";
import { ResourceRecorder } from "../recorder.ts";
import type { Project } from "../../../../infra/compose/schema/index.ts";
import type { KubernetesOptions } from "../../../../infra/graph/targets/kubernetes/index.ts";
import { loadShop } from "./shop.ts";

async function deployK8s(project: Project, options: KubernetesOptions = {}) {
  const recorder = ResourceRecorder.install();
  try {
    const provider = new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    const component = new ComposeProject("demo", { project, target: "kubernetes", kubernetes: { provider, ...options } });
    await recorder.created(component);
    return { recorder, component };
  } finally {
    recorder.dispose();
  }
}

const selector = (service: string) => ({ "app.kubernetes.io/name": service, "app.kubernetes.io/instance": "demo" });

describe("ComposeProject on kubernetes", () => {
  test("the shop: a Namespace, a claim, a Secret, Deployments, a DaemonSet, Services and a Job", async () => {
    const { recorder } = await deployK8s(loadShop());
    const custom = recorder.resources.filter((entry) => entry.custom && !entry.type.startsWith("pulumi:providers:")).map((entry) => `${entry.type} ${entry.name} ${entry.inputs.metadata?.name}`).sort();
    const secret = recorder.get("kubernetes:core/v1:Secret", "demo-db_password");
    const job = recorder.get("kubernetes:batch/v1:Job", "demo-db_migrate");
    assert.deepEqual(custom, [
      "kubernetes:apps/v1:DaemonSet demo-agent agent",
      "kubernetes:apps/v1:Deployment demo-db db",
      "kubernetes:apps/v1:Deployment demo-web web",
      `kubernetes:batch/v1:Job demo-db_migrate ${job.inputs.metadata.name}`,
      "kubernetes:core/v1:Namespace demo-namespace demo",
      "kubernetes:core/v1:PersistentVolumeClaim demo-db_data db-data",
      `kubernetes:core/v1:Secret demo-db_password ${secret.inputs.metadata.name}`,
      "kubernetes:core/v1:Service demo-agent agent",
      "kubernetes:core/v1:Service demo-db db",
      "kubernetes:core/v1:Service demo-web web",
      "kubernetes:core/v1:Service demo-web-published web-published",
    ]);
    const components = recorder.resources.filter((entry) => !entry.custom).map((entry) => `${entry.type} ${entry.name}`).sort();
    assert.deepEqual(components, [
      "compose:kubernetes:KubernetesJob demo-db_migrate",
      "compose:kubernetes:KubernetesNamespace demo-namespace",
      "compose:kubernetes:KubernetesObject demo-db_password",
      "compose:kubernetes:KubernetesVolume demo-db_data",
      "compose:kubernetes:KubernetesWorkload demo-agent",
      "compose:kubernetes:KubernetesWorkload demo-db",
      "compose:kubernetes:KubernetesWorkload demo-web",
      "compose:project:ComposeProject demo",
    ]);

    // Every Kubernetes object uses the stack's provider and lives in the namespace.
    for (const entry of recorder.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== "kubernetes:core/v1:Namespace")) {
      assert.equal(entry.inputs.metadata.namespace, "demo", entry.name);
      assert.match(entry.provider ?? "", /::cluster::/, entry.name);
    }

    // The secret: content-hashed name, a Pulumi secret, immutable.
    assert.match(secret.inputs.metadata.name, /^db-password-[0-9a-f]{8}$/);
    assert.deepEqual(secret.inputs.data, { content: Buffer.from("s3cret").toString("base64") });
    assert.ok(secret.secretPaths.includes("data"));
    assert.equal(secret.inputs.immutable, true);

    const claim = recorder.get("kubernetes:core/v1:PersistentVolumeClaim", "demo-db_data");
    assert.deepEqual(claim.inputs.spec, { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } });

    // The Job: content-hashed name, never retried, waited on by web.
    assert.match(job.inputs.metadata.name, /^db-migrate-[0-9a-f]{8}$/);
    assert.equal(job.inputs.spec.backoffLimit, 0);
    assert.equal(job.inputs.spec.template.spec.restartPolicy, "Never");
    assert.deepEqual(job.inputs.metadata.annotations, { "pulumi.com/replaceUnready": "true" });

    const published = recorder.get("kubernetes:core/v1:Service", "demo-web-published");
    assert.deepEqual(published.inputs.spec, {
      type: "NodePort",
      selector: selector("web"),
      ports: [{ name: "tcp-30080", port: 30080, targetPort: 8080, protocol: "TCP", nodePort: 30080 }],
    });
  });

  test("depends_on: the web waits for the database's rollout and the migration's Job; each waits for what it mounts", async () => {
    const { recorder } = await deployK8s(loadShop());
    const web = recorder.get("kubernetes:apps/v1:Deployment", "demo-web");
    // A component in dependsOn stands for its resources: the rollout, the Job, the Services.
    assert.deepEqual(recorder.dependencyNames(web), [
      "kubernetes:apps/v1:Deployment demo-db",
      "kubernetes:batch/v1:Job demo-db_migrate",
      "kubernetes:core/v1:Namespace demo-namespace",
      "kubernetes:core/v1:Service demo-db",
    ]);
    const job = recorder.get("kubernetes:batch/v1:Job", "demo-db_migrate");
    assert.deepEqual(recorder.dependencyNames(job), [
      "kubernetes:apps/v1:Deployment demo-db",
      "kubernetes:core/v1:Namespace demo-namespace",
      "kubernetes:core/v1:Secret demo-db_password",
      "kubernetes:core/v1:Service demo-db",
    ]);
    const db = recorder.get("kubernetes:apps/v1:Deployment", "demo-db");
    assert.deepEqual(recorder.dependencyNames(db), [
      "kubernetes:core/v1:Namespace demo-namespace",
      "kubernetes:core/v1:PersistentVolumeClaim demo-db_data",
      "kubernetes:core/v1:Secret demo-db_password",
    ]);
  });

  test("a new secret content is a new Secret name, a new pod template and a new Job", async () => {
    const before = (await deployK8s(loadShop("one"))).recorder;
    const after = (await deployK8s(loadShop("two"))).recorder;
    const name = (recorder: ResourceRecorder, type: string, logical: string) => recorder.get(type, logical).inputs.metadata.name;
    const secretBefore = name(before, "kubernetes:core/v1:Secret", "demo-db_password");
    const secretAfter = name(after, "kubernetes:core/v1:Secret", "demo-db_password");
    assert.notEqual(secretBefore, secretAfter);
    const podSecret = (recorder: ResourceRecorder) => recorder.get("kubernetes:apps/v1:Deployment", "demo-db").inputs.spec.template.spec.volumes.find((v: any) => v.secret).secret.secretName;
    assert.equal(podSecret(before), secretBefore);
    assert.equal(podSecret(after), secretAfter);
    assert.notEqual(name(before, "kubernetes:batch/v1:Job", "demo-db_migrate"), name(after, "kubernetes:batch/v1:Job", "demo-db_migrate"));
    // What does not mount the secret does not change.
    assert.deepEqual(before.get("kubernetes:apps/v1:DaemonSet", "demo-agent").inputs, after.get("kubernetes:apps/v1:DaemonSet", "demo-agent").inputs);
  });

  test("stack settings: namespace, LoadBalancer for published ports, storage class and size", async () => {
    const { recorder } = await deployK8s(loadShop(), { namespace: "shop-prod", publishedPorts: "LoadBalancer", storageClassName: "fast", volumeSize: "20Gi" });
    assert.equal(recorder.get("kubernetes:core/v1:Namespace", "demo-namespace").inputs.metadata.name, "shop-prod");
    assert.equal(recorder.get("kubernetes:apps/v1:Deployment", "demo-web").inputs.metadata.namespace, "shop-prod");
    assert.deepEqual(recorder.get("kubernetes:core/v1:Service", "demo-web-published").inputs.spec.ports, [{ name: "tcp-30080", port: 30080, targetPort: 8080, protocol: "TCP" }]);
    assert.equal(recorder.get("kubernetes:core/v1:Service", "demo-web-published").inputs.spec.type, "LoadBalancer");
    assert.deepEqual(recorder.get("kubernetes:core/v1:PersistentVolumeClaim", "demo-db_data").inputs.spec, {
      accessModes: ["ReadWriteOnce"],
      storageClassName: "fast",
      resources: { requests: { storage: "20Gi" } },
    });
  });

  test("an existing namespace is not created", async () => {
    const { recorder } = await deployK8s(loadShop(), { namespace: "team", createNamespace: false });
    assert.deepEqual(recorder.ofType("kubernetes:core/v1:Namespace"), []);
    assert.equal(recorder.get("kubernetes:apps/v1:Deployment", "demo-db").inputs.metadata.namespace, "team");
  });

  test("a built image is pushed by the docker provider and run by digest; a new context is a new Job", async () => {
    const text = `
services:
  migrate:
    image: registry.example.com/shop/migrate:1
    build: .
    deploy: { mode: replicated-job }
`;
    const run = async (contextHash: string) => {
      const recorder = ResourceRecorder.install();
      try {
        const provider = new docker.Provider("builder", { host: "unix:///run/test-docker.sock" });
        const kubernetes = { provider: new k8s.Provider("cluster", {}) };
        const component = new ComposeProject("demo", { project: loadComposeText(text), target: "kubernetes", provider, kubernetes, hashBuildContext: () => contextHash });
        await recorder.created(component);
        return recorder;
      } finally {
        recorder.dispose();
      }
    };
    const first = await run("ctx-1");
    const pushed = first.get("docker:index/registryImage:RegistryImage", "demo-migrate");
    assert.equal(pushed.inputs.name, "registry.example.com/shop/migrate:1");
    const job = first.get("kubernetes:batch/v1:Job", "demo-migrate");
    assert.match(job.inputs.spec.template.spec.containers[0].image, /^registry\.example\.com\/shop\/migrate:1@sha256:[0-9a-f]{64}$/);
    assert.ok(first.dependencyNames(job).includes("docker:index/registryImage:RegistryImage demo-migrate"));
    const second = await run("ctx-2");
    assert.notEqual(second.get("kubernetes:batch/v1:Job", "demo-migrate").inputs.metadata.name, job.inputs.metadata.name);
  });

  test("a build without a docker provider is refused", () => {
    const project = loadComposeText("services:\n  app:\n    image: registry.example.com/app:1\n    build: .\n");
    assert.throws(() => new ComposeProject("demo", { project, target: "kubernetes", kubernetes: { provider: new k8s.Provider("cluster", {}) } }), {
      message: "ComposeProject: services app build their images, which needs a docker provider (provider) to build and push them",
    });
  });

  test("without a Kubernetes provider the project is refused", () => {
    assert.throws(() => new ComposeProject("demo", { project: loadShop(), target: "kubernetes" }), {
      message: "ComposeProject: the kubernetes target needs a Kubernetes provider (kubernetes.provider)",
    });
  });
});
