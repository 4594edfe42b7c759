/**
 * From stack configuration to the compose project a stack deploys: overrides, secrets
 * from config, problems positioned in the stack file; and the URLs the stack outputs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readStackConfig, StackConfigError, type StackConfig } from "../../../stacks/config.ts";
import { loadStackProject } from "../../../stacks/project.ts";
import { withTag } from "../../../infra/app/overrides.ts";
import { secretVariable } from "../../../infra/app/secrets.ts";
import { hostOfDockerEndpoint, primaryUrl, serviceUrls } from "../../../infra/app/endpoints.ts";

const STACKS = path.resolve(import.meta.dirname, "../../../stacks");

function config(stack: string, values: Record<string, unknown>, secret: string[] = []): StackConfig {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) raw[`compose-pulumi:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  return readStackConfig({ stack, values: raw, secretKeys: new Set(secret.map((key) => `compose-pulumi:${key}`)) });
}

const wordpress = { compose: { files: ["apps/wordpress/compose.yaml"] } };
const load = (c: StackConfig, file?: { display: string; text: string }) => loadStackProject(c, { baseDir: STACKS, processEnv: {}, file });

test("overrides: replicas, resources in canonical units and image tags, per service", () => {
  const { project } = load(
    config("dev", {
      ...wordpress,
      target: "engine",
      compose: { files: ["apps/wordpress/compose.yaml"], variables: { WORDPRESS_PORT: "9000" } },
      services: { web: { replicas: 1, tag: "6.1.10", resources: { limits: { cpus: "0.5" } } }, db: { image: "mariadb:11.4" } },
    }),
  );
  const web = project.services.web;
  assert.equal(web.deploy?.replicas, 1);
  assert.equal(web.image, "127.0.0.1:5000/wordpress-web:6.1.10");
  // The compose file's memory limit stays; the stack adds a CPU limit.
  assert.deepEqual(web.deploy?.resources?.limits, { memory: 256 * 1024 * 1024, cpus: 0.5 });
  assert.equal(project.services.db.image, "mariadb:11.4");
  assert.equal(project.services.web.ports?.[0]?.published, "9000");
});

test("the stack's variables win over the process environment", () => {
  const { project } = loadStackProject(config("dev", { target: "engine", compose: { files: ["apps/wordpress/compose.yaml"], variables: { WORDPRESS_TAG: "7.0" } } }), {
    baseDir: STACKS,
    processEnv: { WORDPRESS_TAG: "5.0", MARIADB_TAG: "10.6" },
  });
  assert.equal(project.services.web.image, "127.0.0.1:5000/wordpress-web:7.0");
  assert.equal(project.services.db.image, "127.0.0.1:5000/wordpress-db:10.6");
});

test("overrides that do not fit the project are positioned in the stack file", () => {
  const text = ["config:", "  compose-pulumi:services:", "    wbe:", "      replicas: 2", "  compose-pulumi:secrets:", "    db_pasword:", "      secure: v1:abc", ""].join("\n");
  const c = config("dev", { ...wordpress, target: "engine", services: { wbe: { replicas: 2 } }, secrets: { db_pasword: "x" } }, ["secrets"]);
  assert.throws(
    () => load(c, { display: "stacks/Pulumi.dev.yaml", text }),
    (error: unknown) => {
      assert.ok(error instanceof StackConfigError);
      assert.deepEqual(error.message.split("\n"), [
        'stacks/Pulumi.dev.yaml:3:5: compose-pulumi:services.wbe: no service "wbe" in compose project "wordpress" (services: web, db)',
        'stacks/Pulumi.dev.yaml:6:5: compose-pulumi:secrets.db_pasword: no secret "db_pasword" in compose project "wordpress" (secrets: db_password, db_root_password)',
      ]);
      return true;
    },
  );
});

test("staging and prod take every secret from the stack configuration", () => {
  for (const stack of ["staging", "prod"]) {
    assert.throws(
      () => load(config(stack, { ...wordpress, target: "swarm", secrets: { db_password: "from-config" } }, ["secrets"])),
      (error: unknown) => {
        assert.ok(error instanceof StackConfigError);
        assert.equal(
          error.message,
          `Pulumi.${stack}.yaml: compose-pulumi:secrets.db_root_password: is required in a ${stack} stack (the compose file's source is for development): ` +
            "pulumi config set --secret --path 'secrets.db_root_password' <value>",
        );
        return true;
      },
    );
  }
});

test("a configured secret replaces the compose file's source; its value stays out of the model", () => {
  const { project, environment } = load(config("staging", { ...wordpress, target: "swarm", secrets: { db_password: "pw-one", db_root_password: "pw-two" } }, ["secrets"]));
  assert.deepEqual(project.secrets?.db_password, { name: "wordpress_db_password", environment: "COMPOSE_PULUMI_SECRET_DB_PASSWORD" });
  assert.equal(secretVariable("db_root_password"), "COMPOSE_PULUMI_SECRET_DB_ROOT_PASSWORD");
  assert.equal(environment.COMPOSE_PULUMI_SECRET_DB_PASSWORD, "pw-one");
  assert.equal(environment.COMPOSE_PULUMI_SECRET_DB_ROOT_PASSWORD, "pw-two");
  assert.ok(!JSON.stringify(project).includes("pw-one"));
});

test("dev keeps the development files for secrets without a configured value", () => {
  const { project } = load(config("dev", { ...wordpress, target: "engine" }));
  assert.equal(project.secrets?.db_password?.file, path.join(STACKS, "apps/wordpress/secrets/db_password.txt"));
});

test("withTag keeps the registry and its port, and replaces a digest", () => {
  assert.equal(withTag("nginx", "1.27"), "nginx:1.27");
  assert.equal(withTag("nginx:1.26", "1.27"), "nginx:1.27");
  assert.equal(withTag("127.0.0.1:5000/web:1.0.0", "1.0.1"), "127.0.0.1:5000/web:1.0.1");
  assert.equal(withTag("127.0.0.1:5000/web", "1.0.1"), "127.0.0.1:5000/web:1.0.1");
  assert.equal(withTag(`nginx@sha256:${"a".repeat(64)}`, "1.27"), "nginx:1.27");
});

test("the host of a docker endpoint", () => {
  assert.equal(hostOfDockerEndpoint("unix:///var/run/docker.sock"), "127.0.0.1");
  assert.equal(hostOfDockerEndpoint("npipe:////./pipe/docker_engine"), "127.0.0.1");
  assert.equal(hostOfDockerEndpoint("tcp://203.0.113.5:2376"), "203.0.113.5");
  assert.equal(hostOfDockerEndpoint("ssh://deploy@manager-1.example.com:2222"), "manager-1.example.com");
  assert.equal(hostOfDockerEndpoint("ssh://root@[2001:db8::1]:22"), "[2001:db8::1]");
});

test("URLs: published TCP ports of long-running services, bound addresses kept, jobs skipped", () => {
  const { project } = load(config("dev", { ...wordpress, target: "engine" }));
  assert.deepEqual(serviceUrls(project, "127.0.0.1"), { web: ["http://127.0.0.1:8080/"] });
  const postgres = loadStackProject(config("dev", { target: "engine", compose: { files: ["apps/postgres/compose.yaml"] } }), { baseDir: STACKS, processEnv: {} }).project;
  assert.deepEqual(serviceUrls(postgres, "shop.example.com"), { app: ["http://shop.example.com:8082/"] });
  const bound = { ...project, services: { ...project.services, web: { ...project.services.web, ports: [{ target: 443, published: "8443", host_ip: "127.0.0.1", protocol: "tcp" }] } } } as unknown as typeof project;
  assert.deepEqual(serviceUrls(bound, "example.com"), { web: ["https://127.0.0.1:8443/"] });
  assert.equal(primaryUrl({ web: ["http://a:1/", "http://a:2/"] }), "http://a:1/");
  assert.equal(primaryUrl({}), undefined);
});
