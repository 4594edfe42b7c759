/**
 * Every error of every stage in one run: a schema error in one entry (a typo in a
 * service, a wrong type in a network) does not hide the reference checks on the rest of
 * the file, and nothing is returned while any error stands.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorsOf, load, writeProject } from "./assembly-helpers.ts";

describe("all errors at once", () => {
  it("a typo, a wrong type, an undefined network, an undefined volume and a cycle in one run", () => {
    const dir = writeProject({
      "compose.yaml": [
        "services:",
        "  web:",
        "    image: nginx",
        "    prots: ['80:80']",
        "    depends_on: [db]",
        "  api:",
        "    image: api",
        "    networks: [backnet]",
        "    depends_on: [worker]",
        "  worker:",
        "    image: worker",
        "    depends_on: [api]",
        "  db:",
        "    image: postgres",
        "    volumes: [data:/var/lib/postgresql]",
        "networks:",
        "  front:",
        "    driver: 3",
        "",
      ].join("\n"),
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      '<dir>/compose.yaml:4:5: services.web.prots: unknown key "prots" (did you mean "ports"?)',
      "<dir>/compose.yaml:18:5: networks.front.driver: expected a string, got an integer",
      '<dir>/compose.yaml:8:16: services.api.networks.backnet: undefined network "backnet"',
      '<dir>/compose.yaml:15:15: services.db.volumes[0].source: undefined volume "data"',
      "<dir>/compose.yaml:9:18: services.api.depends_on.worker: dependency cycle: api -> worker -> api",
    ]);
  });

  it("an entry that failed validation still exists for references: no made-up follow-up errors", () => {
    const dir = writeProject({
      "compose.yaml": [
        "services:",
        "  web:",
        "    image: web",
        "    depends_on: [db]",
        "    networks: [front]",
        "  db:",
        "    image: postgres",
        "    healthcheck: {interval: often}",
        "  child:",
        "    extends: db",
        "networks:",
        "  front:",
        "    labels: 7",
        "",
      ].join("\n"),
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      '<dir>/compose.yaml:8:19: services.db.healthcheck.interval: invalid duration "often": expected a number followed by a unit such as "10s"',
      "<dir>/compose.yaml:13:5: networks.front.labels: expected entries as a mapping or a list of \"KEY=VALUE\", got an integer",
    ]);
  });

  it("an unknown top-level key is reported with the reference problems of the rest", () => {
    const dir = writeProject({ "compose.yaml": "servics: {}\nservices:\n  web:\n    image: web\n    secrets: [nope]\n" });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml"])), [
      '<dir>/compose.yaml:1:1: servics: unknown key "servics" (did you mean "services"?)',
      '<dir>/compose.yaml:5:15: services.web.secrets[0].source: undefined secret "nope"',
    ]);
  });

  it("errors in several files are all reported", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: web\n    restart: sometimes\n",
      "override.yaml": "services:\n  web:\n    networks: [missing]\n  api:\n    image: api\n    depends_on: [ghost]\n",
    });
    assert.deepEqual(errorsOf(dir, () => load(dir, ["compose.yaml", "override.yaml"])), [
      '<dir>/compose.yaml:4:5: services.web.restart: invalid restart policy "sometimes": expected "no", "always", "on-failure[:max-retries]" or "unless-stopped"',
      '<dir>/override.yaml:6:18: services.api.depends_on.ghost: depends on undefined service "ghost"',
    ]);
  });
});
