/**
 * Random byte mutations of valid compose files never crash the adapter: every mutated
 * file either loads or is rejected with ComposeError issues that name the file and say
 * what is wrong. A TypeError, RangeError or any other exception is a bug.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { ComposeError, type ComposeIssue } from "../../../infra/compose/errors.ts";
import { interpolate } from "../../../infra/compose/interpolate.ts";
import { loadProject } from "../../../infra/compose/load.ts";
import { parseComposeText } from "../../../infra/compose/parse.ts";

const SHARED_FIXTURES = "/work/shared/fixtures/compose";
const REPOSITORY = path.resolve(import.meta.dirname, "../../..");
const ENVIRONMENT = { HOME: "/home/user", TAG: "1.0", HOST_PORT: "8080" };

interface Fixture {
  /** Directory holding the compose file and whatever it refers to (env files, secrets). */
  dir: string;
  name: string;
  bytes: Buffer;
}

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((entry) => path.join(dir, entry));
}

function fixtureFrom(file: string): Fixture {
  return { dir: path.dirname(file), name: path.basename(file), bytes: fs.readFileSync(file) };
}

/** compose-go's and docker/cli's full examples, and the project's own compose files. */
const fixtures: Fixture[] = [
  ...listFiles(SHARED_FIXTURES).filter((file) => path.basename(file) === "full-example.yml"),
  ...listFiles(path.join(REPOSITORY, "test/fixtures")).filter((file) => /\.ya?ml$/.test(file) && /compose/.test(path.basename(file))),
  ...listFiles(path.join(REPOSITORY, "stacks/apps")).filter((file) => /^compose[\w.-]*\.ya?ml$/.test(path.basename(file))),
]
  .sort()
  .map(fixtureFrom);

/** Bytes YAML and interpolation give a meaning to, so that mutations reach the interesting paths. */
const SIGNIFICANT = [..." \t\n\r:-?,[]{}#&*!|>'\"%@`$<\\~0123456789"].map((char) => char.charCodeAt(0));

const byteValue = fc.oneof(fc.constantFrom(...SIGNIFICANT), fc.integer({ min: 0, max: 255 }));

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "insert"; at: number; bytes: number[] }
  | { kind: "delete"; at: number; length: number }
  | { kind: "copy"; from: number; at: number; length: number }
  | { kind: "truncate"; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.array(byteValue, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant("copy" as const), from: fc.nat(), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);

function mutate(original: Buffer, mutations: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(original);
  for (const change of mutations) {
    const at = bytes.length === 0 ? 0 : change.at % (bytes.length + 1);
    switch (change.kind) {
      case "flip":
        if (at < bytes.length) bytes[at] ^= 1 << change.bit;
        break;
      case "insert":
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(change.bytes), bytes.subarray(at)]);
        break;
      case "delete":
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + change.length)]);
        break;
      case "copy": {
        const from = bytes.length === 0 ? 0 : change.from % bytes.length;
        const chunk = Buffer.from(bytes.subarray(from, from + change.length));
        bytes = Buffer.concat([bytes.subarray(0, at), chunk, bytes.subarray(at)]);
        break;
      }
      case "truncate":
        bytes = bytes.subarray(0, at);
        break;
    }
  }
  return bytes;
}

const mutatedFixture = fc.record({
  fixture: fc.integer({ min: 0, max: Math.max(0, fixtures.length - 1) }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
});

function assertWellFormed(issue: ComposeIssue, context: string): void {
  assert.equal(typeof issue.file, "string", context);
  assert.notEqual(issue.file, "", `${context}: issue without a file: ${JSON.stringify(issue)}`);
  assert.equal(typeof issue.message, "string", context);
  assert.notEqual(issue.message.trim(), "", `${context}: issue without a message: ${JSON.stringify(issue)}`);
  assert.equal(typeof issue.path, "string", context);
  for (const coordinate of [issue.line, issue.col]) {
    if (coordinate !== undefined) assert.ok(Number.isInteger(coordinate) && coordinate >= 1, `${context}: bad position ${JSON.stringify(issue)}`);
  }
}

function assertPositioned(issue: ComposeIssue, context: string): void {
  assertWellFormed(issue, context);
  assert.ok(issue.line !== undefined && issue.col !== undefined, `${context}: issue without a position: ${JSON.stringify(issue)}`);
}

describe("random byte mutations of valid compose files", () => {
  let workspace = "";
  const copies: string[] = [];

  before(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), "compose-mutations-"));
    fixtures.forEach((fixture, index) => {
      const copy = path.join(workspace, String(index));
      fs.cpSync(fixture.dir, copy, { recursive: true });
      copies.push(path.join(copy, fixture.name));
    });
  });

  after(() => {
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it("has fixtures to mutate, and each loads or fails cleanly unmutated", () => {
    assert.ok(fixtures.length >= 2, `found only ${fixtures.length} fixtures`);
    for (const copy of copies) {
      try {
        loadProject({ files: [copy], environment: ENVIRONMENT });
      } catch (error) {
        assert.ok(error instanceof ComposeError, `${copy}: ${String(error)}`);
      }
    }
  });

  it("parse and interpolate return positioned issues instead of throwing", () => {
    fc.assert(
      fc.property(mutatedFixture, ({ fixture, mutations }) => {
        const { name, bytes } = fixtures[fixture];
        const text = mutate(bytes, mutations).toString("utf8");
        const parsed = parseComposeText(name, "/project", text);
        for (const issue of parsed.issues) assertPositioned(issue, name);
        assert.equal(parsed.source === undefined, parsed.issues.length > 0, "a source exactly when there are no issues");
        if (!parsed.source) return;
        const interpolated = interpolate(parsed.source, ENVIRONMENT);
        for (const issue of interpolated.issues) assertPositioned(issue, name);
      }),
      { numRuns: 300 },
    );
  });

  it("loadProject returns a model or throws ComposeError with a file and a message for every issue", (t) => {
    const outcomes = { loaded: 0, rejected: 0 };
    fc.assert(
      fc.property(mutatedFixture, ({ fixture, mutations }) => {
        const file = copies[fixture];
        fs.writeFileSync(file, mutate(fixtures[fixture].bytes, mutations));
        try {
          const project = loadProject({ files: [file], environment: ENVIRONMENT });
          assert.equal(typeof project, "object");
          outcomes.loaded++;
        } catch (error) {
          if (!(error instanceof ComposeError)) throw error;
          assert.ok(error.issues.length > 0, "a ComposeError lists its issues");
          for (const issue of error.issues) assertWellFormed(issue, file);
          outcomes.rejected++;
        }
      }),
      { numRuns: 120 },
    );
    t.diagnostic(`mutated files loaded: ${outcomes.loaded}, rejected with issues: ${outcomes.rejected}`);
  });
});
