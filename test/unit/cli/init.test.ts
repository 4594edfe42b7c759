/**
 * `compose-pulumi init`: from a folder with a compose file to a Pulumi project that
 * deploys it, never overwriting a file, and whose stack file `graph --stack` reads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { runCli } from "./run-cli.ts";
import { writeProject } from "../compose/assembly-helpers.ts";
import { REPO_ROOT } from "../compose/fixture-paths.ts";

const COMPOSE = `name: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    secrets: [token]
  db:
    image: postgres:16.4
secrets:
  token:
    file: ./token.txt
`;
const WRITTEN = ["Pulumi.yaml", "package.json", "index.ts", "Pulumi.dev.yaml", ".gitignore"];
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));

test("writes the project: Pulumi.yaml, package.json, index.ts, the stack and .gitignore", async () => {
  const dir = writeProject({ "compose.yaml": COMPOSE, "token.txt": "dev" });
  const { code, out, err } = await runCli(["init"], { cwd: dir });
  assert.equal(code, 0, err);
  assert.equal(err, "");
  assert.equal(out, `Wrote ${WRITTEN.join(", ")} for compose project "shop" (2 services, target engine).\nNext:\n  npm install\n  pulumi up --stack dev\n`);

  const pulumiYaml = parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
  assert.deepEqual(pulumiYaml.runtime, { name: "nodejs", options: { typescript: false } }, "Node's type stripping runs index.ts; no nodeargs");
  assert.equal(pulumiYaml.name, "shop");

  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  assert.equal(pkg.type, "module");
  assert.equal(pkg.main, "index.ts");
  assert.equal(pkg.engines.node, ">=22.18");
  assert.deepEqual(pkg.dependencies, { "@pulumi/pulumi": manifest.dependencies["@pulumi/pulumi"], "compose-pulumi": `^${manifest.version}` });

  const program = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
  assert.match(program, /import \{ ComposeApp, type ComposeAppArgs \} from "compose-pulumi";/);
  assert.match(program, /const app = new ComposeApp\("shop", \{/);
  for (const output of ["url", "urls", "services", "images", "project"]) assert.match(program, new RegExp(`^export const ${output} = app\\.`, "m"), output);

  const stack = parse(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8"));
  assert.deepEqual(stack.config, {
    "compose-pulumi:environment": "dev",
    "compose-pulumi:target": "engine",
    "compose-pulumi:compose": { files: ["compose.yaml"] },
  });
  assert.match(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8"), /pulumi config set --secret --path 'compose-pulumi:secrets\.token' <value>/);
  assert.equal(fs.readFileSync(path.join(dir, ".gitignore"), "utf8"), "node_modules/\n");

  // The stack file is in the format graph --stack reads: it shows what `pulumi up` would create.
  const graph = await runCli(["graph", "--stack", "dev", "--format", "json"], { cwd: dir });
  assert.equal(graph.code, 0, graph.err);
  assert.deepEqual(
    (JSON.parse(graph.out) as { type: string; name: string }[]).filter((r) => r.type === "docker:index/container:Container").map((r) => r.name).sort(),
    ["shop-db-1", "shop-web-1"],
  );
});

test("options: files, target, stack, environment, name and a tarball as the dependency", async () => {
  const dir = writeProject({ "app.yaml": COMPOSE, "token.txt": "dev", "vendor/compose-pulumi-0.2.0.tgz": "" });
  const { code, err } = await runCli(
    ["init", "-f", "app.yaml", "--target", "swarm", "--stack", "prod-eu", "--environment", "prod", "--name", "shop-eu", "--package-spec", "vendor/compose-pulumi-0.2.0.tgz"],
    { cwd: dir },
  );
  assert.equal(code, 0, err);
  assert.equal(parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")).name, "shop-eu");
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).dependencies["compose-pulumi"], "file:vendor/compose-pulumi-0.2.0.tgz");
  const text = fs.readFileSync(path.join(dir, "Pulumi.prod-eu.yaml"), "utf8");
  assert.deepEqual(parse(text).config, {
    "compose-pulumi:environment": "prod",
    "compose-pulumi:target": "swarm",
    "compose-pulumi:compose": { files: ["app.yaml"] },
  });
  assert.match(text, /a prod stack needs each one set here/);
});

test("never overwrites: every existing file is named, nothing is written, exit 1", async () => {
  const dir = writeProject({ "compose.yaml": COMPOSE, "index.ts": "// mine\n", ".gitignore": "dist/\n" });
  const { code, out, err } = await runCli(["init"], { cwd: dir });
  assert.equal(code, 1);
  assert.equal(out, "");
  assert.deepEqual(err.trimEnd().split("\n"), [
    `error: ${path.join(dir, "index.ts")}: already exists; init never overwrites a file (move it away, or run init in an empty folder)`,
    `error: ${path.join(dir, ".gitignore")}: already exists; init never overwrites a file (move it away, or run init in an empty folder)`,
  ]);
  assert.deepEqual(fs.readdirSync(dir).sort(), [".gitignore", "compose.yaml", "index.ts"]);
  assert.equal(fs.readFileSync(path.join(dir, "index.ts"), "utf8"), "// mine\n");
});

test("a broken compose file is reported with its positions before anything is written", async () => {
  const dir = writeProject({ "compose.yaml": "services:\n  web:\n    imagee: nginx\n" });
  const { code, err } = await runCli(["init"], { cwd: dir });
  assert.equal(code, 1);
  assert.equal(err, `${path.join(dir, "compose.yaml")}:3:5: services.web.imagee: unknown key "imagee" (did you mean "image"?)\n`);
  assert.deepEqual(fs.readdirSync(dir), ["compose.yaml"]);
});

test("wrong options are usage errors", async () => {
  const dir = writeProject({ "compose.yaml": COMPOSE });
  for (const [argv, message] of [
    [["init", "--target", "k8s"], '--target must be engine, swarm or kubernetes, got "k8s"'],
    [["init", "--environment", "qa"], '--environment must be dev, staging or prod, got "qa"'],
    [["init", "--stack", "a b"], '--stack must be letters, digits, "_", "." or "-", got "a b"'],
    [["init", "extra"], "Unexpected argument 'extra'"],
  ] as const) {
    const result = await runCli([...argv], { cwd: dir });
    assert.equal(result.code, 2, argv.join(" "));
    assert.ok(result.err.startsWith(message), result.err.split("\n")[0]);
  }
  assert.deepEqual(fs.readdirSync(dir), ["compose.yaml"]);
});

test("kubernetes: the stack names the target and shows the cluster's settings; graph --stack shows the Deployments", async () => {
  const dir = writeProject({ "compose.yaml": COMPOSE, "token.txt": "dev" });
  const { code, err } = await runCli(["init", "--target", "kubernetes"], { cwd: dir });
  assert.equal(code, 0, err);
  const text = fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
  assert.equal(parse(text).config["compose-pulumi:target"], "kubernetes");
  assert.match(text, /\n  # compose-pulumi:kubernetes:\n  #   kubeconfig: ~\/\.kube\/prod\.yaml\n/);
  assert.match(fs.readFileSync(path.join(dir, "index.ts"), "utf8"), /kubernetes: config\.getObject<ComposeAppArgs\["kubernetes"\]>\("kubernetes"\),/);
  const graph = await runCli(["graph", "--stack", "dev", "--format", "json"], { cwd: dir });
  assert.equal(graph.code, 0, graph.err);
  assert.deepEqual(
    (JSON.parse(graph.out) as { type: string; name: string }[]).filter((r) => r.type === "kubernetes:apps/v1:Deployment").map((r) => r.name).sort(),
    ["shop-db", "shop-web"],
  );
});
