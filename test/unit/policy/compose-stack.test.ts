/**
 * The policy pack over the resources a compose file really becomes (ComposeProject under
 * the mock runtime), per environment and target.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { previewStack, runPolicies } from "./stack.ts";

const SHOP = `
name: shop
services:
  web:
    image: nginx:latest
    environment:
      DB_HOST: db
      DB_PASSWORD: hunter2
      DB_PASSWORD_FILE: /run/secrets/db_password
      COUNTER_KEY: hits
    ports:
      - "8080:80"
    depends_on:
      db:
        condition: service_healthy
  db:
    image: postgres:16.4
    healthcheck:
      test: ["CMD", "pg_isready"]
`;

const PLAINTEXT =
  "services.web.environment.DB_PASSWORD: a literal value in a variable named like a secret; " +
  "mount it as a compose secret (secrets: + DB_PASSWORD_FILE=/run/secrets/...) and set its value with `pulumi config set --secret`";
const LATEST_IN_STAGING =
  'services.web.image: "nginx:latest" uses the tag "latest"; a staging stack runs pinned images: use a version tag or a digest (name:1.2.3 or name@sha256:...)';

for (const target of ["engine", "swarm", "kubernetes"] as const) {
  describe(`a compose file with a plaintext password and image: x:latest, ${target} target`, () => {
    test("staging rejects both, naming the service and the key", async () => {
      const report = await runPolicies(await previewStack(SHOP, { tier: "staging", target }));
      assert.deepEqual(report.violations, {
        "no-plaintext-secrets": [PLAINTEXT],
        "pinned-images": [LATEST_IN_STAGING],
      });
      // Reported on the workload: the container, the swarm service, the Deployment.
      const workload = target === "engine" ? "shop-web-1" : "shop-web";
      assert.equal(report.reportedOn[PLAINTEXT], workload);
    });

    test("dev accepts latest but not the plaintext password", async () => {
      const report = await runPolicies(await previewStack(SHOP, { tier: "dev", target }));
      assert.deepEqual(report.violations, { "no-plaintext-secrets": [PLAINTEXT] });
    });

    test("prod also asks for memory and CPU limits, per service", async () => {
      const report = await runPolicies(await previewStack(SHOP, { tier: "prod", target }));
      const limits = (service: string) =>
        `services.${service}.deploy.resources.limits: no memory and no cpus limit in prod; ` +
        `set memory and cpus under deploy.resources.limits in the compose file, or compose-pulumi:services.${service}.resources.limits in the stack`;
      // Workloads register in deployment order: db before web, which waits for it.
      assert.deepEqual(report.violations["resource-limits-in-prod"], [limits("db"), limits("web")]);
      assert.equal(report.violations["pinned-images"]?.[0], LATEST_IN_STAGING.replace("a staging stack", "a prod stack"));
    });
  });
}

test("a clean compose file passes every policy in prod", async () => {
  const clean = `
name: shop
services:
  web:
    image: nginx:1.27.0
    environment:
      DB_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
    depends_on:
      db:
        condition: service_healthy
    deploy:
      resources:
        limits: { cpus: "0.5", memory: 128M }
  db:
    image: postgres@sha256:${"a".repeat(64)}
    healthcheck:
      test: ["CMD", "pg_isready"]
    deploy:
      resources:
        limits: { cpus: "1", memory: 512M }
secrets:
  db_password:
    environment: DB_PASSWORD
`;
  process.env.DB_PASSWORD = "only-in-the-environment";
  try {
    for (const target of ["engine", "swarm", "kubernetes"] as const) {
      const report = await runPolicies(await previewStack(clean, { tier: "prod", target, managers: 3, workers: 2 }));
      assert.deepEqual(report.violations, {}, target);
    }
  } finally {
    delete process.env.DB_PASSWORD;
  }
});

test("an even number of managers is rejected with the quorum arithmetic", async () => {
  const report = await runPolicies(await previewStack("name: one\nservices:\n  app:\n    image: nginx:1.27.0\n", { tier: "dev", target: "swarm", managers: 4, workers: 1 }));
  assert.deepEqual(report.violations, {
    "odd-manager-count": [
      "compose-pulumi:cluster: 4 managers need 3 to agree and survive 1 failure, no more than 3 would; use an odd number of managers (1, 3, 5 or 7) or set cluster.allowEvenManagers: true",
    ],
  });
  assert.equal(report.reportedOn[report.violations["odd-manager-count"][0]], "environment");
});

test("allowed variable names are configured per pack", async () => {
  const report = await runPolicies(await previewStack(SHOP, { tier: "dev", target: "engine" }), { "no-plaintext-secrets": { allow: ["DB_PASSWORD"] } });
  assert.deepEqual(report.violations, {});
});

/**
 * One compose file that breaks every service rule once. (A service waited on as healthy
 * without a healthcheck never gets this far: ComposeProject refuses it before any resource
 * exists; rules.test.ts checks that rule on its own.)
 */
const EVERY_RULE = `
name: shop
services:
  web:
    image: nginx:latest
    environment:
      STRIPE_API_KEY: sk_live_51H8abcdefghijk
  db:
    image: postgres:16.4
`;

const EXPECTED_PROD = {
  "no-plaintext-secrets": [
    "services.web.environment.STRIPE_API_KEY: a literal value in a variable named like a secret; mount it as a compose secret (secrets: + STRIPE_API_KEY_FILE=/run/secrets/...) and set its value with `pulumi config set --secret`",
  ],
  "pinned-images": [
    'services.web.image: "nginx:latest" uses the tag "latest"; a prod stack runs pinned images: use a version tag or a digest (name:1.2.3 or name@sha256:...)',
  ],
  "resource-limits-in-prod": ["db", "web"].map(
    (service) =>
      `services.${service}.deploy.resources.limits: no memory and no cpus limit in prod; ` +
      `set memory and cpus under deploy.resources.limits in the compose file, or compose-pulumi:services.${service}.resources.limits in the stack`,
  ),
};

// Every rule, on both targets, whether the docker resources' inputs are known (an existing
// stack, or the mock runtime) or unknown (the preview of a new stack): the same violations,
// and no rule skipped. A rule that read an unknown input would be skipped and fail here.
for (const target of ["engine", "swarm", "kubernetes"] as const) {
  for (const unknownResourceInputs of [false, true]) {
    test(`every rule decides at preview: ${target} target, docker inputs ${unknownResourceInputs ? "unknown" : "known"}`, async () => {
      const report = await runPolicies(await previewStack(EVERY_RULE, { tier: "prod", target, unknownResourceInputs }));
      assert.deepEqual(report.skipped, {});
      assert.deepEqual(report.violations, EXPECTED_PROD);
    });
  }
}

