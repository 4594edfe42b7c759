/**
 * ComposeApp under the mock runtime: from compose files a user has (web, api, postgres
 * with a healthcheck, a migration one-shot, redis) to the resources, outputs, one error
 * listing every problem, and secrets that stay secret.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { ComposeApp, ComposeAppError, type ComposeAppArgs } from "../../../components/compose-app.ts";
import { ResourceRecorder } from "../graph/recorder.ts";
import { writeProject } from "../compose/assembly-helpers.ts";

const SHOP = `name: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    depends_on: [api]
  api:
    image: shop/api:1.4.0
    environment:
      DB_HOST: db
      DB_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
    ports: ["127.0.0.1:9000:9000"]
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
      redis: { condition: service_started }
  db:
    image: postgres:16.4
    secrets: [db_password]
    healthcheck:
      test: ["CMD", "pg_isready"]
    volumes: [db_data:/var/lib/postgresql/data]
  migrate:
    image: shop/api:1.4.0
    command: ["migrate"]
    secrets: [db_password]
    depends_on:
      db: { condition: service_healthy }
  redis:
    image: redis:7.4
volumes:
  db_data: {}
secrets:
  db_password:
    file: ./secrets/db_password.txt
`;

const DEV_PASSWORD = "dev-only-password";

function shopDir(): string {
  return writeProject({ "compose.yaml": SHOP, "secrets/db_password.txt": DEV_PASSWORD });
}

/** The value of an output under the mocks. */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

async function deployApp(name: string, args: ComposeAppArgs, opts?: pulumi.ComponentResourceOptions) {
  const recorder = ResourceRecorder.install({ stack: "dev" });
  try {
    const app = new ComposeApp(name, args, opts);
    await app.ready;
    await recorder.created(app);
    return { app, recorder };
  } finally {
    recorder.dispose();
  }
}

/** The problems of a ComposeAppError thrown by `construct`, with `dir` written as <dir>. */
function problemsOf(construct: () => unknown, dir: string): string[] {
  const recorder = ResourceRecorder.install();
  try {
    construct();
  } catch (error) {
    assert.ok(error instanceof ComposeAppError, `expected a ComposeAppError, got ${error}`);
    assert.ok(pulumi.RunError.isInstance(error), "a RunError: Pulumi shows it without a stack trace");
    return error.problems.map((line) => line.split(dir).join("<dir>"));
  } finally {
    recorder.dispose();
  }
  assert.fail("expected a ComposeAppError");
}

describe("ComposeApp", () => {
  test("engine: containers, job, volume and a provider for dockerHost; outputs", async () => {
    const dir = shopDir();
    const { app, recorder } = await deployApp("shop", {
      files: [path.join(dir, "compose.yaml")],
      target: "engine",
      dockerHost: pulumi.output("ssh://deploy@203.0.113.5"),
      processEnv: {},
    });
    assert.equal(app.projectName, "shop");
    assert.deepEqual(app.serviceNames, ["web", "api", "db", "migrate", "redis"]);

    const provider = recorder.get("pulumi:providers:docker", "shop-docker");
    assert.equal(provider.inputs.host, "ssh://deploy@203.0.113.5");
    const containers = recorder.ofType("docker:index/container:Container").map((c) => c.name).sort();
    assert.deepEqual(containers, ["shop-api-1", "shop-db-1", "shop-redis-1", "shop-web-1"]);
    for (const name of containers) {
      assert.ok(recorder.get("docker:index/container:Container", name).provider?.startsWith(`${provider.urn}::`), `${name} uses the app's provider`);
    }
    assert.equal(recorder.get("docker:index/volume:Volume", "shop-db_data").inputs.name, "shop_db_data");
    assert.equal(recorder.get("command:local:Command", "shop-migrate").parent, recorder.get("compose:job:Job", "shop-migrate").urn);
    const inner = recorder.get("compose:project:ComposeProject", "shop");
    assert.equal(inner.parent, recorder.get("compose:app:ComposeApp", "shop").urn);

    assert.deepEqual(await valueOf(app.urls), { web: ["http://203.0.113.5:8080/"], api: ["http://127.0.0.1:9000/"] });
    assert.equal(await valueOf(app.url), "http://203.0.113.5:8080/");
    assert.deepEqual(await valueOf(app.services), {
      web: ["shop-web-1"],
      api: ["shop-api-1"],
      db: ["shop-db-1"],
      migrate: ["shop-migrate-1"],
      redis: ["shop-redis-1"],
    });
    const images = await valueOf(app.images);
    assert.deepEqual(Object.keys(images).sort(), ["api", "db", "migrate", "redis", "web"]);
    assert.match(images.web, /^sha256:[0-9a-f]{64}$/);
  });

  test("swarm on a given provider: services, the environment record, overrides applied", async () => {
    const dir = shopDir();
    const recorder = ResourceRecorder.install({ stack: "prod" });
    try {
      const provider = new docker.Provider("cluster-docker", { host: "ssh://root@10.0.0.1:22" });
      const app = new ComposeApp("shop", {
        files: [path.join(dir, "compose.yaml")],
        target: "swarm",
        provider,
        environment: "prod",
        secrets: { db_password: "prod-password" },
        overrides: { web: { replicas: 3, tag: "1.27.1", resources: { limits: { cpus: "0.5", memory: "256M" } } } },
        processEnv: {},
      });
      await app.ready;
      await recorder.created(app);
      assert.equal(recorder.ofType("pulumi:providers:docker").length, 1, "no provider of its own");
      const web = recorder.get("docker:index/service:Service", "shop-web");
      assert.equal(web.inputs.mode.replicated.replicas, 3);
      assert.equal(web.inputs.taskSpec.resources.limits.memoryBytes, 256 * 1024 * 1024);
      assert.equal(web.inputs.taskSpec.resources.limits.nanoCpus, 500_000_000);
      assert.match(web.inputs.taskSpec.containerSpec.image, /^nginx:1\.27\.1@sha256:/);
      const environment = recorder.get("compose:stack:Environment", "shop-environment");
      assert.deepEqual(environment.inputs, { environment: "prod", stack: "prod", target: "swarm", project: "shop" });
      assert.deepEqual(await valueOf(app.urls), { web: ["http://10.0.0.1:8080/"], api: ["http://127.0.0.1:9000/"] });
      assert.deepEqual((await valueOf(app.services)).web, ["shop_web"]);
    } finally {
      recorder.dispose();
    }
  });

  test("a configured secret replaces the file and stays secret, given plainly or as an output", async () => {
    for (const secrets of [
      { db_password: "configured-password" },
      { db_password: pulumi.secret("configured-password") },
      pulumi.secret({ db_password: "configured-password" }),
    ] as ComposeAppArgs["secrets"][]) {
      const dir = shopDir();
      const { recorder } = await deployApp("shop", { files: [path.join(dir, "compose.yaml")], target: "swarm", secrets, processEnv: {} });
      const secret = recorder.ofType("docker:index/secret:Secret")[0];
      assert.equal(Buffer.from(secret.inputs.data, "base64").toString(), "configured-password");
      assert.ok(secret.secretPaths.includes("data"), "the content is a Pulumi secret");
      assert.match(secret.inputs.name, /^shop_db_password-[0-9a-f]{8}$/);
      const everything = JSON.stringify(recorder.resources.map((r) => ({ ...r, inputs: r.secretPaths.includes("data") ? {} : r.inputs })));
      assert.ok(!everything.includes("configured-password") && !everything.includes(DEV_PASSWORD), "no secret value outside secret inputs");
    }
  });

  test("in a preview, a secret not known yet (another resource's output) stands as a placeholder", async () => {
    const dir = shopDir();
    const recorder = ResourceRecorder.install({ preview: true });
    try {
      const notYetKnown = pulumi.output(pulumi.unknown as unknown as string);
      for (const [name, secrets] of [["one", { db_password: notYetKnown }], ["whole", notYetKnown.apply(() => ({ db_password: "x" }))]] as const) {
        const app = new ComposeApp(name, { files: [path.join(dir, "compose.yaml")], projectName: `shop-${name}`, target: "swarm", secrets, processEnv: {} });
        await app.ready;
        await recorder.created(app);
        const [secret] = recorder.ofType("docker:index/secret:Secret").filter((r) => r.name === `${name}-db_password`);
        assert.equal(Buffer.from(secret.inputs.data, "base64").toString(), "(known after the deployment)", name);
        assert.match(secret.inputs.name, new RegExp(`^shop-${name}_db_password-[0-9a-f]{8}$`));
      }
    } finally {
      recorder.dispose();
    }
  });

  test("compose errors: one error listing every problem with file, line, column and path", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    imagee: nginx\n    ports: ['80:80:80/tcp']\n",
      "override.yaml": "services:\n  api:\n    image: api\n    deploy:\n      replicas: many\n",
    });
    const problems = problemsOf(() => new ComposeApp("shop", { files: [path.join(dir, "compose.yaml"), path.join(dir, "override.yaml")], target: "engine", processEnv: {} }), dir);
    assert.deepEqual(problems, [
      '<dir>/compose.yaml:3:5: services.web.imagee: unknown key "imagee" (did you mean "image"?)',
      '<dir>/compose.yaml:4:13: services.web.ports[0]: invalid port "80:80:80/tcp": invalid IP address "80"',
      '<dir>/override.yaml:5:17: services.api.deploy.replicas: failed to cast to expected type: strconv.Atoi: parsing "many": invalid syntax',
    ]);
  });

  test("argument errors are reported together, and relative files are shown as given", () => {
    const dir = shopDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const problems = problemsOf(
        () =>
          new ComposeApp("shop", {
            files: ["compose.yaml"],
            target: "nomad" as "swarm",
            environment: "staging",
            overrides: { wbe: { replicas: 2 }, web: { replicas: -1, image: "nginx", tag: "2" } },
            secrets: { db_pasword: "x" },
            processEnv: {},
          }),
        dir,
      );
      assert.deepEqual(problems, [
        'ComposeApp "shop": target: must be "engine", "swarm" or "kubernetes", got "nomad"',
        'ComposeApp "shop": overrides.web.replicas: must be at least 0, got -1',
        'ComposeApp "shop": overrides.web.tag: set either image or tag, not both',
        'ComposeApp "shop": overrides.wbe: no service "wbe" in compose project "shop" (services: web, api, db, migrate, redis)',
        'ComposeApp "shop": secrets.db_pasword: no secret "db_pasword" in compose project "shop" (secrets: db_password)',
        "ComposeApp \"shop\": secrets.db_password: is required in a staging stack (the compose file's source is for development): pulumi config set --secret --path 'secrets.db_password' <value>",
      ]);
      const missing = problemsOf(() => new ComposeApp("shop", { files: ["nope.yaml"], target: "engine", processEnv: {} }), dir);
      assert.deepEqual(missing, ["nope.yaml: cannot read file: no such file"]);
    } finally {
      process.chdir(cwd);
    }
  });

  test("what the target cannot run is a ComposeAppError, and a secret's value never shows in one", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    ports: ['8080:80']\n    deploy: {replicas: 2}\n    secrets: [token]\nsecrets:\n  token:\n    file: ./missing.txt\n",
    });
    const problems = problemsOf(() => new ComposeApp("shop", { files: [path.join(dir, "compose.yaml")], target: "engine", processEnv: {} }), dir);
    assert.deepEqual(problems, [
      "services.web.ports[0]: port 8080 is published by 2 replicas on one engine; only one container can bind it",
      'secrets.token.file: cannot read "<dir>/missing.txt": no such file',
    ]);
  });

  test("a secrets record given as an output is checked once known, in the app's ready promise", async () => {
    const dir = shopDir();
    const recorder = ResourceRecorder.install();
    try {
      const app = new ComposeApp("shop", { files: [path.join(dir, "compose.yaml")], target: "engine", secrets: pulumi.secret({ db_pasword: "hidden-value" }), processEnv: {} });
      await assert.rejects(app.ready, (error: unknown) => {
        assert.ok(error instanceof ComposeAppError);
        assert.deepEqual(error.problems, ['ComposeApp "shop": secrets.db_pasword: no secret "db_pasword" in compose project "shop" (secrets: db_password)']);
        assert.ok(!error.message.includes("hidden-value"));
        return true;
      });
    } finally {
      recorder.dispose();
    }
  });
});

test("the shop fixture's secret file is the development value", () => {
  assert.equal(fs.readFileSync(path.join(shopDir(), "secrets/db_password.txt"), "utf8"), DEV_PASSWORD);
});
