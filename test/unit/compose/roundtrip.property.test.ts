/**
 * Properties of the whole pipeline:
 * - every loaded model is canonical: ProjectSchema accepts it as it is;
 * - the printed model is a fixed point: `config` output (JSON or YAML), loaded again as a
 *   compose file, prints the same model;
 * - random byte mutations of a valid file never crash the loader: it either loads or
 *   throws a ComposeError whose issues name the file.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ComposeError } from "../../../infra/compose/errors.ts";
import { formatGoDuration } from "../../../infra/compose/go-format.ts";
import { loadProject } from "../../../infra/compose/load.ts";
import { renderModel } from "../../../infra/compose/render.ts";
import { temporaryDirectory } from "./assembly-helpers.ts";
import { validateProject } from "../../../infra/compose/schema/index.ts";
import type { SourceFile } from "../../../infra/compose/source.ts";

const SECOND = 1_000_000_000;
const ENV = { HOME: "/home/tester", FROM_PROCESS: "process-value" };

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const envName = fc.stringMatching(/^[A-Z][A-Z0-9_]{0,7}$/);
/** Text, with `$` written `$$` in the file so that it is literal: config output must escape it again. */
const text = fc.stringMatching(/^[A-Za-z0-9 ._:/=$-]{0,12}$/).map((value) => value.replaceAll("$", () => "$$"));
const absolutePath = fc.array(word, { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join("/")}`);
const duration = fc.integer({ min: 1, max: 7200 }).map((seconds) => formatGoDuration(seconds * SECOND));

interface Declared {
  networks: string[];
  volumes: string[];
  secrets: string[];
}

const port = fc.record(
  {
    target: fc.integer({ min: 1, max: 65535 }),
    published: fc.integer({ min: 1, max: 65535 }).map(String),
    protocol: fc.constantFrom("tcp", "udp"),
    mode: fc.constantFrom("ingress", "host"),
    host_ip: fc.constantFrom("127.0.0.1", "0.0.0.0"),
  },
  { requiredKeys: ["target"] },
);

const mount = (declared: Declared) =>
  fc.oneof(
    ...(declared.volumes.length > 0
      ? [fc.record({ type: fc.constant("volume"), source: fc.constantFrom(...declared.volumes), target: absolutePath, read_only: fc.boolean() })]
      : []),
    fc.record({ type: fc.constant("bind"), source: absolutePath, target: absolutePath, bind: fc.record({ create_host_path: fc.boolean() }) }),
    fc.record({ type: fc.constant("tmpfs"), target: absolutePath, tmpfs: fc.record({ size: fc.integer({ min: 1, max: 1 << 30 }) }) }),
  );

const deploy = fc.oneof(
  fc.record(
    {
      mode: fc.constant("replicated"),
      replicas: fc.integer({ min: 0, max: 9 }),
      labels: fc.dictionary(word, text, { maxKeys: 2 }),
      resources: fc.record({
        limits: fc.record({ cpus: fc.constantFrom(0.25, 0.5, 1, 2), memory: fc.integer({ min: 1, max: 1 << 30 }), pids: fc.integer({ min: 1, max: 500 }) }),
      }),
      restart_policy: fc.record({ condition: fc.constantFrom("none", "on-failure", "any"), delay: duration, max_attempts: fc.integer({ min: 0, max: 5 }) }),
      update_config: fc.record({ parallelism: fc.integer({ min: 0, max: 4 }), delay: duration, order: fc.constantFrom("stop-first", "start-first") }),
      placement: fc.record({ constraints: fc.array(fc.constantFrom("node.role==manager", "node.labels.zone==a"), { maxLength: 2 }) }),
      endpoint_mode: fc.constantFrom("vip", "dnsrr"),
    },
    { requiredKeys: ["mode"] },
  ),
  fc.record({ mode: fc.constant("global") }),
);

const healthcheck = fc.record(
  {
    test: fc.oneof(
      fc.tuple(fc.constant("CMD"), word, word).map((parts) => [...parts]),
      text.map((line) => ["CMD-SHELL", `echo ${line}`]),
    ),
    interval: duration,
    timeout: duration,
    retries: fc.integer({ min: 0, max: 10 }),
    start_period: duration,
  },
  { requiredKeys: ["test"] },
);

const service = (declared: Declared, earlier: string[]) =>
  fc.record(
    {
      image: fc.constantFrom("nginx", "redis:7", "example.com/team/app:1.0"),
      command: fc.array(text.filter((part) => part !== ""), { minLength: 1, maxLength: 3 }),
      ports: fc.array(port, { maxLength: 3 }),
      volumes: fc.array(mount(declared), { maxLength: 3 }),
      environment: fc.dictionary(envName, fc.oneof(text, fc.constant(null)), { maxKeys: 3 }),
      labels: fc.dictionary(word.map((key) => `com.example.${key}`), text, { maxKeys: 2 }),
      deploy,
      healthcheck,
      networks: declared.networks.length > 0
        ? fc.subarray(declared.networks, { minLength: 1 }).chain((names) =>
            fc.tuple(...names.map((name) => fc.oneof(fc.constant(null), fc.record({ aliases: fc.array(word, { maxLength: 2 }) })))).map((entries) =>
              Object.fromEntries(names.map((name, index) => [name, entries[index]])),
            ),
          )
        : fc.constant(undefined),
      secrets: declared.secrets.length > 0
        ? fc.subarray(declared.secrets).map((names) => names.map((source) => ({ source })))
        : fc.constant(undefined),
      depends_on: earlier.length > 0
        ? fc.subarray(earlier).map((names) => Object.fromEntries(names.map((name) => [name, { condition: "service_started" }])))
        : fc.constant(undefined),
      stop_grace_period: duration,
    },
    { requiredKeys: ["image"] },
  );

const composeFile = fc
  .record({
    networks: fc.uniqueArray(word, { maxLength: 2 }),
    volumes: fc.uniqueArray(word, { maxLength: 2 }),
    secrets: fc.uniqueArray(word, { maxLength: 2 }),
    services: fc.uniqueArray(word, { minLength: 1, maxLength: 3 }),
  })
  .chain((names) => {
    const declared: Declared = { networks: names.networks, volumes: names.volumes, secrets: names.secrets };
    return fc
      .tuple(...names.services.map((_, index) => service(declared, names.services.slice(0, index))))
      .chain((services) =>
        fc.record({
          services: fc.constant(Object.fromEntries(names.services.map((name, index) => [name, stripUndefined(services[index])]))),
          networks: fc.tuple(...names.networks.map(() => fc.record({ driver: fc.constantFrom("bridge", "overlay"), attachable: fc.boolean() }, { requiredKeys: [] }))).map(
            (entries) => Object.fromEntries(names.networks.map((name, index) => [name, entries[index]])),
          ),
          volumes: fc.constant(Object.fromEntries(names.volumes.map((name) => [name, {}]))),
          secrets: fc.tuple(...names.secrets.map(() => fc.oneof(absolutePath.map((file) => ({ file })), fc.constant({ environment: "FROM_PROCESS" }), fc.constant({ external: true })))).map(
            (entries) => Object.fromEntries(names.secrets.map((name, index) => [name, entries[index]])),
          ),
          "x-meta": fc.dictionary(word, text, { maxKeys: 2 }),
        }),
      );
  });

function stripUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
}

/** loadProject does not validate its own output again; this checks that ProjectSchema accepts it unchanged. */
function assertCanonical(project: unknown): void {
  const nowhere: SourceFile = { file: "(model)", dir: "/", data: project, locate: () => undefined };
  const checked = validateProject(nowhere, project);
  assert.deepEqual(checked.issues, []);
  assert.deepEqual(checked.project, project);
}

function loadAndRender(dir: string, name: string, content: string, format: "json" | "yaml"): string {
  fs.writeFileSync(path.join(dir, name), content);
  const project = loadProject({ files: [path.join(dir, name)], environment: ENV });
  assertCanonical(project);
  return renderModel(project, format);
}

describe("config round trip", () => {
  it("prints a model that loads back to the same model (JSON and YAML)", () => {
    const dir = temporaryDirectory("compose-roundtrip-");
    fc.assert(
      fc.property(composeFile, (file) => {
        const first = loadAndRender(dir, "compose.json", JSON.stringify(file), "json");
        assert.equal(loadAndRender(dir, "config.json", first, "json"), first);
        const yaml = loadAndRender(dir, "compose.json", JSON.stringify(file), "yaml");
        assert.equal(loadAndRender(dir, "config.yaml", yaml, "json"), first);
      }),
      { numRuns: 150 },
    );
  });
});

const VALID = `name: shop
services:
  web:
    image: nginx:1.25
    ports: ["8080:80", "127.0.0.1:9000-9001:9000-9001/udp"]
    environment: [A=1, B]
    volumes: ["data:/data:ro", "./site:/usr/share/nginx/html"]
    depends_on:
      db: {condition: service_healthy}
    healthcheck: {test: curl -f http://localhost, interval: 30s, retries: 3}
    deploy: {replicas: 2, resources: {limits: {memory: 512m}}}
    secrets: [token]
  db:
    image: postgres
    healthcheck: {test: [CMD, pg_isready], interval: 5s}
volumes:
  data: {}
secrets:
  token: {file: ./token.txt}
`;

describe("mutated files", () => {
  it("never crash the loader: they load or fail with issues that name the file", () => {
    const dir = temporaryDirectory("compose-mutation-");
    const file = path.join(dir, "compose.yaml");
    const bytes = Buffer.from(VALID);
    const mutation = fc.array(
      fc.record({ at: fc.nat({ max: bytes.length - 1 }), byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...Buffer.from(":-[]{}\"'#&*!|>$\n "))) }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(mutation, (changes) => {
        const mutated = Buffer.from(bytes);
        for (const { at, byte } of changes) mutated[at] = byte;
        fs.writeFileSync(file, mutated);
        try {
          loadProject({ files: [file], environment: ENV });
        } catch (error) {
          if (!(error instanceof ComposeError)) throw error;
          assert.ok(error.issues.length > 0);
          for (const issue of error.issues) assert.equal(issue.file, file);
        }
      }),
      { numRuns: 400 },
    );
  });
});
