import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  completeModel,
  isValidProjectName,
  normalizeModel,
  normalizeProjectName,
} from "../../../infra/compose/normalize.ts";
import { errorsOf, load, writeProject } from "./assembly-helpers.ts";

describe("completeModel: defaults compose-go always fills", () => {
  it("fills depends_on, port and env_file defaults, and folds the legacy external name", () => {
    const model = completeModel(
      {
        version: "3.9",
        services: {
          web: {
            depends_on: { db: {}, cache: { condition: "service_healthy", required: false } },
            ports: [{ target: 80 }, { target: 53, protocol: "udp", mode: "host" }],
            env_file: [{ path: "/p/a.env" }, { path: "/p/b.env", required: false }],
          },
        },
        networks: { outside: { external: { name: "corp" } } },
      },
      {},
    );
    assert.deepEqual(model, {
      services: {
        web: {
          depends_on: {
            db: { condition: "service_started", required: true },
            cache: { condition: "service_healthy", required: false },
          },
          ports: [
            { target: 80, mode: "ingress", protocol: "tcp" },
            { target: 53, protocol: "udp", mode: "host" },
          ],
          env_file: [
            { path: "/p/a.env", required: true },
            { path: "/p/b.env", required: false },
          ],
        },
      },
      networks: { outside: { external: true, name: "corp" } },
    });
  });

  it("takes valueless environment entries and build args from the environment", () => {
    const model = completeModel(
      { services: { web: { environment: { SET: "x", FROM_ENV: null, MISSING: null }, build: { context: "/c", args: { A: null, B: null, C: "c" } } } } },
      { FROM_ENV: "from-env", A: "a" },
    );
    assert.deepEqual(model.services, {
      web: { environment: { SET: "x", FROM_ENV: "from-env", MISSING: null }, build: { context: "/c", args: { A: "a", C: "c" } } },
    });
  });
});

describe("normalizeModel: compose-go Normalize", () => {
  it("attaches services without networks to an implicit default network", () => {
    const model = normalizeModel(
      {
        services: {
          plain: { image: "a" },
          empty: { image: "b", networks: {} },
          explicit: { image: "c", networks: { front: null } },
          host: { image: "d", network_mode: "host" },
        },
        networks: { front: {} },
      },
      { projectName: "demo" },
    );
    const services = model.services as Record<string, Record<string, unknown>>;
    assert.deepEqual(services.plain.networks, { default: null });
    assert.deepEqual(services.empty.networks, { default: null });
    assert.deepEqual(services.explicit.networks, { front: null });
    assert.equal(services.host.networks, undefined);
    assert.deepEqual(model.networks, { front: { name: "demo_front" }, default: { name: "demo_default" } });
  });

  it("adds no default network when no service uses it", () => {
    const model = normalizeModel({ services: { a: { image: "a", network_mode: "none" } } }, { projectName: "p" });
    assert.equal(model.networks, undefined);
  });

  it("names resources <project>_<key>, external ones by their key, explicit names as written", () => {
    const model = normalizeModel(
      {
        services: {},
        volumes: { data: {}, shared: { external: true }, named: { name: "custom" } },
        secrets: { token: { file: "/t" }, ext: { external: true } },
        configs: { conf: { content: "x" } },
      },
      { projectName: "shop" },
    );
    assert.deepEqual(model.volumes, { data: { name: "shop_data" }, shared: { external: true, name: "shared" }, named: { name: "custom" } });
    assert.deepEqual(model.secrets, { token: { file: "/t", name: "shop_token" }, ext: { external: true, name: "ext" } });
    assert.deepEqual(model.configs, { conf: { content: "x", name: "shop_conf" } });
  });

  it("adds the dependencies implied by links, volumes_from and service: namespaces", () => {
    const model = normalizeModel(
      {
        services: {
          web: {
            image: "w",
            links: ["db:database"],
            volumes_from: ["data:ro", "container:abc"],
            ipc: "service:shm",
            depends_on: { db: { condition: "service_healthy", required: true } },
          },
        },
      },
      { projectName: "p" },
    );
    const web = (model.services as Record<string, Record<string, unknown>>).web;
    assert.deepEqual(web.depends_on, {
      db: { condition: "service_healthy", required: true },
      shm: { condition: "service_started", restart: true, required: true },
      data: { condition: "service_started", restart: false, required: true },
    });
  });

  it("fills command, entrypoint, the default Dockerfile and spells pull_policy if_not_present as missing", () => {
    const model = normalizeModel(
      { services: { a: { build: { context: "/a" }, pull_policy: "if_not_present" }, b: { build: { context: "/b", dockerfile_inline: "FROM x" }, command: ["x"] } } },
      { projectName: "p" },
    );
    const services = model.services as Record<string, Record<string, unknown>>;
    assert.deepEqual(
      { build: services.a.build, command: services.a.command, entrypoint: services.a.entrypoint, pull_policy: services.a.pull_policy },
      { build: { context: "/a", dockerfile: "Dockerfile" }, command: null, entrypoint: null, pull_policy: "missing" },
    );
    assert.deepEqual(services.b.build, { context: "/b", dockerfile_inline: "FROM x" });
    assert.deepEqual(services.b.command, ["x"]);
  });
});

describe("project name", () => {
  it("normalizes names taken from files and directories like compose-go", () => {
    assert.equal(normalizeProjectName("My_Project.v2!"), "my_projectv2");
    assert.equal(normalizeProjectName("__-Web"), "web");
    assert.equal(isValidProjectName("web-1_a"), true);
    assert.equal(isValidProjectName("Web"), false);
    assert.equal(isValidProjectName(""), false);
  });

  const project = () =>
    writeProject({
      "My App/compose.yaml": "services:\n  web:\n    image: web:${COMPOSE_PROJECT_NAME}\n",
      "My App/named.yaml": "name: from-file\nservices:\n  web:\n    image: web\n",
      "My App/renamed.yaml": "name: ${TEAM}-later\n",
      "My App/.env": "TEAM=ops\n",
    });

  it("falls back to the project directory's name, normalized, and exposes it to interpolation", () => {
    const dir = project();
    const loaded = load(dir, ["My App/compose.yaml"]);
    assert.equal(loaded.name, "myapp");
    assert.equal(loaded.services.web.image, "web:myapp");
  });

  it("takes the last name: of the files, interpolated", () => {
    const dir = project();
    assert.equal(load(dir, ["My App/named.yaml"]).name, "from-file");
    assert.equal(load(dir, ["My App/named.yaml", "My App/renamed.yaml"]).name, "ops-later");
  });

  it("prefers --project-name, then COMPOSE_PROJECT_NAME", () => {
    const dir = project();
    assert.equal(load(dir, ["My App/named.yaml"], { environment: { COMPOSE_PROJECT_NAME: "from-env" } }).name, "from-env");
    assert.equal(load(dir, ["My App/named.yaml"], { projectName: "cli", environment: { COMPOSE_PROJECT_NAME: "from-env" } }).name, "cli");
  });

  it("rejects an invalid name given on the command line or in the environment", () => {
    const dir = project();
    assert.deepEqual(errorsOf(dir, () => load(dir, ["My App/named.yaml"], { projectName: "Bad Name" })), [
      '--project-name: invalid project name "Bad Name": use lowercase letters, digits, "_" and "-", starting with a letter or digit',
    ]);
    assert.deepEqual(errorsOf(dir, () => load(dir, ["My App/named.yaml"], { environment: { COMPOSE_PROJECT_NAME: "-x" } })), [
      'COMPOSE_PROJECT_NAME: invalid project name "-x": use lowercase letters, digits, "_" and "-", starting with a letter or digit',
    ]);
  });
});
