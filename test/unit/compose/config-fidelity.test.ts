/**
 * `config` prints what `docker compose config` prints (compose v2.40.3, compose-go
 * v2.9.1), attribute by attribute, where the two used to differ.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { renderModel } from "../../../infra/compose/render.ts";
import { errorsOf, load, writeProject } from "./assembly-helpers.ts";

type Json = Record<string, any>;
const json = (dir: string, files = ["compose.yaml"], options = {}): Json => JSON.parse(renderModel(load(dir, files, options), "json"));

describe("config: a literal $", () => {
  it("is written back as $$ in JSON and YAML, so the output loads again to the same model", () => {
    const dir = writeProject({ "compose.yaml": "services:\n  web:\n    image: web\n    command: echo $$HOME\n    labels: {price: '$$5'}\n" });
    const project = load(dir, ["compose.yaml"]);
    assert.deepEqual(project.services.web.command, ["echo", "$HOME"]);
    const printed = renderModel(project, "json");
    assert.deepEqual(JSON.parse(printed).services.web.command, ["echo", "$$HOME"]);
    assert.match(renderModel(project, "yaml"), /price: \$\$5/);
    const again = writeProject({ "compose.yaml": printed });
    assert.deepEqual(load(again, ["compose.yaml"]).services.web.command, ["echo", "$HOME"]);
  });
});

describe("config: env_file", () => {
  it("is dropped once its variables are in environment", () => {
    const dir = writeProject({ "compose.yaml": "services:\n  web:\n    image: web\n    env_file: app.env\n", "app.env": "MODE=prod\n" });
    const web = json(dir).services.web;
    assert.equal(web.env_file, undefined);
    assert.deepEqual(web.environment, { MODE: "prod" });
  });
});

describe("config: secrets", () => {
  it("a service's secret without target is printed with /run/secrets/<source>; a config gets no default", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: web\n    secrets: [token]\n    configs: [site]\nsecrets:\n  token:\n    file: t.txt\nconfigs:\n  site:\n    file: s.conf\n",
    });
    const web = json(dir).services.web;
    assert.deepEqual(web.secrets, [{ source: "token", target: "/run/secrets/token" }]);
    assert.deepEqual(web.configs, [{ source: "site" }]);
  });
});

describe("config: GPUs", () => {
  it("`gpus: all` and a request without count or ids are printed with count -1, as compose holds all", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  a:\n    image: x\n    gpus: all\n  b:\n    image: x\n    gpus: [{capabilities: [gpu]}, {driver: nvidia, count: 2}]\n",
    });
    const services = json(dir).services;
    assert.deepEqual(services.a.gpus, [{ count: -1 }]);
    assert.deepEqual(services.b.gpus, [{ capabilities: ["gpu"], count: -1 }, { driver: "nvidia", count: 2 }]);
    // Printed -1 reads back as "all".
    const again = writeProject({ "compose.yaml": renderModel(load(dir, ["compose.yaml"]), "json") });
    assert.deepEqual(load(again, ["compose.yaml"]).services.a.gpus, [{ count: "all" }]);
  });
});

describe("config: paths", () => {
  it("develop.watch[].path and build.ssh keys are absolute; a Windows absolute bind source is kept", () => {
    const dir = writeProject({
      "compose.yaml": [
        "services:",
        "  web:",
        "    build: {context: ., ssh: ['default', 'deploy=./keys/id_ed25519']}",
        "    volumes: ['C:\\data:/data']",
        "    develop:",
        "      watch:",
        "        - {path: ./src, action: sync, target: /app/src}",
        "",
      ].join("\n"),
    });
    const web = json(dir).services.web;
    assert.deepEqual(web.build.ssh, ["default", `deploy=${path.join(dir, "keys/id_ed25519")}`]);
    assert.equal(web.develop.watch[0].path, path.join(dir, "src"));
    assert.equal(web.volumes[0].source, "C:\\data");
  });

  it("a local bound volume's device resolves against the project directory, an empty one to the directory", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: web\n    volumes: [site:/a, here:/b]\nvolumes:\n  site:\n    driver: local\n    driver_opts: {o: bind, type: none, device: ./data}\n  here:\n    driver: local\n    driver_opts: {o: bind, type: none, device: ''}\n",
    });
    const volumes = json(dir).volumes;
    assert.equal(volumes.site.driver_opts.device, path.join(dir, "data"));
    assert.equal(volumes.here.driver_opts.device, dir);
  });
});

describe("config: develop and hooks in JSON", () => {
  it("a watch rule always has exec ({command: null} when unset); x-* inside it is left out of JSON", () => {
    const dir = writeProject({ "compose.yaml": "services:\n  web:\n    image: web\n    develop:\n      watch:\n        - {path: ., action: rebuild, x-initialSync: true}\n" });
    assert.deepEqual(json(dir).services.web.develop.watch, [{ path: dir, action: "rebuild", exec: { command: null } }]);
    assert.match(renderModel(load(dir, ["compose.yaml"]), "yaml"), /x-initialSync: true/);
  });

  it("top-level models are in YAML only, as compose-go marshals them", () => {
    const dir = writeProject({ "compose.yaml": "services:\n  web:\n    image: web\n    models: [llm]\nmodels:\n  llm:\n    model: ai/smollm2\n" });
    assert.equal(json(dir).models, undefined);
    assert.match(renderModel(load(dir, ["compose.yaml"]), "yaml"), /^models:\n {2}llm:\n {4}model: ai\/smollm2$/m);
  });
});

describe("config: provider services", () => {
  it("are accepted without image or build, join no network, and hold their options as lists of strings", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  app:\n    image: app\n    depends_on: [db]\n  db:\n    provider:\n      type: awesomecloud\n      options:\n        type: mysql\n        size: 256\n        tags: [a, 1]\n",
    });
    const db = json(dir).services.db;
    assert.deepEqual(db.provider, { type: "awesomecloud", options: { size: ["256"], tags: ["a", "1"], type: ["mysql"] } });
    assert.equal(db.networks, undefined);
  });

  it("a service with neither image, build nor provider is still refused", () => {
    const dir = writeProject({ "compose.yaml": "services:\n  db:\n    environment: {A: 1}\n" });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), ["<dir>/compose.yaml:2:3: services.db: has neither an image nor a build context"]);
  });
});

describe("config: resources no service uses", () => {
  const FILE = [
    "services:",
    "  web:",
    "    image: web",
    "    networks: [front]",
    "    volumes: [data:/data]",
    "    secrets: [token]",
    "  audit:",
    "    image: audit",
    "    profiles: [audit]",
    "    networks: [back]",
    "    volumes: [logs:/logs]",
    "    configs: [rules]",
    "networks: {front: {}, back: {}, spare: {}}",
    "volumes: {data: {}, logs: {}, spare: {}}",
    "secrets: {token: {file: t.txt}, spare: {file: s.txt}}",
    "configs: {rules: {file: r.conf}, spare: {file: s.conf}}",
    "",
  ].join("\n");

  it("are dropped, also those of a disabled profile's services", () => {
    const dir = writeProject({ "compose.yaml": FILE });
    const model = json(dir);
    assert.deepEqual(Object.keys(model.networks), ["front"]);
    assert.deepEqual(Object.keys(model.volumes), ["data"]);
    assert.deepEqual(Object.keys(model.secrets), ["token"]);
    assert.equal(model.configs, undefined);
  });

  it("are kept with allResources (`config --all-resources`)", () => {
    const dir = writeProject({ "compose.yaml": FILE });
    const model = json(dir, ["compose.yaml"], { allResources: true });
    assert.deepEqual(Object.keys(model.volumes).sort(), ["data", "logs", "spare"]);
    assert.deepEqual(Object.keys(model.configs).sort(), ["rules", "spare"]);
  });
});
