import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { errorsOf, load, loadUnchecked, writeProject } from "./assembly-helpers.ts";
import { COMPOSE_GO_TESTDATA, FIXTURES_MISSING } from "./fixture-paths.ts";

type Services = Record<string, Record<string, unknown>>;

describe("include", () => {
  it("imports the services, networks and volumes of another project (short form)", () => {
    const dir = writeProject({
      "compose.yaml": "include:\n  - lib/db.yaml\nservices:\n  web:\n    image: web\n    depends_on: [db]\n    networks: [back]\n",
      "lib/db.yaml": "services:\n  db:\n    image: postgres\n    volumes: ['data:/var/lib/postgresql/data', './init:/docker-entrypoint-initdb.d']\n    networks: [back]\nnetworks:\n  back: {}\nvolumes:\n  data: {}\n",
    });
    const project = load(dir, ["compose.yaml"]);
    assert.deepEqual(Object.keys(project.services).sort(), ["db", "web"]);
    assert.deepEqual(Object.keys(project.networks ?? {}).sort(), ["back"]);
    assert.deepEqual(Object.keys(project.volumes ?? {}), ["data"]);
    assert.equal(project.services.db.volumes?.[1].source, path.join(dir, "lib/init"));
  });

  it("resolves the included files' paths against project_directory and reads its env_file for interpolation", () => {
    const dir = writeProject({
      "compose.yaml": [
        "include:",
        "  - path: [lib/app.yaml, lib/app.override.yaml]",
        "    project_directory: srv",
        "    env_file: lib/app.env",
        "",
      ].join("\n"),
      "lib/app.yaml": "services:\n  app:\n    image: app:${APP_TAG}\n    build: .\n    environment: {WHO: '${WHO}'}\n",
      "lib/app.override.yaml": "services:\n  app:\n    volumes: ['./cache:/cache']\n",
      "lib/app.env": "APP_TAG=1.2\nWHO=from-env-file\n",
    });
    const app = load(dir, ["compose.yaml"], { environment: { HOME: "/home/tester", WHO: "from-process" } }).services.app;
    assert.equal(app.image, "app:1.2");
    assert.deepEqual(app.environment, { WHO: "from-process" });
    assert.equal(app.build?.context, path.join(dir, "srv"));
    assert.equal(app.volumes?.[0].source, path.join(dir, "srv/cache"));
  });

  it("uses the .env of the included project's directory when no env_file is given", () => {
    const dir = writeProject({
      "compose.yaml": "include:\n  - sub/compose.yaml\n",
      "sub/compose.yaml": "services:\n  s:\n    image: s:${TAG}\n",
      "sub/.env": "TAG=7\n",
    });
    assert.equal(load(dir, ["compose.yaml"]).services.s.image, "s:7");
  });

  it("accepts a resource declared identically on both sides and rejects a different one", () => {
    const dir = writeProject({
      "compose.yaml": "include:\n  - lib.yaml\nnetworks:\n  shared: {driver: bridge}\nservices:\n  db:\n    image: mysql\n",
      "lib.yaml": "networks:\n  shared: {driver: bridge}\nservices:\n  db:\n    image: postgres\n",
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      '<dir>/compose.yaml:6:3: services.db: conflicts with service "db" imported by include[0] (<dir>/lib.yaml)',
    ]);
  });

  it("reports an include cycle through several files", () => {
    const dir = writeProject({
      "compose.yaml": "include:\n  - a.yaml\nservices:\n  top:\n    image: t\n",
      "a.yaml": "include:\n  - b.yaml\nservices:\n  a:\n    image: a\n",
      "b.yaml": "include:\n  - a.yaml\nservices:\n  b:\n    image: b\n",
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      "<dir>/b.yaml:2:5: include[0]: include cycle detected: <dir>/a.yaml -> <dir>/b.yaml -> <dir>/a.yaml",
    ]);
  });

  it("reports a missing included file and a missing env file", () => {
    const dir = writeProject({
      "compose.yaml": "include:\n  - missing.yaml\n  - path: lib.yaml\n    env_file: nope.env\n",
      "lib.yaml": "services:\n  s:\n    image: s\n",
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      "<dir>/missing.yaml: cannot read file: no such file",
      "<dir>/nope.env: cannot read file: no such file",
    ]);
  });
});

describe("include: compose-go testdata (v2.9.1 expectations)", { skip: FIXTURES_MISSING }, () => {
  const testdata = COMPOSE_GO_TESTDATA;

  it("compose-include.yaml imports the services of subdir/compose-test-extends-imported.yaml", () => {
    const project = load(testdata, ["compose-include.yaml"]);
    assert.deepEqual(Object.keys(project.services).sort(), ["bar", "imported"]);
    const imported = project.services.imported;
    assert.equal(imported.container_name, "imported");
    assert.equal(imported.env_file, undefined);
    const unchecked = loadUnchecked(testdata, ["compose-include.yaml"]).services as Services;
    assert.deepEqual(unchecked.imported.env_file, [{ path: path.join(testdata, "subdir/extra.env"), required: true }]);
    assert.deepEqual(imported.environment, { SOURCE: "extends" });
  });

  it("include/compose.yaml resolves the included service's paths against its own directory", () => {
    const included = load(path.join(testdata, "include"), ["compose.yaml"]).services.included;
    assert.equal(included.build?.context, path.join(testdata, "include"));
    assert.deepEqual(included.volumes, [
      { type: "bind", source: path.join(testdata, "include"), target: "/mnt", bind: { create_host_path: true } },
    ]);
  });

  it("include/project-directory.yaml resolves against project_directory", () => {
    const service = load(path.join(testdata, "include"), ["project-directory.yaml"]).services.service;
    assert.equal(service.build?.context, path.join(testdata, "subdir"));
    assert.equal(service.volumes?.[0].source, path.join(testdata, "subdir/compose-test-extends-imported.yaml"));
    assert.equal(service.env_file, undefined);
    const unchecked = loadUnchecked(path.join(testdata, "include"), ["project-directory.yaml"]).services as Services;
    assert.deepEqual(unchecked.service.env_file, [{ path: path.join(testdata, "subdir/extra.env"), required: true }]);
  });

  it("combined/compose.yaml: an included service extending a file of its own directory", () => {
    assert.equal(load(path.join(testdata, "combined"), ["compose.yaml"]).services.service.build?.context, path.join(testdata, "combined/dir"));
  });

  it("compose-include-cycle.yaml includes itself", () => {
    const file = path.join(testdata, "compose-include-cycle.yaml");
    assert.deepEqual(errorsOf(testdata, () => load(testdata, ["compose-include-cycle.yaml"])), [
      `<dir>/compose-include-cycle.yaml:2:5: include[0]: include cycle detected: ${file.split(testdata).join("<dir>")} -> ${file.split(testdata).join("<dir>")}`,
    ]);
  });
});
