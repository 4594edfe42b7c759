/**
 * The example projects as users copy them: stand-alone Pulumi projects run by Node's type
 * stripping (no nodeargs, no ts-node), on the same Pulumi SDK as the package (two copies
 * of the SDK in one program do not share their resources), and stack files in the format
 * `compose-pulumi graph --stack` reads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { runCli } from "./run-cli.ts";
import { REPO_ROOT } from "../compose/fixture-paths.ts";

const EXAMPLES = path.join(REPO_ROOT, "examples");
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
const examples = fs.readdirSync(EXAMPLES).filter((name) => fs.existsSync(path.join(EXAMPLES, name, "Pulumi.yaml")));

test("there are an engine example and a swarm cluster example", () => {
  assert.deepEqual(examples.sort(), ["engine-app", "swarm-cluster"]);
});

for (const example of examples) {
  const dir = path.join(EXAMPLES, example);

  test(`${example}: a TypeScript program Node runs as it is, on the package's Pulumi SDK`, () => {
    const project = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
    assert.deepEqual(project.runtime, { name: "nodejs", options: { typescript: false } });
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    assert.equal(pkg.type, "module");
    assert.equal(pkg.main, "index.ts");
    assert.ok(fs.existsSync(path.join(dir, "index.ts")));
    assert.equal(pkg.dependencies["@pulumi/pulumi"], manifest.dependencies["@pulumi/pulumi"], "the SDK version compose-pulumi depends on");
    assert.equal(pkg.dependencies["compose-pulumi"], `^${manifest.version}`);
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), ["@pulumi/pulumi", "compose-pulumi"], "the package, not source paths");
    assert.doesNotMatch(fs.readFileSync(path.join(dir, "index.ts"), "utf8"), /from "\.\.?\//, "no imports from the repository's sources");
  });

  test(`${example}: graph --stack dev shows what its dev stack deploys`, async () => {
    const { code, out, err } = await runCli(["graph", "--stack", "dev", "--format", "json"], { cwd: dir });
    assert.equal(code, 0, err);
    const physical = (JSON.parse(out) as { type: string; physicalName: string }[])
      .filter((r) => r.type === "docker:index/container:Container" || r.type === "docker:index/service:Service")
      .map((r) => r.physicalName);
    assert.deepEqual(physical, example === "engine-app" ? ["hello-web-1"] : ["hello_web"]);
  });
}
