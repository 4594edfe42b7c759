/**
 * The capability table covers the whole compose schema: every key path has, for every
 * target and for jobs on it, converted, warned or error; and the README shows the table
 * as it is.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ProjectSchema } from "../../../infra/compose/schema/index.ts";
import { schemaPaths } from "../../../infra/graph/capabilities/schema-paths.ts";
import { CAPABILITIES } from "../../../infra/graph/capabilities/table.ts";
import { stopsHere, supportFor, TARGETS, type WorkloadKind } from "../../../infra/graph/capabilities/support.ts";
import { withCapabilityTables } from "../../../infra/graph/capabilities/readme-table.ts";

const paths = schemaPaths(ProjectSchema);

function parents(path: string): string[] {
  const out: string[] = [];
  for (let i = path.length - 1; i > 0; i--) {
    if (path[i] === "." || (path[i] === "[" && path[i + 1] === "]")) out.push(path.slice(0, i));
  }
  return out;
}

/** Columns a path needs: every target, and jobs on every target below services.*. */
function columns(path: string): { target: (typeof TARGETS)[number]; kind: WorkloadKind }[] {
  const kinds: WorkloadKind[] = path.startsWith("services.*.") ? ["service", "job"] : ["service"];
  return TARGETS.flatMap((target) => kinds.map((kind) => ({ target, kind })));
}

describe("capability table", () => {
  test("the schema walk finds the model's keys, nested ones included", () => {
    for (const expected of ["services.*.gpus", "services.*.build.secrets", "services.*.deploy.resources.limits.pids", "services.*.ports[].host_ip", "services.*.ulimits.*.soft", "networks.*.ipam.config[].subnet"]) {
      assert.ok(paths.includes(expected), expected);
    }
    assert.ok(paths.length > 300, `only ${paths.length} paths`);
  });

  test("every key of the schema has an entry for every target and for jobs, unless its parent is ignored there", () => {
    const missing: string[] = [];
    for (const path of paths) {
      for (const { target, kind } of columns(path)) {
        const coveredAbove = parents(path).some((parent) => {
          const capability = CAPABILITIES.get(parent);
          return capability !== undefined && stopsHere(supportFor(capability, target, kind));
        });
        if (coveredAbove) continue;
        const capability = CAPABILITIES.get(path);
        if (capability === undefined || supportFor(capability, target, kind) === undefined) missing.push(`${path} (${target}${kind === "job" ? " job" : ""})`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test("every entry names a key of the schema", () => {
    const known = new Set(paths);
    assert.deepEqual([...CAPABILITIES.keys()].filter((path) => path !== "services.*" && !known.has(path)), []);
  });

  test("every warning and error gives a reason", () => {
    for (const [path, capability] of CAPABILITIES) {
      for (const { target, kind } of columns(path)) {
        const support = supportFor(capability, target, kind);
        if (support === undefined || support === "converted") continue;
        const reason = "warn" in support ? support.warn : support.error;
        assert.ok(reason.length > 10, `${path} ${target} ${kind}: "${reason}"`);
      }
    }
  });

  test("the README's table is generated from this one (run: node scripts/capabilities-readme.ts)", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    assert.equal(withCapabilityTables(readme), readme);
  });
});
