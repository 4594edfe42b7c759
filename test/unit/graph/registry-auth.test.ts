/**
 * Private images on a swarm: the configured registry's credentials go with every service
 * and job whose image comes from it (`docker stack deploy --with-registry-auth`), as
 * Pulumi secrets; the password is never in a command's text or environment.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadComposeText } from "./load-text.ts";
import { deploy } from "./deploy.ts";

const PASSWORD = "s3cret-registry-password";

const COMPOSE = `
services:
  migrate:
    image: 10.0.0.1:5000/shop/api:2
    command: [migrate]
  api:
    image: 10.0.0.1:5000/shop/api:2
    depends_on:
      migrate: {condition: service_completed_successfully}
  redis:
    image: redis:7
`;

const deployed = (target: "engine" | "swarm") =>
  deploy("shop", loadComposeText(COMPOSE), target, { registry: "10.0.0.1:5000", registryAuth: { username: "deploy", password: PASSWORD } });

describe("registry credentials on a swarm", () => {
  test("a service from the configured registry carries them, its password secret; one from elsewhere does not", async () => {
    const d = await deployed("swarm");
    const api = d.recorder.get("docker:index/service:Service", "shop-api");
    assert.deepEqual(api.inputs.auth, { serverAddress: "10.0.0.1:5000", username: "deploy", password: PASSWORD });
    assert.ok(api.secretPaths.includes("auth.password") || api.secretPaths.includes("auth"), `secret paths: ${api.secretPaths.join(", ")}`);
    assert.equal(d.recorder.get("docker:index/service:Service", "shop-redis").inputs.auth, undefined);
  });

  test("a job logs in from its standard input and creates its service --with-registry-auth", async () => {
    const d = await deployed("swarm");
    const job = d.recorder.get("command:local:Command", "shop-migrate");
    const create = job.inputs.create as string;
    assert.ok(create.startsWith("set -eu\nIFS= read -r REGISTRY_PASSWORD\n"), "the password is read before any command runs");
    assert.match(create, /docker login --username deploy --password-stdin 10\.0\.0\.1:5000/);
    assert.match(create, /docker service create --with-registry-auth /);
    assert.ok(!create.includes(PASSWORD), "the password is not in the script");
    assert.ok(!JSON.stringify(job.inputs.environment ?? {}).includes(PASSWORD), "nor in its environment");
    assert.equal(job.inputs.stdin, `${PASSWORD}\n`);
    assert.deepEqual(job.secretPaths, ["stdin"]);
  });

  test("the engine target forwards nothing: its own daemon pulls", async () => {
    const d = await deployed("engine");
    const create = d.recorder.get("command:local:Command", "shop-migrate").inputs.create as string;
    assert.ok(!create.includes("docker login"));
  });
});
