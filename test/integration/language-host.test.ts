// The Node.js language host starts programs and policy packs exactly as Pulumi's official
// host (sdk/nodejs/cmd/pulumi-language-nodejs) does. Each test runs the real pulumi CLI
// with the host set-up provides, and asserts one point of that behaviour, observed from
// inside node: the order of node's arguments, the environment, the working directory,
// the runtime options and the error texts. A program or policy pack that passes here
// therefore also runs under the official host, and one that needs our host's quirks fails.
//
// Points pinned, with the official host's behaviour:
//   program:     node <nodeargs> <@pulumi/pulumi/cmd/run> --monitor --engine --sync ...;
//                PULUMI_CONFIG is "{}" for a stack without config; PULUMI_NODEJS_TYPESCRIPT
//                only when `typescript` is true (the default)
//   policy pack: node <run-policy-pack> <nodeargs> <engine> <pack dir>: nodeargs reach the
//                script, not node; cwd is the pack; the stack's organization, project,
//                stack, dry-run flag and config arrive as PULUMI_NODEJS_* and PULUMI_CONFIG
//   errors:      "Program exited with non-zero exit code: N"; "typescript option must be
//                a boolean"; "It looks like the Pulumi SDK has not been installed. Have you
//                run pulumi install?"
// Needs `npm run setup`; skips with the reason when the CLI is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, mkdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectEnv, repoRoot } from "./pulumi-toolchain.ts";

const run = promisify(execFile);

interface Probe {
  argv: string[];
  execArgv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Source of a module that writes what node was started with to $PROBE_DIR/<name>.json. */
function probeSource(name: string): string {
  return `
const fs = require("node:fs");
const path = require("node:path");
const keys = Object.keys(process.env).filter((k) => k.startsWith("PULUMI_NODEJS_") || k === "PULUMI_CONFIG" || k === "PULUMI_CONFIG_SECRET_KEYS" || k === "PROBE_DIR");
fs.writeFileSync(path.join(process.env.PROBE_DIR, ${JSON.stringify(name)} + ".json"), JSON.stringify({
  argv: process.argv, execArgv: process.execArgv, cwd: process.cwd(),
  env: Object.fromEntries(keys.map((k) => [k, process.env[k]])),
}));
`;
}

interface Workspace {
  dir: string;
  probes: string;
  env: NodeJS.ProcessEnv;
  pulumi(args: string[], cwd: string): Promise<{ code: number; output: string }>;
}

async function workspace(t: { after(fn: () => Promise<void>): void }, baseEnv: NodeJS.ProcessEnv): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "cp-langhost-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const probes = join(dir, "probes");
  await mkdir(join(dir, "backend"), { recursive: true });
  await mkdir(probes);
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    PULUMI_BACKEND_URL: `file://${join(dir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "language-host-test-only",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PROBE_DIR: probes,
  };
  return {
    dir,
    probes,
    env,
    async pulumi(args, cwd) {
      try {
        const { stdout, stderr } = await run("pulumi", [...args, "--non-interactive"], { env, cwd, maxBuffer: 16 << 20 });
        return { code: 0, output: stdout + stderr };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof failed.code === "number" ? failed.code : 1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
      }
    },
  };
}

/** A project directory whose node_modules is the repository's (the same @pulumi/pulumi). */
async function project(ws: Workspace, name: string, files: Record<string, string>, withModules = true): Promise<string> {
  const dir = join(ws.dir, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  if (withModules) await symlink(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  return dir;
}

async function readProbe(ws: Workspace, name: string): Promise<Probe> {
  return JSON.parse(await readFile(join(ws.probes, `${name}.json`), "utf8"));
}

async function cliMissing(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    await run("pulumi", ["version"], { env });
    return undefined;
  } catch {
    return "no pulumi CLI on PATH (run `npm run setup`; .state/env provides it)";
  }
}

const programFiles = (options: string, program: string, name = "langhost-probe"): Record<string, string> => ({
  "Pulumi.yaml": `name: ${name}\nruntime:\n  name: nodejs\n  options:\n${options}main: index.cjs\n`,
  "package.json": JSON.stringify({ name, version: "1.0.0" }),
  "index.cjs": program,
});

test("a program: nodeargs come before the SDK's run script, with its flags, PULUMI_CONFIG {} and no TypeScript variable when typescript is false", { timeout: 300_000 }, async (t) => {
  const baseEnv = await projectEnv();
  const missing = await cliMissing(baseEnv);
  if (missing) return t.skip(missing);
  const ws = await workspace(t, baseEnv);
  const marker = join(ws.dir, "nodeargs-loaded");
  await writeFile(join(ws.dir, "marker.cjs"), `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "program");\n`);
  const dir = await project(ws, "program", programFiles(
    `    typescript: false\n    nodeargs: "--require ${join(ws.dir, "marker.cjs")}"\n`,
    `${probeSource("program")}\nrequire("@pulumi/pulumi");\n`,
  ));
  assert.equal((await ws.pulumi(["stack", "init", "probe"], dir)).code, 0);

  const preview = await ws.pulumi(["preview", "--stack", "probe"], dir);
  assert.equal(preview.code, 0, preview.output);

  const probe = await readProbe(ws, "program");
  assert.ok(existsSync(marker), "nodeargs reached node: the --require module ran");
  assert.deepEqual(probe.execArgv, ["--require", join(ws.dir, "marker.cjs")]);
  // The SDK's run script turns its flags into PULUMI_NODEJS_* for the program.
  assert.equal(probe.env.PULUMI_NODEJS_PROJECT, "langhost-probe");
  assert.equal(probe.env.PULUMI_NODEJS_STACK, "probe");
  assert.equal(probe.env.PULUMI_NODEJS_DRY_RUN, "true");
  assert.match(probe.env.PULUMI_NODEJS_MONITOR ?? "", /^127\.0\.0\.1:\d+$/, "the program talks to the host's monitor proxy");
  assert.match(probe.env.PULUMI_NODEJS_ENGINE ?? "", /:\d+$/);
  const syncDir = probe.env.PULUMI_NODEJS_SYNC ?? "";
  assert.ok(syncDir !== "", "--sync names the synchronous-invoke pipes");
  assert.equal(probe.env.PULUMI_CONFIG, "{}", "a stack without config gets an empty object, not null");
  assert.equal(probe.env.PULUMI_CONFIG_SECRET_KEYS, "[]");
  assert.equal(probe.env.PULUMI_NODEJS_TYPESCRIPT, undefined);
  assert.equal(probe.cwd, dir);
  // The pipes are gone once the run ended.
  await assert.rejects(stat(syncDir));
});

test("a program: config keys arrive as <namespace>:config:<name>, secret keys listed, and typescript (default true) sets PULUMI_NODEJS_TYPESCRIPT", { timeout: 300_000 }, async (t) => {
  const baseEnv = await projectEnv();
  const missing = await cliMissing(baseEnv);
  if (missing) return t.skip(missing);
  const ws = await workspace(t, baseEnv);
  // A .cjs entry point: with typescript on, the SDK registers ts-node, which leaves it alone.
  const dir = await project(ws, "program", programFiles("    nodeargs: \"\"\n", `${probeSource("program")}\n`));
  assert.equal((await ws.pulumi(["stack", "init", "probe"], dir)).code, 0);
  assert.equal((await ws.pulumi(["config", "set", "--stack", "probe", "greeting", "hello"], dir)).code, 0);
  assert.equal((await ws.pulumi(["config", "set", "--stack", "probe", "--secret", "token", "s3cr3t-value"], dir)).code, 0);

  const preview = await ws.pulumi(["preview", "--stack", "probe"], dir);
  assert.equal(preview.code, 0, preview.output);
  const probe = await readProbe(ws, "program");
  assert.deepEqual(JSON.parse(probe.env.PULUMI_CONFIG ?? "null"), {
    "langhost-probe:config:greeting": "hello",
    "langhost-probe:config:token": "s3cr3t-value",
  });
  assert.deepEqual(JSON.parse(probe.env.PULUMI_CONFIG_SECRET_KEYS ?? "null"), ["langhost-probe:token"]);
  assert.equal(probe.env.PULUMI_NODEJS_TYPESCRIPT, "true");
});

test("a policy pack: nodeargs come after run-policy-pack (node never reads them), it runs in its own directory with the stack in PULUMI_NODEJS_*, and its violation fails the preview", { timeout: 300_000 }, async (t) => {
  const baseEnv = await projectEnv();
  const missing = await cliMissing(baseEnv);
  if (missing) return t.skip(missing);
  const ws = await workspace(t, baseEnv);
  const marker = join(ws.dir, "nodeargs-loaded");
  await writeFile(join(ws.dir, "marker.cjs"), `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "pack");\n`);
  const pack = await project(ws, "pack", {
    "PulumiPolicy.yaml": `runtime:\n  name: nodejs\n  options:\n    typescript: false\n    nodeargs: "--require ${join(ws.dir, "marker.cjs")}"\n`,
    "package.json": JSON.stringify({ name: "probe-pack", version: "1.0.0", main: "index.cjs" }),
    "index.cjs": `${probeSource("pack")}
const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("probe-pack", { policies: [{
  name: "no-probe-stack", description: "flags the stack", enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => reportViolation("probe-pack saw " + args.resources.length + " resources"),
}] });
`,
  });
  const dir = await project(ws, "program", programFiles("    typescript: false\n", `require("@pulumi/pulumi");\n`));
  assert.equal((await ws.pulumi(["stack", "init", "probe"], dir)).code, 0);
  assert.equal((await ws.pulumi(["config", "set", "--stack", "probe", "level", "3"], dir)).code, 0);

  const preview = await ws.pulumi(["preview", "--stack", "probe", "--policy-pack", pack], dir);
  assert.notEqual(preview.code, 0, "a mandatory violation fails the preview");
  assert.match(preview.output, /no-probe-stack/);
  assert.match(preview.output, /probe-pack saw \d+ resources/);

  const probe = await readProbe(ws, "pack");
  assert.ok(!existsSync(marker), "node did not load the nodeargs module");
  assert.deepEqual(probe.execArgv, []);
  const script = probe.argv.findIndex((arg) => arg.endsWith("run-policy-pack/index.js") || arg.endsWith("run-policy-pack"));
  assert.ok(script > 0, `argv names run-policy-pack: ${JSON.stringify(probe.argv)}`);
  // The SDK's script shifts its own arguments off; what node received is in PULUMI_NODEJS_*,
  // and the pack directory is the last argument the script was given.
  assert.equal(probe.cwd, pack);
  assert.equal(probe.env.PULUMI_NODEJS_PROJECT, "langhost-probe");
  assert.equal(probe.env.PULUMI_NODEJS_STACK, "probe");
  assert.equal(probe.env.PULUMI_NODEJS_DRY_RUN, "true");
  assert.equal(probe.env.PULUMI_NODEJS_ORGANIZATION, "organization");
  assert.deepEqual(JSON.parse(probe.env.PULUMI_CONFIG ?? "null"), { "langhost-probe:level": "3" });
  assert.equal(probe.env.PULUMI_NODEJS_TYPESCRIPT, undefined);
});

test("this project's policy pack loads the way the official host starts it and enforces a rule (odd-manager-count)", { timeout: 300_000 }, async (t) => {
  const baseEnv = await projectEnv();
  const missing = await cliMissing(baseEnv);
  if (missing) return t.skip(missing);
  const ws = await workspace(t, baseEnv);
  const environmentModule = join(repoRoot, "components/environment.ts");
  const dir = await project(ws, "program", {
    "Pulumi.yaml": "name: langhost-policy\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.ts\n",
    "package.json": JSON.stringify({ name: "langhost-policy", version: "1.0.0", type: "module" }),
    "index.ts": `import { Environment } from ${JSON.stringify(environmentModule)};
const facts: ConstructorParameters<typeof Environment>[1] = { environment: "prod", stack: "probe", target: "swarm", project: "shop", managers: 2, workers: 1 };
new Environment("environment", facts);
`,
  });
  assert.equal((await ws.pulumi(["stack", "init", "probe"], dir)).code, 0);
  const preview = await ws.pulumi(["preview", "--stack", "probe", "--policy-pack", join(repoRoot, "policy")], dir);
  assert.notEqual(preview.code, 0, preview.output);
  assert.match(preview.output, /odd-manager-count/);
  assert.match(preview.output, /2 managers/);
});

test("errors read as the official host's: a failing program's exit code, a wrong option type, a missing SDK", { timeout: 300_000 }, async (t) => {
  const baseEnv = await projectEnv();
  const missing = await cliMissing(baseEnv);
  if (missing) return t.skip(missing);
  const ws = await workspace(t, baseEnv);

  const failing = await project(ws, "failing", programFiles("    typescript: false\n", "process.exit(7);\n", "langhost-failing"));
  assert.equal((await ws.pulumi(["stack", "init", "probe"], failing)).code, 0);
  const exited = await ws.pulumi(["preview", "--stack", "probe"], failing);
  assert.notEqual(exited.code, 0);
  assert.match(exited.output, /Program exited with non-zero exit code: 7/);

  const badOption = await project(ws, "bad-option", programFiles("    typescript: \"yes\"\n", "require('@pulumi/pulumi');\n", "langhost-bad-option"));
  assert.equal((await ws.pulumi(["stack", "init", "probe"], badOption)).code, 0);
  const rejected = await ws.pulumi(["preview", "--stack", "probe"], badOption);
  assert.notEqual(rejected.code, 0);
  assert.match(rejected.output, /typescript option must be a boolean/);

  const noSdk = await project(ws, "no-sdk", programFiles("    typescript: false\n", "module.exports = {};\n", "langhost-no-sdk"), false);
  assert.equal((await ws.pulumi(["stack", "init", "probe"], noSdk)).code, 0);
  const unresolved = await ws.pulumi(["preview", "--stack", "probe"], noSdk);
  assert.notEqual(unresolved.code, 0);
  assert.match(unresolved.output, /It looks like the Pulumi SDK has not been installed\. Have you run pulumi install\?/);
});
