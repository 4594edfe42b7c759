/**
 * COMPOSE_* settings read the way docker compose reads them: from the process environment
 * and, where it has none, from the project's env files (`.env`, `--env-file`,
 * COMPOSE_ENV_FILES). The loader takes COMPOSE_PROFILES and COMPOSE_PROJECT_NAME from its
 * project environment; the CLI takes COMPOSE_FILE and COMPOSE_PATH_SEPARATOR before it
 * picks the files.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { errorsOf, load, TEST_ENV, writeProject } from "./assembly-helpers.ts";
import { runCli } from "../cli/run-cli.ts";

const PROFILED = "services:\n  web:\n    image: web\n  debug:\n    image: debug\n    profiles: [debug]\n  metrics:\n    image: metrics\n    profiles: [metrics]\n";
// config prints YAML by default, as docker compose does.
const servicesOf = (out: string) => Object.keys((parse(out) as { services: object }).services).sort();

describe("COMPOSE_PROFILES", () => {
  it("set in .env activates its profiles, as if exported", () => {
    const dir = writeProject({ "compose.yaml": PROFILED, ".env": "COMPOSE_PROFILES=debug, metrics\n" });
    assert.deepEqual(Object.keys(load(dir, ["compose.yaml"]).services).sort(), ["debug", "metrics", "web"]);
  });

  it("from the process wins over .env; --profile wins over both", () => {
    const dir = writeProject({ "compose.yaml": PROFILED, ".env": "COMPOSE_PROFILES=debug\n" });
    assert.deepEqual(Object.keys(load(dir, ["compose.yaml"], { environment: { ...TEST_ENV, COMPOSE_PROFILES: "metrics" } }).services).sort(), ["metrics", "web"]);
    assert.deepEqual(Object.keys(load(dir, ["compose.yaml"], { profiles: [] }).services), ["web"]);
  });

  it("set in an --env-file replacing .env", () => {
    const dir = writeProject({ "compose.yaml": PROFILED, ".env": "COMPOSE_PROFILES=debug\n", "ci.env": "COMPOSE_PROFILES=metrics\n" });
    assert.deepEqual(Object.keys(load(dir, ["compose.yaml"], { envFiles: [`${dir}/ci.env`] }).services).sort(), ["metrics", "web"]);
  });
});

describe("COMPOSE_DISABLE_ENV_FILE", () => {
  it("true keeps .env out; a value that is not a boolean is reported", () => {
    const dir = writeProject({ "compose.yaml": "services:\n  web:\n    image: web:${TAG:-none}\n", ".env": "TAG=from-dotenv\n" });
    assert.equal(load(dir, ["compose.yaml"], { environment: { ...TEST_ENV, COMPOSE_DISABLE_ENV_FILE: "true" } }).services.web.image, "web:none");
    assert.equal(load(dir, ["compose.yaml"], { environment: { ...TEST_ENV, COMPOSE_DISABLE_ENV_FILE: "0" } }).services.web.image, "web:from-dotenv");
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"], { environment: { ...TEST_ENV, COMPOSE_DISABLE_ENV_FILE: "maybe" } })), [
      'COMPOSE_DISABLE_ENV_FILE: invalid value "maybe": expected true or false',
    ]);
  });
});

describe("COMPOSE_FILE and COMPOSE_ENV_FILES (the CLI)", () => {
  it("COMPOSE_FILE in .env names the files when no -f is given, split on COMPOSE_PATH_SEPARATOR", async () => {
    const dir = writeProject({
      "base.yaml": "services:\n  web:\n    image: web\n",
      "extra.yaml": "services:\n  worker:\n    image: worker\n",
      ".env": "COMPOSE_FILE=base.yaml,extra.yaml\nCOMPOSE_PATH_SEPARATOR=,\n",
    });
    const { code, out, err } = await runCli(["config"], { cwd: dir, env: TEST_ENV });
    assert.equal(code, 0, err);
    assert.deepEqual(servicesOf(out), ["web", "worker"]);
  });

  it("COMPOSE_FILE from the process wins over .env, and -f over both", async () => {
    const dir = writeProject({
      "base.yaml": "services:\n  web:\n    image: web\n",
      "other.yaml": "services:\n  other:\n    image: other\n",
      ".env": "COMPOSE_FILE=base.yaml\n",
    });
    assert.deepEqual(servicesOf((await runCli(["config"], { cwd: dir, env: { ...TEST_ENV, COMPOSE_FILE: "other.yaml" } })).out), ["other"]);
    assert.deepEqual(servicesOf((await runCli(["config", "-f", "other.yaml"], { cwd: dir, env: TEST_ENV })).out), ["other"]);
  });

  it("COMPOSE_ENV_FILES (comma-separated) replaces .env when no --env-file is given", async () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: web:${TAG}-${FLAVOR}\n",
      ".env": "TAG=dotenv\nFLAVOR=dotenv\n",
      "a.env": "TAG=1\n",
      "b.env": "FLAVOR=slim\n",
    });
    const { code, out, err } = await runCli(["config"], { cwd: dir, env: { ...TEST_ENV, COMPOSE_ENV_FILES: "a.env,b.env" } });
    assert.equal(code, 0, err);
    assert.equal((parse(out) as { services: { web: { image: string } } }).services.web.image, "web:1-slim");
  });

  it("COMPOSE_PROFILES in .env applies to config and to graph alike", async () => {
    const dir = writeProject({ "compose.yaml": PROFILED, ".env": "COMPOSE_PROFILES=debug\n" });
    assert.deepEqual(servicesOf((await runCli(["config"], { cwd: dir, env: TEST_ENV })).out), ["debug", "web"]);
    const graph = await runCli(["graph", "--target", "engine", "--format", "json"], { cwd: dir, env: TEST_ENV });
    assert.equal(graph.code, 0, graph.err);
    const containers = (JSON.parse(graph.out) as { type: string; physicalName: string }[]).filter((r) => r.type === "docker:index/container:Container");
    assert.deepEqual(containers.map((r) => r.physicalName).sort(), [`${dirName(dir)}-debug-1`, `${dirName(dir)}-web-1`]);
  });
});

function dirName(dir: string): string {
  return dir.split("/").pop()!.toLowerCase().replace(/[^a-z0-9_-]/g, "");
}
