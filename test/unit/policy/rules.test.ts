/**
 * The rules one by one, on synthetic resources shaped like the docker provider's inputs:
 * what counts as a secret-like variable, a pinned image, a limit, an awaited service.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isSecretLike, plaintextSecrets } from "../../../policy/rules/plaintext-secrets.ts";
import { pinnedImages, unpinnedReason } from "../../../policy/rules/pinned-images.ts";
import { resourceLimits } from "../../../policy/rules/resource-limits.ts";
import { managerCount } from "../../../policy/rules/manager-count.ts";
import { awaitedHealthchecks } from "../../../policy/rules/awaited-healthchecks.ts";
import { serviceOf, stackTier, TYPES, type StackResource } from "../../../policy/resources.ts";

const project: StackResource = { type: TYPES.project, name: "shop", urn: "urn:project", props: {} };
const environment = (tier: string, extra: Record<string, unknown> = {}): StackResource => ({
  type: TYPES.environment,
  name: "environment",
  urn: "urn:environment",
  props: { environment: tier, ...extra },
});

/** A resource under the compose project, as ComposeProject parents them. */
function child(type: string, service: string, props: Record<string, unknown>, name = `shop-${service}`): StackResource {
  const component: StackResource = { type: "compose:x:Component", name: `shop-${service}`, urn: `urn:component:${service}`, props: {}, parent: project };
  return { type, name, urn: `urn:${type}:${name}`, props, parent: component };
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

test("plaintext secrets in swarm service env and engine container envs", () => {
  const resources = [
    child(TYPES.service, "api", { taskSpec: { containerSpec: { env: { JWT_SECRET: "abc", LOG_LEVEL: "info" } } } }),
    child(TYPES.container, "worker", { envs: ["QUEUE_TOKEN=t0k", "QUEUE=jobs"] }, "shop-worker-1"),
    child(TYPES.container, "worker", { envs: ["QUEUE_TOKEN=t0k", "QUEUE=jobs"] }, "shop-worker-2"),
  ];
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
  // A value unknown during preview is not reported.
  assert.deepEqual(plaintextSecrets([child(TYPES.service, "api", { taskSpec: { containerSpec: { env: { JWT_SECRET: undefined } } } })]), []);
});

test("image references: tag, digest, registry port", () => {
  assert.equal(unpinnedReason("nginx:1.27.0"), undefined);
  assert.equal(unpinnedReason(`nginx@sha256:${"0".repeat(64)}`), undefined);
  assert.equal(unpinnedReason("127.0.0.1:5000/web:2.1"), undefined);
  assert.equal(unpinnedReason("nginx:latest"), '"nginx:latest" uses the tag "latest"');
  assert.equal(unpinnedReason("nginx"), '"nginx" has no tag, which means "latest"');
  assert.equal(unpinnedReason("127.0.0.1:5000/web"), '"127.0.0.1:5000/web" has no tag, which means "latest"');
});

test("pinned images: every image source, once per service, not in dev", () => {
  const resources = (tier: string) => [
    environment(tier),
    child(TYPES.remoteImage, "web", { name: "registry.example.com/web:latest" }),
    child(TYPES.registryImage, "web", { name: "registry.example.com/web:latest" }),
    child(TYPES.service, "web", { labels: [{ label: "com.docker.stack.image", value: "registry.example.com/web:latest" }] }),
    child(TYPES.service, "cache", { labels: [{ label: "com.docker.stack.image", value: "redis" }] }),
    child(TYPES.service, "db", { labels: [{ label: "com.docker.stack.image", value: "postgres:16.4" }] }),
  ];
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

test("resource limits in prod: swarm limits and engine container limits", () => {
  const resources = [
    environment("prod"),
    child(TYPES.service, "api", { taskSpec: { resources: { limits: { memoryBytes: 268435456, nanoCpus: 500000000 } } } }),
    child(TYPES.service, "db", { taskSpec: { resources: { limits: { memoryBytes: 1073741824 } } } }),
    child(TYPES.container, "worker", { memory: 256, cpus: "0.5" }, "shop-worker-1"),
    child(TYPES.container, "cron", {}, "shop-cron-1"),
  ];
  assert.deepEqual(resourceLimits(resources).map((violation) => violation.message), [
    "services.db.deploy.resources.limits: no cpus limit in prod; set cpus under deploy.resources.limits in the compose file, or compose-pulumi:services.db.resources.limits in the stack",
    "services.cron.deploy.resources.limits: no memory and no cpus limit in prod; set memory and cpus under deploy.resources.limits in the compose file, or compose-pulumi:services.cron.resources.limits in the stack",
  ]);
  assert.deepEqual(resourceLimits([{ ...resources[0], props: { environment: "staging" } }, ...resources.slice(1)]), []);
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

test("awaited services need a healthcheck: engine depends_on labels and waits, swarm converge waits", () => {
  const engine = [
    child(TYPES.container, "web", { labels: [{ label: "com.docker.compose.depends_on", value: "db:service_healthy:false,cache:service_started:false" }] }, "shop-web-1"),
    child(TYPES.container, "db", { wait: true }, "shop-db-1"),
    child(TYPES.container, "cache", {}, "shop-cache-1"),
  ];
  assert.deepEqual(awaitedHealthchecks(engine), [
    {
      message: 'services.db.healthcheck: "web" waits for "db" to be healthy (depends_on condition: service_healthy), but "db" has no healthcheck; add one, or wait with condition: service_started',
      urn: `urn:${TYPES.container}:shop-db-1`,
    },
  ]);
  engine[1].props.healthcheck = { tests: ["CMD", "pg_isready"] };
  assert.deepEqual(awaitedHealthchecks(engine), []);
  engine[1].props.healthcheck = { tests: ["NONE"] };
  assert.equal(awaitedHealthchecks(engine).length, 1);

  const swarm = [
    child(TYPES.service, "db", { convergeConfig: { delay: "5s", timeout: "3m" }, taskSpec: { containerSpec: {} } }),
    child(TYPES.service, "web", { taskSpec: { containerSpec: {} } }),
  ];
  assert.deepEqual(awaitedHealthchecks(swarm).map((violation) => violation.message), [
    'services.db.healthcheck: a dependent waits for "db" to be healthy (depends_on condition: service_healthy), but "db" has no healthcheck; add one, or wait with condition: service_started',
  ]);
  swarm[0].props.taskSpec.containerSpec.healthcheck = { tests: ["CMD", "pg_isready"] };
  assert.deepEqual(awaitedHealthchecks(swarm), []);
});

test("the compose service of a resource: from the project component's child name, else the compose label", () => {
  const nested: StackResource = { type: TYPES.remoteImage, name: "shop-web", urn: "urn:img", props: {}, parent: child("compose:image:Image", "web", {}) };
  assert.equal(serviceOf(nested), "web");
  assert.equal(serviceOf({ type: TYPES.container, name: "c", urn: "u", props: { labels: [{ label: "com.docker.compose.service", value: "api" }] } }), "api");
  assert.equal(serviceOf({ type: TYPES.container, name: "c", urn: "u", props: {} }), undefined);
});
