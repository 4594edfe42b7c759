/**
 * What fails `npm run preview` (scripts/preview.sh: the real Pulumi engine, language host
 * and policy pack), on an engine stack and on a swarm stack, new (nothing deployed: the
 * docker resources' inputs are unknown during the preview) and existing (after `pulumi
 * up` of the clean app):
 *
 *   - a literal credential planted in a service's environment: the pack's
 *     no-plaintext-secrets violation, naming the service and the variable;
 *   - a service waited on as healthy that has no healthcheck: the program refuses it
 *     before any resource exists, naming the dependent and the dependency.
 *
 * The clean app previews with exit 0, so a failure is the planted change's. The swarm is
 * one test host (test/harness) bootstrapped as a manager; the engine is this checkout's.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { stringify } from "yaml";
import { createTestHosts, destroyTestHosts, harnessUnavailableReason, type TestHosts } from "../harness/hosts.ts";
import { publishBusyboxImage } from "../harness/images.ts";
import { bootstrapSwarm } from "../harness/swarm.ts";
import { daemonMissing, projectEnv, toolchainMissing } from "./pulumi-toolchain.ts";

const exec = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../..");
const PLANTED = "sk_live_51H8plantedKey0000";

const PLAINTEXT_VIOLATION =
  "services.web.environment.STRIPE_API_KEY: a literal value in a variable named like a secret; " +
  "mount it as a compose secret (secrets: + STRIPE_API_KEY_FILE=/run/secrets/...) and set its value with `pulumi config set --secret`";
const HEALTHCHECK_REFUSAL = 'services.web.depends_on.db: waits for "db" to be healthy, but "db" has no healthcheck';

/** The clean app: web waits for db to be healthy; db has a healthcheck. */
function composeText(image: string): string {
  return [
    "services:",
    "  web:",
    `    image: ${image}`,
    "    command: [sleep, '3600']",
    "    environment:",
    "      MODE: production",
    "    depends_on:",
    "      db:",
    "        condition: service_healthy",
    "  db:",
    `    image: ${image}`,
    "    command: [sleep, '3600']",
    "    healthcheck:",
    "      test: [CMD, 'true']",
    "      interval: 1s",
    "      retries: 30",
    "",
  ].join("\n");
}

interface Workspace {
  dir: string;
  composeFile: string;
  stackFile: string;
  env: NodeJS.ProcessEnv;
  clean: string;
}

async function workspace(name: string, image: string, target: "engine" | "swarm", dockerHost: string, base: NodeJS.ProcessEnv): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), `cp-policy-${name}-`));
  const composeFile = join(dir, "compose.yaml");
  const clean = composeText(image);
  await writeFile(composeFile, clean);
  const stackFile = join(dir, "Pulumi.dev.yaml");
  await writeFile(
    stackFile,
    stringify({
      config: {
        "compose-pulumi:environment": "dev",
        "compose-pulumi:target": target,
        "compose-pulumi:docker": { host: dockerHost },
        "compose-pulumi:compose": { files: [composeFile], projectName: `policy-${name}-${process.pid}` },
      },
    }),
  );
  await mkdir(join(dir, "backend"));
  const env = {
    ...base,
    DOCKER_HOST: dockerHost,
    PULUMI_BACKEND_URL: `file://${join(dir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "compose-pulumi-dev",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  return { dir, composeFile, stackFile, env, clean };
}

/** `npm run preview -- dev --config-file <copy>`: its exit status and what it printed. */
async function preview(ws: Workspace): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await exec("npm", ["run", "-s", "preview", "--", "dev", "--config-file", ws.stackFile, "--non-interactive"], {
      env: ws.env,
      cwd: repoRoot,
      maxBuffer: 64 << 20,
    });
    return { code: 0, output: `${stdout}\n${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : 1, output: `${failed.stdout ?? ""}\n${failed.stderr ?? ""}` };
  }
}

async function pulumi(ws: Workspace, ...args: string[]): Promise<string> {
  const { stdout } = await exec("pulumi", [...args, "--stack", "dev", "--config-file", ws.stackFile, "--non-interactive"], {
    env: ws.env,
    cwd: repoRoot,
    maxBuffer: 64 << 20,
  }).catch((error) => assert.fail(`pulumi ${args.join(" ")} failed:\n${error.stdout}\n${error.stderr}`));
  return stdout;
}

const plantSecret = (ws: Workspace) => writeFile(ws.composeFile, ws.clean.replace("      MODE: production\n", `      MODE: production\n      STRIPE_API_KEY: ${PLANTED}\n`));
const dropHealthcheck = (ws: Workspace) => writeFile(ws.composeFile, ws.clean.replace(/ {4}healthcheck:\n(?: {6}.*\n)+/, ""));
const restore = (ws: Workspace) => writeFile(ws.composeFile, ws.clean);

/** Every file of the backend, as text: where a secret written in clear would show. */
async function backendText(ws: Workspace): Promise<string> {
  const texts: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else texts.push(await readFile(path, "utf8"));
    }
  };
  await walk(join(ws.dir, "backend"));
  return texts.join("\n");
}

/** The four cases on one workspace: planted secret and missing healthcheck, before and after `up`. */
async function checkPreviews(t: { diagnostic(message: string): void }, ws: Workspace): Promise<void> {
  await exec("pulumi", ["stack", "init", "dev", "--non-interactive"], { env: ws.env, cwd: repoRoot });
  for (const stage of ["new", "existing"] as const) {
    if (stage === "existing") {
      await pulumi(ws, "up", "--yes", "--skip-preview");
      t.diagnostic(`${stage}: deployed the clean app`);
    }
    const clean = await preview(ws);
    assert.equal(clean.code, 0, `${stage}: the clean app previews cleanly:\n${clean.output}`);

    await plantSecret(ws);
    const planted = await preview(ws);
    await restore(ws);
    assert.notEqual(planted.code, 0, `${stage}: a planted secret fails the preview`);
    assert.ok(planted.output.includes(PLAINTEXT_VIOLATION), `${stage}: the violation names the service and key:\n${planted.output}`);
    assert.match(planted.output, /no-plaintext-secrets/);
    assert.doesNotMatch(planted.output, /can't run policy/, `${stage}: no rule skipped`);

    await dropHealthcheck(ws);
    const unhealthy = await preview(ws);
    await restore(ws);
    assert.notEqual(unhealthy.code, 0, `${stage}: a missing healthcheck fails the preview`);
    assert.ok(unhealthy.output.includes(HEALTHCHECK_REFUSAL), `${stage}: the refusal names both services:\n${unhealthy.output}`);
  }
  assert.ok(!(await backendText(ws)).includes(PLANTED), "the planted value is nowhere in the backend");
}

async function teardown(ws: Workspace | undefined): Promise<void> {
  if (ws === undefined) return;
  await exec("pulumi", ["destroy", "--yes", "--non-interactive", "--stack", "dev", "--config-file", ws.stackFile], { env: ws.env, cwd: repoRoot, maxBuffer: 64 << 20 }).catch(() => undefined);
  await rm(ws.dir, { recursive: true, force: true });
}

describe("npm run preview fails on a planted secret and a missing healthcheck", { timeout: 15 * 60_000 }, () => {
  let base: NodeJS.ProcessEnv = process.env;
  let missing: string | undefined;
  let engine: Workspace | undefined;
  let swarm: Workspace | undefined;
  let hosts: TestHosts | undefined;

  before(async () => {
    base = await projectEnv();
    missing = (await toolchainMissing(base, ["docker"])) ?? (await daemonMissing(base));
  });

  after(async () => {
    await teardown(engine);
    await teardown(swarm);
    if (hosts !== undefined) await destroyTestHosts(hosts);
  });

  test("engine stack, new and existing", async (t) => {
    if (missing) return t.skip(missing);
    const image = "compose-pulumi/debian:bookworm";
    const found = await exec("docker", ["image", "inspect", image], { env: base }).then(() => true, () => false);
    if (!found) return t.skip(`the base image ${image} is not on ${base.DOCKER_HOST} (run scripts/images/base.sh)`);
    engine = await workspace("engine", image, "engine", base.DOCKER_HOST ?? "unix:///var/run/docker.sock", base);
    await checkPreviews(t, engine);
  });

  test("swarm stack on a one-node swarm, new and existing", async (t) => {
    if (missing) return t.skip(missing);
    const unavailable = await harnessUnavailableReason();
    if (unavailable) return t.skip(unavailable);
    hosts = await createTestHosts(1);
    await bootstrapSwarm(hosts, { managers: [hosts.hosts[0]], workers: [] });
    const busybox = await publishBusyboxImage(hosts);
    swarm = await workspace("swarm", busybox, "swarm", hosts.hosts[0].dockerHost, base);
    await checkPreviews(t, swarm);
  });
});
