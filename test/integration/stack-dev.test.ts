/**
 * The dev stack through the real toolchain: `pulumi up` of a copy of the WordPress
 * example on this checkout's engine (temporary file:// backend), then `npm run preview --
 * dev` (scripts/preview.sh, policy pack included) after editing the copy:
 *
 *   - change an image tag (web 6.1.9 -> 6.1.10): the web image and its container change;
 *   - add a replica (db 1 -> 2; web stays at the dev stack's one replica): one container
 *     is created;
 *   - rotate a secret (db_password's file): the two containers that mount it change;
 *
 * each on its own and all three together, and nothing else changes. The stack file is a
 * copy of stacks/Pulumi.dev.yaml pointing at the copy (own project name, port and image
 * names, so it runs beside `npm start`'s stack).
 *
 * Needs `npm run setup` and the Debian base image; skips with the reason otherwise.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { daemonMissing, toolchainMissing } from "./pulumi-toolchain.ts";
import { freePort } from "./free-port.ts";

const exec = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../..");
const BASE_IMAGE = "compose-pulumi/debian:bookworm";
const suffix = randomBytes(3).toString("hex");
const projectName = `wpdev-${suffix}`;
const imagePrefix = `cp-stackdev-${suffix}`;

/** .state/env (written by setup) under the caller's environment; a pulumi on the caller's PATH wins. */
async function projectEnv(): Promise<NodeJS.ProcessEnv> {
  let fromFile: Record<string, string> = {};
  try {
    const { stdout } = await exec("bash", ["-c", '. "$1" && env -0', "env", join(repoRoot, ".state/env")]);
    fromFile = Object.fromEntries(stdout.split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  } catch {
    return process.env;
  }
  const callerHasPulumi = await exec("bash", ["-c", "command -v pulumi"], { env: process.env }).then(() => true, () => false);
  const path = callerHasPulumi ? `${process.env.PATH}${delimiter}${fromFile.PATH}` : fromFile.PATH ?? process.env.PATH;
  return { ...fromFile, ...process.env, PATH: path };
}

async function missingPrerequisite(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const missing = (await toolchainMissing(env, ["docker"])) ?? (await daemonMissing(env));
  if (missing) return missing;
  try {
    await exec("docker", ["image", "inspect", BASE_IMAGE], { env });
  } catch {
    return `the base image ${BASE_IMAGE} is not on ${env.DOCKER_HOST} (run scripts/images/base.sh, or npm start)`;
  }
  return undefined;
}


interface Step {
  op: string;
  urn: string;
  detailedDiff?: Record<string, unknown>;
  diffReasons?: string[];
}

/** `type name -> op` of every step that changes something. */
function changes(steps: Step[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const step of steps) {
    if (step.op === "same" || step.op === "read") continue;
    const parts = step.urn.split("::");
    const type = parts[2].split("$").pop()!;
    out[`${type} ${parts[3]}`] = step.op;
  }
  return out;
}

/**
 * The same from the text people read (`pulumi preview --diff`): each resource header
 * `+-docker:index/container:Container: (replace)` is followed by its `[urn=...]` line.
 */
function textChanges(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    const header = /^\s*(?:\+-|-\+|[-+~])?\s*([\w:/.-]+): \(([\w-]+)\)$/.exec(line);
    if (header === null || header[2] === "same") return;
    const urnLine = lines.slice(index + 1, index + 4).find((next) => next.trim().startsWith("[urn="));
    if (urnLine === undefined) return;
    const urn = urnLine.trim().slice("[urn=".length, -1);
    out[`${header[1]} ${urn.split("::").pop()}`] = header[2];
  });
  return out;
}

let env: NodeJS.ProcessEnv = process.env;
let missing: string | undefined;
let work = "";
let stackFile = "";
let appDir = "";

before(async () => {
  env = await projectEnv();
  missing = await missingPrerequisite(env);
  if (missing) return;
  work = await mkdtemp(join(tmpdir(), "cp-stack-dev-"));
  appDir = join(work, "wordpress");
  await cp(join(repoRoot, "stacks/apps/wordpress"), appDir, { recursive: true });
  const stack = parse(await readFile(join(repoRoot, "stacks/Pulumi.dev.yaml"), "utf8"));
  const compose = stack.config["compose-pulumi:compose"];
  compose.files = [join(appDir, "compose.yaml")];
  compose.projectName = projectName;
  compose.variables = { ...compose.variables, WORDPRESS_PORT: String(await freePort()), REGISTRY: imagePrefix };
  stackFile = join(work, "Pulumi.dev.yaml");
  await writeFile(stackFile, stringify(stack));
  env = {
    ...env,
    PULUMI_BACKEND_URL: `file://${join(work, "backend")}`,
    // The passphrase the committed dev stack file's salt was made with.
    PULUMI_CONFIG_PASSPHRASE: "compose-pulumi-dev",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  await exec("mkdir", ["-p", join(work, "backend")]);
});

after(async () => {
  if (!work) return;
  await exec("pulumi", ["destroy", "--yes", "--non-interactive", "--stack", "dev", "--config-file", stackFile], { env, cwd: repoRoot, maxBuffer: 64 << 20 }).catch(() => undefined);
  const images = await exec("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", `${imagePrefix}/*`], { env }).catch(() => ({ stdout: "" }));
  for (const image of images.stdout.split("\n").filter(Boolean)) await exec("docker", ["rmi", image], { env }).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

/** `npm run preview -- dev --config-file <copy> ...` */
async function preview(...extra: string[]): Promise<string> {
  try {
    const { stdout } = await exec("npm", ["run", "-s", "preview", "--", "dev", "--config-file", stackFile, "--non-interactive", ...extra], {
      env,
      cwd: repoRoot,
      maxBuffer: 64 << 20,
    });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    assert.fail(`npm run preview failed:\n${failed.stdout ?? ""}\n${failed.stderr ?? ""}`);
  }
}

async function previewChanges(): Promise<{ changes: Record<string, string>; steps: Step[] }> {
  const result = JSON.parse(await preview("--json"));
  return { changes: changes(result.steps ?? []), steps: result.steps ?? [] };
}

async function edit(file: string, from: string, to: string): Promise<() => Promise<void>> {
  const original = await readFile(file, "utf8");
  assert.ok(original.includes(from), `${file} contains ${from}`);
  await writeFile(file, original.replace(from, to));
  return () => writeFile(file, original);
}

const composeFile = () => join(appDir, "compose.yaml");
const tagChange = () => edit(composeFile(), "${WORDPRESS_TAG:-6.1.9}", "${WORDPRESS_TAG:-6.1.10}");
const addReplica = () => edit(composeFile(), "      replicas: 1\n      placement:", "      replicas: 2\n      placement:");
const rotateSecret = async () => {
  const file = join(appDir, "secrets/db_password.txt");
  const original = await readFile(file, "utf8");
  await writeFile(file, `rotated-${suffix}\n`);
  return () => writeFile(file, original);
};

const C = "docker:index/container:Container";
const TAG_CHANGES = { [`docker:index/remoteImage:RemoteImage ${projectName}-web`]: "replace", [`${C} ${projectName}-web-1`]: "replace" };
const REPLICA_CHANGES = { [`${C} ${projectName}-db-2`]: "create" };
const SECRET_CHANGES = { [`${C} ${projectName}-db-1`]: "replace", [`${C} ${projectName}-web-1`]: "replace" };

let deployed = false;

test("dev stack: up, then each edit of the compose project previews exactly its own changes", { timeout: 20 * 60_000 }, async (t) => {
  if (missing) return t.skip(missing);
  await exec("pulumi", ["stack", "init", "dev", "--non-interactive"], { env, cwd: repoRoot });
  const up = await exec("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", "dev", "--config-file", stackFile], {
    env,
    cwd: repoRoot,
    maxBuffer: 64 << 20,
  }).catch((error) => assert.fail(`pulumi up failed:\n${error.stdout}\n${error.stderr}`));
  t.diagnostic(up.stdout.split("\n").filter((line) => /^Resources:|^\s+[+~-]? ?\d+ /.test(line)).join(" | "));

  deployed = true;

  // A deployment previews as unchanged right after `up`: provider inputs equal what is read back.
  const unchanged = await previewChanges();
  assert.deepEqual(
    unchanged.changes,
    {},
    `no edit, no change right after up: ${JSON.stringify(unchanged.steps.filter((s) => s.op !== "same").map((s) => ({ urn: s.urn, diff: s.detailedDiff ?? s.diffReasons })))}`,
  );

  // Every edit is checked; the mismatches are reported together.
  const mismatches: Record<string, unknown> = {};
  for (const [what, apply, expected] of [
    ["image tag", tagChange, TAG_CHANGES],
    ["replica", addReplica, REPLICA_CHANGES],
    ["secret", rotateSecret, SECRET_CHANGES],
  ] as const) {
    const undo = await apply();
    try {
      const { changes: found, steps } = await previewChanges();
      try {
        assert.deepEqual(found, expected);
      } catch {
        mismatches[what] = { expected, found, diff: steps.filter((s) => s.op !== "same").map((s) => ({ op: s.op, urn: s.urn.split("::").pop(), diff: s.detailedDiff ?? s.diffReasons })) };
      }
    } finally {
      await undo();
    }
  }
  assert.deepEqual(mismatches, {}, "each edit previews exactly its own changes");
});

test("all three edits together: their changes and nothing else, in the diff people read", { timeout: 10 * 60_000 }, async (t) => {
  if (missing) return t.skip(missing);
  if (!deployed) return t.skip("the dev stack was not deployed (see the previous test)");
  const undo = [await tagChange(), await addReplica(), await rotateSecret()];
  try {
    const { changes: found } = await previewChanges();
    assert.deepEqual(found, { ...TAG_CHANGES, ...REPLICA_CHANGES, ...SECRET_CHANGES });

    const text = await preview();
    assert.deepEqual(textChanges(text), { ...TAG_CHANGES, ...REPLICA_CHANGES, ...SECRET_CHANGES });
    assert.ok(text.includes(`"${imagePrefix}/wordpress-web:6.1.9" => "${imagePrefix}/wordpress-web:6.1.10"`), "the diff shows the image tag change");
    const summary = text.slice(text.lastIndexOf("Resources:")).split("\n").slice(0, 4).map((line) => line.trim());
    assert.deepEqual(summary, ["Resources:", "+ 1 to create", "+-3 to replace", "4 changes. 16 unchanged"]);
  } finally {
    for (const restore of undo.reverse()) await restore();
  }
});
