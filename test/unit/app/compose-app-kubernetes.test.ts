/** ComposeApp on the kubernetes target under the mock runtime: its provider, namespace, workloads, outputs, and no docker provider when nothing is built. */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ComposeApp } from "../../../components/compose-app.ts";
import { ResourceRecorder } from "../graph/recorder.ts";
import { writeProject } from "../compose/assembly-helpers.ts";

const SHOP = `name: shop
services:
  web:
    image: nginx:1.27
    ports: ["30080:80"]
    depends_on:
      api: { condition: service_healthy }
  api:
    image: shop/api:1.4.0
    secrets: [db_password]
    healthcheck: { test: ["CMD", "true"] }
    depends_on:
      migrate: { condition: service_completed_successfully }
  migrate:
    image: shop/api:1.4.0
    command: ["migrate"]
    secrets: [db_password]
secrets:
  db_password:
    file: ./db_password.txt
`;

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

test("ComposeApp on kubernetes: a provider for the kubeconfig, the project in its namespace, physical names and URLs", async () => {
  const dir = writeProject({ "compose.yaml": SHOP, "db_password.txt": "dev-only" });
  const recorder = ResourceRecorder.install({ stack: "dev" });
  try {
    const app = new ComposeApp("shop", {
      files: [path.join(dir, "compose.yaml")],
      target: "kubernetes",
      kubernetes: { kubeconfig: "/home/deploy/.kube/config", context: "prod", namespace: "shop-prod", publishedPorts: "NodePort" },
      publicHost: "node-1.example.com",
      secrets: { db_password: "from-the-stack" },
      processEnv: {},
    });
    await app.ready;
    await recorder.created(app);

    assert.equal(app.provider, undefined);
    assert.deepEqual(recorder.ofType("pulumi:providers:docker"), []);
    const provider = recorder.get("pulumi:providers:kubernetes", "shop-kubernetes");
    assert.equal(provider.inputs.kubeconfig, "/home/deploy/.kube/config");
    assert.ok(provider.secretPaths.includes("kubeconfig"));
    assert.equal(provider.inputs.context, "prod");

    const deployment = recorder.get("kubernetes:apps/v1:Deployment", "shop-web");
    assert.equal(deployment.inputs.metadata.namespace, "shop-prod");
    assert.ok(deployment.provider?.startsWith(`${provider.urn}::`));
    const secret = recorder.get("kubernetes:core/v1:Secret", "shop-db_password");
    assert.deepEqual(secret.inputs.data, { content: Buffer.from("from-the-stack").toString("base64") });

    const services = await valueOf(app.services);
    assert.deepEqual(Object.keys(services).sort(), ["api", "migrate", "web"]);
    assert.deepEqual(services.web, ["web"]);
    assert.match(services.migrate[0], /^migrate-[0-9a-f]{8}$/);
    assert.deepEqual(await valueOf(app.urls), { web: ["http://node-1.example.com:30080/"] });
  } finally {
    recorder.dispose();
  }
});
