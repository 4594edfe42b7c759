/** ProjectSchema: the canonical model, long syntax only, with the fields normalize always fills required. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatIssue } from "../../../infra/compose/errors.ts";
import { parseComposeText } from "../../../infra/compose/parse.ts";
import { validateProject } from "../../../infra/compose/schema/index.ts";

const source = parseComposeText("compose.yaml", "/project", "name: app\n").source!;

const canonical = {
  name: "app",
  services: {
    web: {
      image: "nginx",
      command: null,
      entrypoint: ["/entry.sh"],
      ports: [{ mode: "host", target: 80, published: "8080", protocol: "tcp" }],
      depends_on: { db: { condition: "service_healthy", required: true } },
      env_file: [{ path: "/project/.env", required: false }],
      healthcheck: { test: ["CMD", "true"], interval: 30_000_000_000, retries: 3 },
      stop_grace_period: 10_000_000_000,
      deploy: { mode: "replicated", replicas: 2, update_config: { delay: 5_000_000_000 } },
      ulimits: { nofile: { soft: 1, hard: 2 }, nproc: { single: 10 } },
      build: { context: "/project/web" },
      networks: { default: null },
    },
  },
  networks: { default: { name: "app_default" } },
};

describe("ProjectSchema", () => {
  it("accepts the canonical model as it is: durations already in nanoseconds", () => {
    const result = validateProject(source, canonical);
    assert.deepEqual(result.issues.map(formatIssue), []);
    assert.deepEqual(result.project, canonical);
  });
  it("requires what normalize fills in", () => {
    const { name: _name, ...nameless } = canonical;
    const web = {
      image: "nginx",
      ports: [{ target: 80 }],
      depends_on: { db: {} },
      env_file: [{ path: "/x" }],
      build: {},
    };
    const result = validateProject(source, { ...nameless, services: { web } });
    assert.deepEqual(
      result.issues.map((issue) => `${issue.path}: ${issue.message}`).sort(),
      [
        "name: is required",
        "services.web.build.context: is required",
        "services.web.command: is required",
        "services.web.depends_on.db.condition: is required",
        "services.web.depends_on.db.required: is required",
        "services.web.entrypoint: is required",
        "services.web.env_file[0].required: is required",
        "services.web.ports[0].mode: is required",
        "services.web.ports[0].protocol: is required",
      ],
    );
  });
  it("refuses short syntax and duration strings in the model", () => {
    const web = { command: "echo hi", entrypoint: null, ports: ["80:80"], stop_grace_period: "10s" };
    const result = validateProject(source, { name: "app", services: { web } });
    assert.deepEqual(
      result.issues.map((issue) => `${issue.path}: ${issue.message}`),
      [
        "services.web.command: expected a list of strings or null",
        "services.web.ports[0]: expected a mapping, got a string",
        'services.web.stop_grace_period: invalid integer "10s"',
      ],
    );
  });
});
