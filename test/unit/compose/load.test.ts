import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { loadProjectWithEnvironment } from "../../../infra/compose/load.ts";
import { renderModel } from "../../../infra/compose/render.ts";
import { errorsOf, load, TEST_ENV, writeProject } from "./assembly-helpers.ts";

describe("load: environment", () => {
  it("reads .env from the project directory; the process environment wins", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n    environment: {MODE: '${MODE}'}\n",
      ".env": "TAG=1.25\nMODE=from-dotenv\n",
    });
    const web = load(dir, ["compose.yaml"], { environment: { ...TEST_ENV, MODE: "from-process" } }).services.web;
    assert.equal(web.image, "nginx:1.25");
    assert.deepEqual(web.environment, { MODE: "from-process" });
  });

  it("replaces .env with --env-file files, later files winning", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: nginx:${TAG}-${FLAVOR}\n",
      ".env": "TAG=ignored\nFLAVOR=ignored\n",
      "a.env": "TAG=1\nFLAVOR=alpine\n",
      "b.env": "FLAVOR=slim\n",
    });
    const web = load(dir, ["compose.yaml"], { envFiles: [path.join(dir, "a.env"), path.join(dir, "b.env")] }).services.web;
    assert.equal(web.image, "nginx:1-slim");
  });

  it("reports a missing --env-file", () => {
    const dir = writeProject({ "compose.yaml": "services:\n  web:\n    image: nginx\n" });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"], { envFiles: [path.join(dir, "missing.env")] })), [
      "<dir>/missing.env: cannot read file: no such file",
    ]);
  });
});

describe("load: service env_file and label_file", () => {
  it("merges env files in order under the service's own environment", () => {
    const dir = writeProject({
      "compose.yaml": [
        "services:",
        "  web:",
        "    image: nginx",
        "    env_file: [base.env, {path: local.env, required: false}, {path: raw.env, format: raw}]",
        "    environment: {B: from-service, C: null}",
        "    label_file: labels.properties",
        "    labels: {team: web}",
        "",
      ].join("\n"),
      "base.env": "A=base\nB=base\nC=base\n",
      "raw.env": "D=\"kept as is\" # not a comment\n",
      "labels.properties": "team=ignored\ntier=frontend\n",
    });
    const web = load(dir, ["compose.yaml"]).services.web;
    assert.deepEqual(web.environment, { A: "base", B: "from-service", C: "base", D: '"kept as is" # not a comment' });
    assert.deepEqual(web.labels, { team: "web", tier: "frontend" });
  });

  it("reports a missing required env file and a missing label file", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: nginx\n    env_file: [gone.env]\n    label_file: [gone.labels]\n",
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      "<dir>/compose.yaml:4:16: services.web.env_file[0]: env file <dir>/gone.env not found",
      "<dir>/compose.yaml:5:18: services.web.label_file[0]: label file <dir>/gone.labels not found",
    ]);
  });
});

describe("load: paths", () => {
  it("resolves relative paths of every -f file against the project directory, as docker compose does", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    build: ./web\n",
      "deploy/prod.yaml": "services:\n  web:\n    volumes: ['./data:/data', '~/cache:/cache']\n    env_file: prod.env\n",
      "prod.env": "X=1\n",
    });
    const web = load(dir, ["compose.yaml", "deploy/prod.yaml"]).services.web;
    assert.equal(web.build?.context, path.join(dir, "web"));
    assert.deepEqual(web.volumes?.map((mount) => mount.source), [path.join(dir, "data"), "/home/tester/cache"]);
    assert.deepEqual(web.environment, { X: "1" });
  });

  it("resolves against workingDir when given", () => {
    const dir = writeProject({ "compose/compose.yaml": "services:\n  web:\n    build: .\n" });
    assert.equal(load(dir, ["compose/compose.yaml"], { workingDir: path.join(dir, "src") }).services.web.build?.context, path.join(dir, "src"));
  });
});

describe("load: errors", () => {
  it("reports the problems of every file together", () => {
    const dir = writeProject({
      "a.yaml": "services:\n  web:\n    imagee: nginx\n    ports: ['80:80:80/tcp']\n",
      "b.yaml": "services:\n  web:\n    image: ${MISSING:?set MISSING}\n",
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["a.yaml", "b.yaml"])), [
      '<dir>/a.yaml:3:5: services.web.imagee: unknown key "imagee" (did you mean "image"?)',
      '<dir>/a.yaml:4:13: services.web.ports[0]: invalid port "80:80:80/tcp": invalid IP address "80"',
      "<dir>/b.yaml:3:12: services.web.image: required variable MISSING is missing a value: set MISSING",
    ]);
  });

  it("reports unreadable files and YAML that is not a mapping", () => {
    const dir = writeProject({ "list.yaml": "- a\n- b\n" });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["missing.yaml", "list.yaml"])), [
      "<dir>/missing.yaml: cannot read file: no such file",
      "<dir>/list.yaml:1:1: top-level object must be a mapping",
    ]);
  });

  it("rejects a project with no content at all", () => {
    const dir = writeProject({ "compose.yaml": "# nothing yet\n" });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), ["<dir>/compose.yaml: empty compose file"]);
  });
});

describe("load: secrets", () => {
  it("keeps a secret's environment variable name, never its value, and never prints it", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: nginx\n    secrets: [token]\nsecrets:\n  token:\n    environment: API_TOKEN\n",
    });
    const project = load(dir, ["compose.yaml"], { projectName: "shop", environment: { ...TEST_ENV, API_TOKEN: "s3cr3t-value" } });
    assert.deepEqual(project.secrets?.token, { environment: "API_TOKEN", name: "shop_token" });
    assert.ok(!renderModel(project, "json").includes("s3cr3t-value"));
    assert.ok(!renderModel(project, "yaml").includes("s3cr3t-value"));
  });

  it("hands out the environment secrets are read from: process over .env, with the project name", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: nginx\n    secrets: [token]\nsecrets:\n  token:\n    environment: API_TOKEN\n",
      ".env": "API_TOKEN=from-dotenv\nOTHER=dotenv-only\n",
    });
    const { environment } = loadProjectWithEnvironment({
      files: [path.join(dir, "compose.yaml")],
      projectName: "shop",
      environment: { ...TEST_ENV, API_TOKEN: "from-process" },
    });
    assert.deepEqual(
      [environment.API_TOKEN, environment.OTHER, environment.COMPOSE_PROJECT_NAME],
      ["from-process", "dotenv-only", "shop"],
    );
  });
});
