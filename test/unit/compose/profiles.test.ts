import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyProfiles, isServiceEnabled } from "../../../infra/compose/profiles.ts";
import { errorsOf, load, writeProject } from "./assembly-helpers.ts";

const COMPOSE = `services:
  web:
    image: web
  debug:
    image: busybox
    profiles: [debug]
  admin:
    image: adminer
    profiles: [tools, debug]
  worker:
    image: worker
    profiles: [jobs]
    depends_on:
      queue:
        condition: service_started
        required: false
  queue:
    image: rabbitmq
    profiles: [queue]
`;

describe("profiles", () => {
  it("keeps services without profiles and drops those whose profiles are all inactive", () => {
    const dir = writeProject({ "compose.yaml": COMPOSE });
    assert.deepEqual(Object.keys(load(dir, ["compose.yaml"]).services), ["web"]);
  });

  it("enables a service when one of its profiles is active", () => {
    const dir = writeProject({ "compose.yaml": COMPOSE });
    assert.deepEqual(Object.keys(load(dir, ["compose.yaml"], { profiles: ["debug"] }).services).sort(), ["admin", "debug", "web"]);
    assert.deepEqual(Object.keys(load(dir, ["compose.yaml"], { profiles: ["tools"] }).services).sort(), ["admin", "web"]);
  });

  it("enables every service with `*`", () => {
    const dir = writeProject({ "compose.yaml": COMPOSE });
    assert.deepEqual(Object.keys(load(dir, ["compose.yaml"], { profiles: ["*"] }).services).sort(), ["admin", "debug", "queue", "web", "worker"]);
  });

  it("allows an optional dependency on a disabled service and keeps it in the model", () => {
    const dir = writeProject({ "compose.yaml": COMPOSE });
    const worker = load(dir, ["compose.yaml"], { profiles: ["jobs"] }).services.worker;
    assert.deepEqual(worker.depends_on, { queue: { condition: "service_started", required: false } });
  });

  it("rejects a required dependency on a disabled service, naming its profiles", () => {
    const dir = writeProject({
      "compose.yaml": `services:
  web:
    image: web
    depends_on: [debugger, tools]
  debugger:
    image: busybox
    profiles: [debug]
  tools:
    image: busybox
    profiles: [tools, ops]
`,
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      '<dir>/compose.yaml:4:18: services.web.depends_on.debugger: depends on service "debugger", which is disabled (its profile "debug" is not active)',
      '<dir>/compose.yaml:4:28: services.web.depends_on.tools: depends on service "tools", which is disabled (none of its profiles "tools", "ops" is active)',
    ]);
  });

  it("does not check the references of disabled services", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: web\n  broken:\n    image: x\n    profiles: [never]\n    networks: [missing]\n",
    });
    assert.deepEqual(Object.keys(load(dir, ["compose.yaml"]).services), ["web"]);
  });

  it("works on plain data", () => {
    assert.equal(isServiceEnabled({ profiles: [] }, []), true);
    assert.equal(isServiceEnabled({ profiles: ["a"] }, ["b"]), false);
    const selection = applyProfiles({ services: { a: { profiles: ["x"] }, b: {} }, networks: { n: {} } }, ["y"]);
    assert.deepEqual(selection, { model: { services: { b: {} }, networks: { n: {} } }, disabled: { a: { profiles: ["x"] } } });
  });
});
