/** What the kubernetes target warns about and refuses, key by key and value by value. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import { checkProject, formatGraphIssue, GraphError } from "../../../../infra/graph/warnings.ts";
import { ComposeProject } from "../../../../components/compose-project.ts";
import { ResourceRecorder } from "../recorder.ts";
import { loadComposeText } from "../load-text.ts";
import { loadShop } from "./shop.ts";

test("the shop converts without a warning", () => {
  assert.deepEqual(checkProject(loadShop(), { target: "kubernetes" }), { warnings: [], errors: [] });
});

test("keys and values a pod cannot express are warned, names that collide are errors", () => {
  const project = loadComposeText(`
services:
  app:
    image: example/app:1
    user: nobody
    network_mode: "service:side"
    restart: on-failure
    ports: ["8080:80"]
    logging: { driver: json-file }
    shm_size: 64m
    deploy:
      placement: { constraints: ["node.role == manager"] }
      rollback_config: { parallelism: 1 }
  side:
    image: example/side:1
  side_car:
    build: .
  Side-car:
    image: example/side:1
  2fa:
    image: example/2fa:1
`);
  const result = checkProject(project, { target: "kubernetes" });
  assert.deepEqual(result.warnings.map(formatGraphIssue), [
    "services.app.deploy.rollback_config: is not supported on the kubernetes target (a Deployment never rolls back by itself; `kubectl rollout undo` does); ignored",
    "services.app.logging: is not supported on the kubernetes target (a pod's logs are kept by the node's container runtime and read with kubectl logs); ignored",
    "services.app.shm_size: is not supported on the kubernetes target (a pod's /dev/shm is the runtime's default; mount an emptyDir with medium Memory there instead); ignored",
    "services.app.depends_on.side.restart: is not supported (a dependent is not restarted when its dependency is updated); ignored",
    `services.app.user: "nobody" is a name: the kubernetes target takes a numeric uid[:gid] (runAsUser); the image's user runs`,
    `services.app.network_mode: "service:side" cannot be expressed on the kubernetes target (each pod has its own network; only "host" is hostNetwork); ignored`,
    "services.app.restart: a Deployment always restarts its pods on the kubernetes target (restartPolicy Always); on-failure ignored",
    `services.app.deploy.placement.constraints[0]: "node.role == manager" reads no node label on the kubernetes target; ignored`,
    "services.app.ports[0]: published port 8080 is outside the NodePort range 30000-32767: a NodePort Service gets a node port the cluster assigns (a LoadBalancer Service publishes 8080)",
  ]);
  assert.deepEqual(result.errors.map(formatGraphIssue), [
    "services.side_car.image: is required with build on the kubernetes target: every node pulls the built image from the registry named here (e.g. 127.0.0.1:5000/app:1.0)",
    `services.2fa: is named "2fa" on the kubernetes target, and a Service's name must start with a letter: rename it`,
    `services.Side-car: is named "side-car" on the kubernetes target, as "side_car" is: rename one of them`,
    `services.side_car: is named "side-car" on the kubernetes target, as "Side-car" is: rename one of them`,
  ]);
});

test("a one-shot job ignores what only a long-running pod has", () => {
  const project = loadComposeText(`
services:
  migrate:
    image: example/app:1
    restart: on-failure
    healthcheck: { test: ["CMD", "true"] }
    deploy: { mode: replicated-job, update_config: { parallelism: 1 } }
`);
  assert.deepEqual(checkProject(project, { target: "kubernetes" }).warnings.map(formatGraphIssue), [
    "services.migrate.deploy.update_config: does not apply to a job; ignored",
    "services.migrate.healthcheck: a job runs to completion and is never waited on for health; ignored",
    "services.migrate.restart: a job runs once and is never restarted; ignored",
  ]);
});

test("a claim shared by replicas, a dotted hostname, a bind mount", () => {
  const project = loadComposeText(`
services:
  app:
    image: example/app:1
    hostname: app.example.com
    volumes: ["data:/data", "/srv/conf:/etc/app:ro"]
    deploy: { replicas: 2 }
  agent:
    image: example/agent:1
    volumes: ["data:/data"]
    deploy: { mode: global }
volumes:
  data: {}
`);
  assert.deepEqual(checkProject(project, { target: "kubernetes" }).warnings.map(formatGraphIssue), [
    "services.agent.volumes: a named volume is a ReadWriteOnce claim on the kubernetes target: with every node, only the pods on the node that attached it can start",
    `services.app.hostname: "app.example.com" is not one DNS label, which a pod's hostname must be; ignored`,
    "services.app.volumes: a named volume is a ReadWriteOnce claim on the kubernetes target: with 2 replicas, only the pods on the node that attached it can start",
    "services.app.volumes[1]: binds /srv/conf of the node that runs the pod (a hostPath), not of the machine that deploys: put the file in a config or an image",
  ]);
});

test("what no target can run is an error on kubernetes too, and ComposeProject refuses it before declaring anything", async () => {
  const project = loadComposeText(`
services:
  app:
    image: registry.example.com/app:1
    build:
      dockerfile_inline: "FROM scratch"
  db:
    provider:
      type: awesomecloud
`);
  assert.deepEqual(checkProject(project, { target: "kubernetes" }).errors.map(formatGraphIssue), [
    "services.app.build.dockerfile_inline: cannot be built by the docker provider's image build; write it to a file and set build.dockerfile",
    "services.db.provider: is run by a docker compose provider plugin, which no target here can run; deploy that resource another way and give the service an image, or leave it out with a profile",
  ]);
  const recorder = ResourceRecorder.install();
  try {
    const kubernetes = { provider: new k8s.Provider("cluster", {}) };
    const provider = new docker.Provider("builder", {});
    assert.throws(() => new ComposeProject("demo", { project, target: "kubernetes", provider, kubernetes }), (error: unknown) => {
      assert.ok(error instanceof GraphError);
      assert.deepEqual(error.issues.map(formatGraphIssue).map((line) => line.split(":")[0]), ["services.app.build.dockerfile_inline", "services.db.provider"]);
      return true;
    });
    await recorder.settle();
    assert.deepEqual(recorder.resources.filter((r) => r.type.startsWith("compose:") || r.type.startsWith("kubernetes:")), []);
  } finally {
    recorder.dispose();
  }
});
