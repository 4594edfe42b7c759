/**
 * The three example applications under stacks/apps, deployed under the mock runtime:
 * exact child types, logical and physical names, the inputs that matter to each app,
 * secret marking, and the dependsOn edges that order the deployment.
 */
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { contentHash } from "../../../infra/graph/naming.ts";
import { GraphError } from "../../../infra/graph/warnings.ts";
import { hashBuildContext } from "../../../infra/graph/build-context.ts";
import { deploy, type Deployed } from "./deploy.ts";
import { APPS, loadApp } from "./apps.ts";
import type { RecordedResource } from "./recorder.ts";

const secretName = (app: string, key: string) =>
  `${app}_${key}-${contentHash(fs.readFileSync(path.join(APPS, app, "secrets", `${key}.txt`)))}`;
const label = (recorded: RecordedResource, name: string) => recorded.inputs.labels.find((l: any) => l.label === name)?.value;

describe("WordPress + MariaDB on a swarm", () => {
  let d: Deployed;
  before(async () => {
    d = await deploy("wordpress", loadApp("wordpress"), "swarm");
  });
  const service = (key: string) => d.recorder.get("docker:index/service:Service", `wordpress-${key}`);

  test("children: one network, volume, two secrets, two images, two services", () => {
    assert.deepEqual(d.children, [
      "compose:image:Image wordpress-db",
      "compose:image:Image wordpress-web",
      "compose:network:Network wordpress-wp",
      "compose:secret:Secret wordpress-db_password",
      "compose:secret:Secret wordpress-db_root_password",
      "compose:service:Service wordpress-db",
      "compose:service:Service wordpress-web",
      "compose:volume:Volume wordpress-db_data",
    ]);
    assert.deepEqual(d.component.warnings, []);
  });

  test("the overlay network is attachable and namespaced", () => {
    assert.deepEqual(d.recorder.get("docker:index/network:Network", "wordpress-wp").inputs, {
      name: "wordpress_wp",
      driver: "overlay",
      attachable: true,
      labels: [{ label: "com.docker.stack.namespace", value: "wordpress" }],
    });
  });

  test("passwords are swarm secrets with hashed names and secret data", () => {
    for (const key of ["db_password", "db_root_password"]) {
      const secret = d.recorder.get("docker:index/secret:Secret", `wordpress-${key}`);
      assert.equal(secret.inputs.name, secretName("wordpress", key));
      assert.deepEqual(secret.secretPaths, ["data"]);
      const text = fs.readFileSync(path.join(APPS, "wordpress", "secrets", `${key}.txt`), "utf8");
      assert.equal(Buffer.from(secret.inputs.data, "base64").toString("utf8"), text);
    }
  });

  test("images are built from their context and pushed to the registry in image:", () => {
    const web = d.recorder.get("docker:index/remoteImage:RemoteImage", "wordpress-web");
    assert.equal(web.inputs.name, "127.0.0.1:5000/wordpress-web:6.1.9");
    assert.equal(web.inputs.build.context, path.join(APPS, "wordpress", "web"));
    assert.deepEqual(web.inputs.build.buildArgs, { BASE: "compose-pulumi/debian:bookworm" });
    assert.deepEqual(web.inputs.triggers, { context: hashBuildContext(path.join(APPS, "wordpress", "web"), "Dockerfile") });
    const pushed = d.recorder.get("docker:index/registryImage:RegistryImage", "wordpress-web");
    assert.equal(pushed.inputs.name, "127.0.0.1:5000/wordpress-web:6.1.9");
    assert.deepEqual(pushed.inputs.authConfig, { address: "https://127.0.0.1:5000" });
    assert.equal(web.inputs.keepLocally, true, "tasks may still use the local build when the service goes");
  });

  test("an insecure registry is spoken to over HTTP", async () => {
    const t = await deploy("wpinsecure", loadApp("wordpress"), "swarm", { insecureRegistries: ["127.0.0.1:5000"] });
    assert.deepEqual(t.recorder.get("docker:index/registryImage:RegistryImage", "wpinsecure-db").inputs.authConfig, { address: "http://127.0.0.1:5000" });
  });

  test("web: 3 replicas, rolling update, published port, db password only", () => {
    const web = service("web").inputs;
    assert.equal(web.name, "wordpress_web");
    assert.deepEqual(web.mode, { replicated: { replicas: 3 } });
    assert.deepEqual(web.updateConfig, { parallelism: 1, delay: "10s", failureAction: "rollback", monitor: "30s", order: "start-first" });
    assert.deepEqual(web.rollbackConfig, { parallelism: 1, order: "stop-first" });
    assert.deepEqual(web.endpointSpec, { ports: [{ targetPort: 80, publishedPort: 8080, protocol: "tcp", publishMode: "ingress" }] });
    assert.deepEqual(web.taskSpec.restartPolicy, { condition: "on-failure", delay: "5s", window: "0s" });
    assert.deepEqual(web.taskSpec.resources, { limits: { memoryBytes: 256 * 1024 * 1024 } });
    assert.match(web.taskSpec.containerSpec.image, /^127\.0\.0\.1:5000\/wordpress-web:6\.1\.9@sha256:[0-9a-f]{64}$/);
    assert.ok(service("web").dependencies.includes(d.recorder.get("docker:index/registryImage:RegistryImage", "wordpress-web").urn));
    assert.deepEqual(web.taskSpec.containerSpec.secrets.map((s: any) => [s.secretName, s.fileName]), [[secretName("wordpress", "db_password"), "db_password"]]);
    assert.deepEqual(web.taskSpec.networksAdvanceds, [{ id: "wordpress-wp-id", aliases: ["web"] }], "attached by ID, as the provider reads it back");
    assert.equal(label(service("web"), "com.docker.stack.namespace"), "wordpress");
  });

  test("db: pinned to a manager, its volume, both passwords, waited on until healthy", () => {
    const db = service("db").inputs;
    assert.deepEqual(db.taskSpec.placement, { constraints: ["node.role == manager", "node.labels.db == true"] });
    assert.deepEqual(db.taskSpec.containerSpec.mounts, [
      { type: "volume", source: "wordpress_db_data", target: "/var/lib/mysql", volumeOptions: { labels: [{ label: "com.docker.stack.namespace", value: "wordpress" }] } },
    ]);
    assert.deepEqual(db.taskSpec.containerSpec.secrets.map((s: any) => s.fileName), ["db_password", "db_root_password"]);
    assert.deepEqual(db.convergeConfig, { delay: "2s", timeout: "5m" });
    assert.equal(service("web").inputs.convergeConfig, undefined);
  });

  test("dependsOn: web after db", () => {
    assert.ok(d.recorder.dependencyNames(service("web")).includes("docker:index/service:Service wordpress-db"));
    assert.ok(!d.recorder.dependencyNames(service("db")).includes("docker:index/service:Service wordpress-web"));
  });

  test("the test override (dnsrr, host-mode port) maps as docker stack deploy would", async () => {
    const t = await deploy("wptest", loadApp("wordpress", ["compose.test.yaml"]), "swarm");
    const web = t.recorder.get("docker:index/service:Service", "wptest-web").inputs;
    assert.deepEqual(web.endpointSpec, { mode: "dnsrr", ports: [{ targetPort: 80, protocol: "tcp", publishMode: "host" }] });
    assert.equal(t.recorder.get("docker:index/service:Service", "wptest-db").inputs.endpointSpec.mode, "dnsrr");
  });

  test("on one engine, three replicas cannot share published port 8080", async () => {
    await assert.rejects(deploy("wpengine", loadApp("wordpress"), "engine"), (error: unknown) =>
      error instanceof GraphError && error.message === "services.web.ports[0]: port 8080 is published by 3 replicas on one engine; only one container can bind it");
  });
});

describe("Flask + Redis + nginx on one engine", () => {
  let d: Deployed;
  before(async () => {
    d = await deploy("flask", loadApp("flask"), "engine");
  });
  const container = (name: string) => d.recorder.get("docker:index/container:Container", name);

  test("children and containers named as docker compose names them", () => {
    assert.deepEqual(d.children, [
      "compose:container:Container flask-nginx",
      "compose:container:Container flask-redis",
      "compose:container:Container flask-web",
      "compose:image:Image flask-nginx",
      "compose:image:Image flask-redis",
      "compose:image:Image flask-web",
      "compose:network:Network flask-backend",
      "compose:network:Network flask-frontend",
      "compose:volume:Volume flask-redis_data",
    ]);
    const containers = d.recorder.ofType("docker:index/container:Container").map((c) => [c.name, c.inputs.name]).sort();
    assert.deepEqual(containers, [
      ["flask-nginx-1", "flask-nginx-1"],
      ["flask-redis-1", "flask-redis-1"],
      ["flask-web-1", "flask-web-1"],
      ["flask-web-2", "flask-web-2"],
    ]);
  });

  test(".env interpolation reaches image tags, environment and the published port", () => {
    assert.equal(d.recorder.get("docker:index/remoteImage:RemoteImage", "flask-web").inputs.name, "127.0.0.1:5000/flask-web:1.0.0");
    assert.equal(d.recorder.get("docker:index/remoteImage:RemoteImage", "flask-redis").inputs.name, "127.0.0.1:5000/flask-redis:7.0");
    assert.deepEqual(container("flask-web-1").inputs.envs, ["APP_VERSION=1.0.0", "COUNTER_KEY=hits", "REDIS_HOST=redis", "REDIS_PORT=6379"]);
    assert.deepEqual(container("flask-nginx-1").inputs.ports, [{ internal: 80, external: 8081, protocol: "tcp" }]);
  });

  test("the process environment wins over .env", async () => {
    const project = (await import("../../../infra/compose/load.ts")).loadProject({
      files: [path.join(APPS, "flask", "compose.yaml")],
      environment: { APP_VERSION: "2.0.0", HTTP_PORT: "9000" },
    });
    const e = await deploy("flask2", project, "engine");
    assert.equal(e.recorder.get("docker:index/remoteImage:RemoteImage", "flask2-web").inputs.name, "127.0.0.1:5000/flask-web:2.0.0");
    assert.deepEqual(e.recorder.get("docker:index/container:Container", "flask2-nginx-1").inputs.ports, [{ internal: 80, external: 9000, protocol: "tcp" }]);
  });

  test("images are built on the engine, not pushed; containers run them by ID", () => {
    assert.deepEqual(d.recorder.ofType("docker:index/registryImage:RegistryImage"), []);
    const image = d.recorder.get("docker:index/remoteImage:RemoteImage", "flask-web");
    assert.equal(image.inputs.build.useLegacyBuilder, true, "the provider's Engine API build (BuildKit on this engine) unless buildx is chosen");
    assert.equal(image.inputs.keepLocally, false, "the project's own build is removed with it");
    assert.match(container("flask-web-1").inputs.image, /^sha256:[0-9a-f]{64}$/);
    assert.ok(container("flask-web-1").dependencies.includes(image.urn));
  });

  test("frontend and backend networks separate the tiers", () => {
    const networksOf = (name: string) => container(name).inputs.networksAdvanced.map((n: any) => n.name);
    assert.deepEqual(networksOf("flask-nginx-1"), ["flask_frontend"]);
    assert.deepEqual(networksOf("flask-web-1"), ["flask_backend", "flask_frontend"]);
    assert.deepEqual(networksOf("flask-redis-1"), ["flask_backend"]);
    assert.deepEqual(container("flask-web-2").inputs.networksAdvanced[0].aliases, ["web"]);
    assert.deepEqual(d.recorder.get("docker:index/network:Network", "flask-frontend").inputs.labels, [
      { label: "com.docker.compose.network", value: "frontend" },
      { label: "com.docker.compose.project", value: "flask" },
    ]);
  });

  test("compose labels let `docker compose -p flask ps` find the containers", () => {
    const web2 = container("flask-web-2");
    assert.equal(label(web2, "com.docker.compose.project"), "flask");
    assert.equal(label(web2, "com.docker.compose.service"), "web");
    assert.equal(label(web2, "com.docker.compose.container-number"), "2");
    assert.equal(label(web2, "com.docker.compose.oneoff"), "False");
    assert.equal(label(web2, "com.docker.compose.depends_on"), "redis:service_healthy:false");
    assert.match(label(web2, "com.docker.compose.config-hash"), /^[0-9a-f]{64}$/);
  });

  test("healthchecks: waited for where a dependent needs the service healthy", () => {
    assert.deepEqual(container("flask-web-1").inputs.healthcheck, {
      tests: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:5000/healthz"],
      interval: "5s",
      timeout: "3s",
      startPeriod: "10s",
      retries: 5,
    });
    assert.equal(container("flask-redis-1").inputs.wait, true);
    assert.equal(container("flask-web-1").inputs.wait, true);
    assert.equal(container("flask-web-1").inputs.waitTimeout, 60);
    assert.equal(container("flask-nginx-1").inputs.wait, undefined);
  });

  test("dependsOn: redis, then both web replicas, then nginx", () => {
    const deps = (name: string) => d.recorder.dependencyNames(container(name)).filter((n) => n.startsWith("docker:index/container"));
    assert.deepEqual(deps("flask-redis-1"), []);
    assert.deepEqual(deps("flask-web-1"), ["docker:index/container:Container flask-redis-1"]);
    assert.deepEqual(deps("flask-nginx-1"), ["docker:index/container:Container flask-web-1", "docker:index/container:Container flask-web-2"]);
  });

  test("redis keeps its data in the project volume", () => {
    assert.deepEqual(d.recorder.get("docker:index/volume:Volume", "flask-redis_data").inputs.name, "flask_redis_data");
    assert.deepEqual(container("flask-redis-1").inputs.mounts, [{ type: "volume", source: "flask_redis_data", target: "/data" }]);
  });
});

describe("Postgres + migration job + app on a swarm", () => {
  let d: Deployed;
  before(async () => {
    d = await deploy("postgres", loadApp("postgres"), "swarm");
  });
  const service = (key: string) => d.recorder.get("docker:index/service:Service", `postgres-${key}`);
  const job = () => d.recorder.get("command:local:Command", "postgres-migrate");

  test("children: migrate is a Job, db and app are services", () => {
    assert.deepEqual(d.children, [
      "compose:image:Image postgres-app",
      "compose:image:Image postgres-db",
      "compose:image:Image postgres-migrate",
      "compose:job:Job postgres-migrate",
      "compose:network:Network postgres-default",
      "compose:secret:Secret postgres-app_password",
      "compose:secret:Secret postgres-pg_owner_password",
      "compose:secret:Secret postgres-pg_superuser_password",
      "compose:service:Service postgres-app",
      "compose:service:Service postgres-db",
      "compose:volume:Volume postgres-pg_data",
    ]);
    assert.deepEqual(d.component.warnings, []);
  });

  test("only db and the migration job get the owner password", () => {
    const owner = secretName("postgres", "pg_owner_password");
    const secretsOf = (key: string) => service(key).inputs.taskSpec.containerSpec.secrets.map((s: any) => s.secretName).sort();
    assert.deepEqual(secretsOf("db"), [owner, secretName("postgres", "pg_superuser_password")].sort());
    assert.deepEqual(secretsOf("app"), [secretName("postgres", "app_password")]);
    assert.ok(job().inputs.create.includes(`--secret source=${owner},target=pg_owner_password,uid=0,gid=0,mode=0444`));
    assert.ok(job().inputs.create.includes(`--secret source=${secretName("postgres", "app_password")},target=app_password,uid=0,gid=0,mode=0444`));
  });

  test("the job runs as a replicated-job service that must complete", () => {
    const create: string = job().inputs.create;
    assert.match(create, /^docker service create --detach --quiet --name postgres_migrate --mode replicated-job --restart-condition none --replicas 1 /m);
    assert.match(create, / 127\.0\.0\.1:5000\/postgres-migrate:1\.0\.0@sha256:[0-9a-f]{64} >\/dev\/null$/m);
    assert.match(create, /--network name=postgres_default,alias=migrate/);
    assert.match(create, /grep -Eqx 'Failed\|Rejected\|Orphaned'; then fail "a task did not complete"/);
    assert.match(create, /^# inputs: secret\.app_password=[0-9a-f]{8} secret\.pg_owner_password=[0-9a-f]{8}$/m);
    assert.equal(job().inputs.delete, "docker service rm postgres_migrate >/dev/null 2>&1 || true\n");
    // A swarm job copies nothing in: no stdin, and its environment only says where docker is.
    assert.deepEqual(job().secretPaths, []);
    assert.equal(job().inputs.stdin, undefined);
    assert.deepEqual(job().inputs.environment, { DOCKER_HOST: "unix:///run/test-docker.sock" });
  });

  test("dependsOn: migrate after db is healthy; app after both", () => {
    assert.ok(d.recorder.dependencyNames(job()).includes("docker:index/service:Service postgres-db"));
    const appDeps = d.recorder.dependencyNames(service("app"));
    assert.ok(appDeps.includes("command:local:Command postgres-migrate"));
    assert.ok(appDeps.includes("docker:index/service:Service postgres-db"));
    assert.deepEqual(service("db").inputs.convergeConfig, { delay: "2s", timeout: "5m" });
  });

  test("app: 2 replicas, start-first updates", () => {
    assert.deepEqual(service("app").inputs.mode, { replicated: { replicas: 2 } });
    assert.deepEqual(service("app").inputs.updateConfig, { parallelism: 1, order: "start-first" });
  });

  test("on one engine, the app's two replicas cannot share published port 8082", async () => {
    await assert.rejects(deploy("pgengine", loadApp("postgres"), "engine"), (error: unknown) =>
      error instanceof GraphError && error.message === "services.app.ports[0]: port 8082 is published by 2 replicas on one engine; only one container can bind it");
  });
});
