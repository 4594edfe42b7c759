/**
 * The package's bin as it is published: infra/bin.ts bundled by scripts/bin-bundle.ts
 * (yaml, zod and the Pulumi SDK inside, parts of the SDK left out) prints what the
 * command line prints when run from the sources, and each command loads only its own code.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Metafile } from "esbuild";
import { bundleBin } from "../../../scripts/bin-bundle.ts";
import { runCli } from "./run-cli.ts";
import { REPO_ROOT } from "../compose/fixture-paths.ts";

const ENGINE_APP = path.join(REPO_ROOT, "examples/engine-app");
const TEMPORAL = path.join(REPO_ROOT, "test/fixtures/compose-corpus/temporal-docker-compose");
const env = { HOME: os.homedir() };

let outdir = "";
let metafile: Metafile;

before(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cp-bin-"));
  metafile = await bundleBin(outdir);
  fs.writeFileSync(path.join(outdir, "package.json"), JSON.stringify({ name: "compose-pulumi", version: "0.0.0-test", type: "module" }));
});

after(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** What the bundled bin prints, and its exit code. */
function bundled(args: string[], cwd: string): { code: number | null; out: string; err: string } {
  const run = spawnSync(process.execPath, [path.join(outdir, "infra/cli.js"), ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env, NODE_COMPILE_CACHE: path.join(outdir, "compile-cache") },
    encoding: "utf8",
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** The same command run in this process from the sources. */
async function fromSources(args: string[], cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return runCli(args, { cwd, env });
}

for (const [name, dir, file] of [["engine-app", ENGINE_APP, "compose.yaml"], ["temporal (with a .env)", TEMPORAL, "docker-compose-postgres.yml"]] as const) {
  test(`config of ${name}: the same bytes as from the sources, YAML and JSON, and nothing on stderr`, async () => {
    for (const format of ["yaml", "json"]) {
      const args = ["config", "-f", file, "--format", format];
      const printed = bundled(args, dir);
      assert.equal(printed.err, "");
      assert.deepEqual(printed, await fromSources(args, dir));
    }
  });
}

test("graph on every target and for a stack: the same resources and warnings as from the sources", async () => {
  for (const args of [
    ["graph", "--target", "engine", "--format", "json"],
    ["graph", "--target", "swarm", "--format", "json"],
    ["graph", "--target", "kubernetes", "--format", "json"],
    ["graph", "--stack", "dev"],
  ]) {
    const printed = bundled(args, ENGINE_APP);
    assert.match(printed.out, /hello-web/);
    assert.deepEqual(printed, await fromSources(args, ENGINE_APP), args.join(" "));
  }
});

test("--version reads the package's manifest from beside the bundle", () => {
  assert.deepEqual(bundled(["--version"], ENGINE_APP), { code: 0, out: "0.0.0-test\n", err: "" });
});

/** Every input in the chunks a command's chunk loads before it runs (its static imports, transitively). */
function inputsLoadedWith(source: string): string[] {
  const outputs = metafile.outputs;
  const start = Object.keys(outputs).find((name) => source in outputs[name].inputs);
  assert.ok(start, `a chunk holds ${source}`);
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const edge of outputs[name].imports) if (edge.kind === "import-statement" && edge.path in outputs) visit(edge.path);
  };
  visit(start);
  return [...seen].flatMap((name) => Object.keys(outputs[name].inputs));
}

test("config loads no Pulumi SDK; graph loads neither TypeScript nor the Automation API", () => {
  assert.deepEqual(inputsLoadedWith("infra/cli/config.ts").filter((input) => input.includes("node_modules/@pulumi/")), []);
  const graph = inputsLoadedWith("infra/cli/graph.ts");
  assert.ok(graph.some((input) => input.includes("node_modules/@pulumi/pulumi/resource.js")), "the SDK's resource model is in");
  assert.deepEqual(graph.filter((input) => /node_modules\/(typescript\/|@pulumi\/pulumi\/automation\/)/.test(input)), []);
});
