/**
 * The compose facts ComposeProject registers for the policy pack: known plain data taken
 * from the model, with each service's environment registered as a Pulumi secret so that
 * a literal credential the pack rejects is not written to the state in clear.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { composeFacts } from "../../../infra/graph/policy-facts.ts";
import { loadComposeText as loadText } from "./load-text.ts";
import { deploy } from "./deploy.ts";

const FILE = `
name: shop
services:
  web:
    image: nginx:latest
    environment: { STRIPE_API_KEY: sk_live_51H8abcdefghijk, MODE: prod }
    mem_limit: 256m
    depends_on: { db: { condition: service_healthy }, migrate: { condition: service_completed_successfully } }
  db:
    image: postgres:16.4
    healthcheck: { test: [CMD, pg_isready] }
    deploy: { resources: { limits: { cpus: "1", memory: 512M } } }
  migrate:
    build: .
`;

test("facts per service: image as written, build, job, healthcheck, depends_on, limits per target, environment", () => {
  const project = loadText(FILE);
  const engine = composeFacts(project, "engine");
  assert.deepEqual(engine.services.web, {
    image: "nginx:latest",
    build: false,
    job: false,
    healthcheck: false,
    dependsOn: { db: "service_healthy", migrate: "service_completed_successfully" },
    limits: { memory: true, cpus: false },
    environment: { STRIPE_API_KEY: "sk_live_51H8abcdefghijk", MODE: "prod" },
  });
  assert.deepEqual(engine.services.db.limits, { memory: true, cpus: true });
  assert.equal(engine.services.db.healthcheck, true);
  assert.deepEqual([engine.services.migrate.build, engine.services.migrate.job, engine.services.migrate.image], [true, true, undefined]);
  // mem_limit is an engine key: on a swarm only deploy.resources.limits count.
  assert.deepEqual(composeFacts(project, "swarm").services.web.limits, { memory: false, cpus: false });
});

test("ComposeProject registers the facts as its outputs (not inputs), each environment a secret", async () => {
  const deployed = await deploy("shop", loadText(FILE), "engine");
  assert.deepEqual(deployed.record.inputs, {}, "no inputs: a compose change shows on the resources it touches, not on the project");
  assert.deepEqual(deployed.record.outputs?.compose.services.web.environment, { STRIPE_API_KEY: "sk_live_51H8abcdefghijk", MODE: "prod" });
  // Every service's environment lies under a path registered as secret (the runtime may mark an enclosing object).
  const secretPaths = deployed.record.outputSecretPaths ?? [];
  const covered = (path: string) => secretPaths.some((secret) => path === secret || path.startsWith(`${secret}.`));
  for (const service of ["web", "db", "migrate"]) assert.ok(covered(`compose.services.${service}.environment`), service);
});
