/**
 * The rules one by one, on synthetic stacks: a ComposeProject carrying its compose facts
 * (infra/graph/policy-facts.ts) and the workloads under it, whose own inputs the rules no
 * longer need: what counts as a secret-like variable, a pinned image, a limit, an awaited
 * service, and what happens when facts cannot be read.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { unknownCheckingProxy } from "@pulumi/policy";
import { COMPOSE_FACTS_VERSION, type ServiceFacts } from "../../../infra/graph/policy-facts.ts";
import { isSecretLike, plaintextSecrets } from "../../../policy/rules/plaintext-secrets.ts";
import { pinnedImages, unpinnedReason } from "../../../policy/rules/pinned-images.ts";
import { resourceLimits } from "../../../policy/rules/resource-limits.ts";
import { managerCount } from "../../../policy/rules/manager-count.ts";
import { awaitedHealthchecks } from "../../../policy/rules/awaited-healthchecks.ts";
import { serviceOf, stackTier, TYPES, type StackResource } from "../../../policy/resources.ts";
import { UNKNOWN } from "./unknown.ts";

const environment = (tier: string, extra: Record<string, unknown> = {}): StackResource => ({
  type: TYPES.environment,
  name: "environment",
  urn: "urn:environment",
  props: { environment: tier, ...extra },
});

const SERVICE: ServiceFacts = { build: false, job: false, healthcheck: false, dependsOn: {}, limits: { memory: false, cpus: false }, environment: {} };

/** A ComposeProject named shop with the given services' facts (the rest defaulted). */
function shop(services: Record<string, Partial<ServiceFacts>>, target = "engine"): StackResource {
  const facts = { version: COMPOSE_FACTS_VERSION, project: "shop", target, services: Object.fromEntries(Object.entries(services).map(([name, f]) => [name, { ...SERVICE, ...f }])) };
  return { type: TYPES.project, name: "shop", urn: "urn:project", props: { compose: facts } };
}

/** A workload under the project, as ComposeProject parents them. */
function child(project: StackResource, type: string, service: string, name = `shop-${service}`): StackResource {
  const component: StackResource = { type: "compose:x:Component", name: `shop-${service}`, urn: `urn:component:${service}`, props: {}, parent: project };
  return { type, name, urn: `urn:${type}:${name}`, props: {}, parent: component };
}

test("secret-like variable names and values", () => {
  const cases: [string, string, boolean][] = [
    ["DB_PASSWORD", "hunter2", true],
    ["MYSQL_ROOT_PASSWORD", "x", true],
    ["GITHUB_TOKEN", "ghp_x", true],
    ["APP_SECRET", "s", true],
    ["AWS_ACCESS_KEY", "AKIA", true],
    ["API_KEY", "abc", true],
    ["KEY", "abc", true],
    ["STRIPE_KEY", "sk_live_51H8abcdefghijk", true],
    ["COUNTER_KEY", "hits", false],
    ["SORT_KEY", "created_at", false],
    ["DB_PASSWORD_FILE", "/run/secrets/db_password", false],
    ["DB_PASSWORD", "/run/secrets/db_password", false],
    ["DB_PASSWORD", "", false],
    ["TLS_KEY_PATH", "/etc/tls/key.pem", false],
    ["DB_HOST", "db", false],
  ];
  for (const [name, value, expected] of cases) assert.equal(isSecretLike(name, value), expected, `${name}=${value}`);
});

test("plaintext secrets: from the compose facts, reported on the service's workload", () => {
  const project = shop({ api: { environment: { JWT_SECRET: "abc", LOG_LEVEL: "info", DB_PASSWORD_FILE: "/run/secrets/db" } }, worker: { environment: { QUEUE_TOKEN: "t0k", FROM_SHELL_TOKEN: null } } });
  const resources = [project, child(project, TYPES.service, "api"), child(project, TYPES.container, "worker", "shop-worker-1"), child(project, TYPES.container, "worker", "shop-worker-2")];
  assert.deepEqual(plaintextSecrets(resources), [
    {
      message: "services.api.environment.JWT_SECRET: a literal value in a variable named like a secret; mount it as a compose secret (secrets: + JWT_SECRET_FILE=/run/secrets/...) and set its value with `pulumi config set --secret`",
      urn: `urn:${TYPES.service}:shop-api`,
    },
    {
      message: "services.worker.environment.QUEUE_TOKEN: a literal value in a variable named like a secret; mount it as a compose secret (secrets: + QUEUE_TOKEN_FILE=/run/secrets/...) and set its value with `pulumi config set --secret`",
      urn: `urn:${TYPES.container}:shop-worker-1`,
    },
  ]);
  // Without a workload yet (a job, say), the violation is reported on the project.
  assert.equal(plaintextSecrets([project])[0].urn, "urn:project");
});

test("facts that cannot be read fail closed, in every rule", () => {
  const unknownFacts: StackResource = { type: TYPES.project, name: "shop", urn: "urn:project", props: unknownCheckingProxy({ compose: UNKNOWN }) };
  const missing: StackResource = { type: TYPES.project, name: "shop", urn: "urn:project", props: {} };
  const older: StackResource = { type: TYPES.project, name: "shop", urn: "urn:project", props: { compose: { version: 0 } } };
  for (const rule of [plaintextSecrets, awaitedHealthchecks, (r: readonly StackResource[]) => pinnedImages([environment("prod"), ...r]), (r: readonly StackResource[]) => resourceLimits([environment("prod"), ...r])]) {
    assert.match(rule([unknownFacts])[0]?.message ?? "", /^compose project "shop": its compose facts are not known during preview .*; nothing of it can be checked, so it is refused$/);
    assert.match(rule([missing])[0]?.message ?? "", /its compose facts are missing/);
    assert.match(rule([older])[0]?.message ?? "", /its compose facts have version 0, this pack reads version 1/);
  }
});

test("image references: tag, digest, registry port", () => {
  assert.equal(unpinnedReason("nginx:1.27.0"), undefined);
  assert.equal(unpinnedReason(`nginx@sha256:${"0".repeat(64)}`), undefined);
  assert.equal(unpinnedReason("127.0.0.1:5000/web:2.1"), undefined);
  assert.equal(unpinnedReason("nginx:latest"), '"nginx:latest" uses the tag "latest"');
  assert.equal(unpinnedReason("nginx"), '"nginx" has no tag, which means "latest"');
  assert.equal(unpinnedReason("127.0.0.1:5000/web"), '"127.0.0.1:5000/web" has no tag, which means "latest"');
});

test("pinned images: every service's image, not in dev; a built-only service runs what was built", () => {
  const project = shop({ web: { image: "registry.example.com/web:latest" }, cache: { image: "redis" }, db: { image: "postgres:16.4" }, api: { build: true } }, "swarm");
  const resources = (tier: string) => [environment(tier), project];
  assert.deepEqual(pinnedImages(resources("dev")), []);
  assert.deepEqual(
    pinnedImages(resources("prod")).map((violation) => violation.message),
    [
      'services.web.image: "registry.example.com/web:latest" uses the tag "latest"; a prod stack runs pinned images: use a version tag or a digest (name:1.2.3 or name@sha256:...)',
      'services.cache.image: "redis" has no tag, which means "latest"; a prod stack runs pinned images: use a version tag or a digest (name:1.2.3 or name@sha256:...)',
    ],
  );
});

test("a stack that declares no environment gets the strictest rules", () => {
  assert.equal(stackTier([]), "prod");
  assert.equal(stackTier([environment("staging")]), "staging");
  assert.equal(stackTier([environment("qa")]), "prod");
});

test("resource limits in prod: each missing limit named; jobs left out", () => {
  const project = shop({
    api: { limits: { memory: true, cpus: true } },
    db: { limits: { memory: true, cpus: false } },
    cron: {},
    migrate: { job: true },
  });
  assert.deepEqual(resourceLimits([environment("prod"), project]).map((violation) => violation.message), [
    "services.db.deploy.resources.limits: no cpus limit in prod; set cpus under deploy.resources.limits in the compose file, or compose-pulumi:services.db.resources.limits in the stack",
    "services.cron.deploy.resources.limits: no memory and no cpus limit in prod; set memory and cpus under deploy.resources.limits in the compose file, or compose-pulumi:services.cron.resources.limits in the stack",
  ]);
  assert.deepEqual(resourceLimits([environment("staging"), project]), []);
});

test("manager counts: odd passes, even fails unless allowed, no cluster passes", () => {
  for (const managers of [1, 3, 5, 7]) assert.deepEqual(managerCount([environment("prod", { managers })]), []);
  assert.deepEqual(managerCount([environment("prod")]), []);
  assert.deepEqual(managerCount([environment("prod", { managers: 2, allowEvenManagers: true })]), []);
  assert.deepEqual(managerCount([environment("prod", { managers: 2 })]), [
    {
      message: "compose-pulumi:cluster: 2 managers need 2 to agree and survive 0 failures, no more than 1 would; use an odd number of managers (1, 3, 5 or 7) or set cluster.allowEvenManagers: true",
      urn: "urn:environment",
    },
  ]);
});

test("awaited services need a healthcheck: named with who waits", () => {
  const facts = { web: { dependsOn: { db: "service_healthy", cache: "service_started" } }, worker: { dependsOn: { db: "service_healthy" } }, db: {}, cache: {} };
  const project = shop(facts);
  const resources = [project, child(project, TYPES.container, "db", "shop-db-1")];
  assert.deepEqual(awaitedHealthchecks(resources), [
    {
      message: 'services.db.healthcheck: "web", "worker" wait for "db" to be healthy (depends_on condition: service_healthy), but "db" has no healthcheck; add one, or wait with condition: service_started',
      urn: `urn:${TYPES.container}:shop-db-1`,
    },
  ]);
  assert.deepEqual(awaitedHealthchecks([shop({ ...facts, db: { healthcheck: true } })]), []);
});

test("the compose service of a resource: from the project component's child name, else the compose label", () => {
  const nested: StackResource = { type: "docker:index/remoteImage:RemoteImage", name: "shop-web", urn: "urn:img", props: {}, parent: child(shop({}), "compose:image:Image", "web") };
  assert.equal(serviceOf(nested), "web");
  assert.equal(serviceOf({ type: TYPES.container, name: "c", urn: "u", props: { labels: [{ label: "com.docker.compose.service", value: "api" }] } }), "api");
  assert.equal(serviceOf({ type: TYPES.container, name: "c", urn: "u", props: {} }), undefined);
});
