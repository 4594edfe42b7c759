import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { escapeLikeGoJson, formatFileMode, formatGoDuration } from "../../../infra/compose/go-format.ts";
import { renderModel, toGoShape } from "../../../infra/compose/render.ts";

describe("Go formatting", () => {
  it("prints durations as Go's time.Duration.String()", () => {
    const cases: [number, string][] = [
      [0, "0s"],
      [1, "1ns"],
      [1_500, "1.5µs"],
      [1_500_000, "1.5ms"],
      [1e9, "1s"],
      [1.5e9, "1.5s"],
      [60e9, "1m0s"],
      [90e9, "1m30s"],
      [3600e9, "1h0m0s"],
      [3723.5e9, "1h2m3.5s"],
      [-5e9, "-5s"],
    ];
    assert.deepEqual(cases.map(([ns]) => formatGoDuration(ns)), cases.map(([, text]) => text));
  });

  it("prints file modes in octal and escapes JSON like encoding/json", () => {
    assert.equal(formatFileMode(0o440), "0440");
    assert.equal(formatFileMode(0), "00");
    assert.equal(escapeLikeGoJson('"a<b>&c\u2028"'), '"a\\u003cb\\u003e\\u0026c\\u2028"');
  });
});

describe("render", () => {
  const model = {
    name: "p",
    services: {
      web: {
        image: "nginx",
        "x-note": "kept in YAML only",
        deploy: { replicas: 0, restart_policy: { delay: 0 }, update_config: { delay: 0, parallelism: 0 } },
        healthcheck: { test: ["CMD", "true"], interval: 30e9, retries: 0 },
        ulimits: { nofile: { soft: 1, hard: 2 }, nproc: { single: 3 } },
        shm_size: 67108864,
        secrets: [{ source: "s", mode: 0o400 }],
        env_file: [{ path: "/a.env", required: true }, { path: "/b.env", required: false }, { path: "/c.env", required: true, format: "raw" }],
        extra_hosts: { db: ["10.0.0.2", "10.0.0.1"] },
        build: { context: "/src", ssh: { default: null, key: "/k" } },
        environment: { SET: "1", UNSET: null },
      },
    },
    secrets: { s: { environment: "TOKEN", content: "never printed" } },
    configs: { c: { content: "printed" }, d: { environment: "VAR", content: "from env, not printed" } },
    models: { llm: { model: "ai/smollm2", context_size: 2048 } },
    "x-top": { a: 1 },
  };

  it("follows compose-go's JSON shape and omitempty rules", () => {
    // Project.MarshalJSON writes no top-level models (its YAML does).
    assert.deepEqual(toGoShape(model, "json"), {
      configs: { c: { content: "printed" }, d: { environment: "VAR" } },
      name: "p",
      secrets: { s: { environment: "TOKEN" } },
      services: {
        web: {
          build: { context: "/src", ssh: ["default", "key=/k"] },
          command: null,
          deploy: { replicas: 0, update_config: { parallelism: 0 }, resources: {}, restart_policy: { delay: "0s" }, placement: {} },
          entrypoint: null,
          environment: { SET: "1", UNSET: null },
          env_file: ["/a.env", { path: "/b.env", required: false }, { path: "/c.env", required: true, format: "raw" }],
          extra_hosts: ["db=10.0.0.1", "db=10.0.0.2"],
          healthcheck: { test: ["CMD", "true"], interval: "30s", retries: 0 },
          image: "nginx",
          secrets: [{ source: "s", mode: "0400" }],
          shm_size: "67108864",
          ulimits: { nofile: { soft: 1, hard: 2 }, nproc: 3 },
        },
      },
      "x-top": { a: 1 },
    });
  });

  it("keeps extensions and drops empty structs in YAML", () => {
    const shaped = toGoShape(model, "yaml") as { services: { web: Record<string, unknown> } };
    assert.equal(shaped.services.web["x-note"], "kept in YAML only");
    assert.equal(shaped.services.web.command, undefined);
    assert.deepEqual(shaped.services.web.deploy, { replicas: 0, update_config: { parallelism: 0 }, restart_policy: { delay: "0s" } });
  });

  it("quotes YAML strings that would read back as numbers, booleans or null", () => {
    const text = renderModel({ name: "p", services: { web: { image: "x", labels: { "0_": "0x1F", yes: "true", n: "null", plain: "text" } } } }, "yaml");
    // YAML 1.1 booleans ("n", "yes") are quoted too, keys included, as go-yaml quotes them.
    assert.match(text, /\n {6}"0_": "0x1F"\n {6}"n": "null"\n {6}plain: text\n {6}"yes": "true"\n/);
  });
});
