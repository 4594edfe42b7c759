/**
 * The classic start order through the real Pulumi engine, on a one-node swarm (a
 * network-namespace test host): Postgres becomes healthy, the migration Job runs once
 * and exits 0, then two app replicas start and serve the seeded rows. A second `up`
 * changes nothing and does not run the Job again; a change to the Job's image runs it
 * exactly once more, before the app is updated.
 *
 * Needs `npm run setup` (pulumi CLI, docker and command plugins), the local Debian base
 * image (scripts/images/base.sh) and root for the test host; skips with the reason.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as docker from "@pulumi/docker";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { loadProject } from "../../infra/compose/load.ts";
import { ComposeProject } from "../../components/compose-project.ts";
import { createTestHosts, destroyTestHosts, harnessUnavailableReason, type TestHost, type TestHosts } from "../harness/hosts.ts";
import { bootstrapSwarm } from "../harness/swarm.ts";
import { publishImageFrom } from "../harness/images.ts";
import { daemonMissing, inlineStack, projectEnv, repoRoot, toolchainMissing } from "./pulumi-toolchain.ts";

const exec = promisify(execFile);
const appDir = join(repoRoot, "stacks/apps/postgres");
const BASE_IMAGE = "compose-pulumi/debian:bookworm";
const name = `pg-${randomBytes(3).toString("hex")}`;

let env: NodeJS.ProcessEnv = process.env;
let unavailable: string | undefined;
let hosts: TestHosts | undefined;
let manager: TestHost;
let stack: Stack | undefined;
let backendDir = "";
let appTag = "1.0.0";
let base = "";

async function docker_(args: string[]): Promise<string> {
  const { stdout } = await exec("docker", ["-H", manager.dockerHost, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

async function inspectService(service: string): Promise<any | undefined> {
  const out = await docker_(["service", "ls", "--quiet", "--filter", `name=${name}_${service}`]);
  if (out === "") return undefined;
  return JSON.parse(await docker_(["service", "inspect", out.split("\n")[0]]))[0];
}

/** The tasks of one service: state and the time of its last status change. */
async function tasks(service: string): Promise<{ state: string; at: number }[]> {
  const ids = await docker_(["service", "ps", "--quiet", `${name}_${service}`]);
  if (ids === "") return [];
  const inspected: any[] = JSON.parse(await docker_(["inspect", ...ids.split("\n")]));
  return inspected.map((task) => ({ state: task.Status.State, at: Date.parse(task.Status.Timestamp) }));
}

/** The host ports the app's replicas publish (host mode, ephemeral). */
async function appPorts(): Promise<number[]> {
  const lines = await docker_(["ps", "--filter", `label=com.docker.swarm.service.name=${name}_app`, "--format", "{{.Ports}}"]);
  return [...lines.matchAll(/:(\d+)->8000\/tcp/g)].map((m) => Number(m[1])).filter((p, i, all) => all.indexOf(p) === i);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, seconds = 180): Promise<T> {
  for (let i = 0; i < seconds; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function seededSkus(): string[] {
  const sql = readFileSync(join(appDir, "migrate/migrations/002_seed_items.sql"), "utf8");
  return [...sql.matchAll(/\('([^']+)'/g)].map((m) => m[1]).sort();
}

before(async () => {
  env = await projectEnv();
  unavailable = (await toolchainMissing(env, ["docker", "command"])) ?? (await daemonMissing(env)) ?? (await harnessUnavailableReason());
  if (!unavailable) {
    await exec("docker", ["image", "inspect", BASE_IMAGE], { env }).catch(() => {
      unavailable = `the base image ${BASE_IMAGE} is not on ${env.DOCKER_HOST} (run scripts/images/base.sh)`;
    });
  }
  if (unavailable) return;
  hosts = await createTestHosts(1);
  manager = hosts.hosts[0];
  await bootstrapSwarm(hosts, { managers: [manager], workers: [] });
  base = await publishImageFrom(hosts, env.DOCKER_HOST as string, BASE_IMAGE);
  backendDir = await mkdtemp(join(tmpdir(), "cp-jobs-backend-"));
  stack = await inlineStack(env, backendDir, "compose-pulumi-jobs", "swarm", async () => {
    const project = loadProject({
      files: [join(appDir, "compose.yaml"), join(appDir, "compose.test.yaml")],
      projectName: name,
      environment: { REGISTRY: hosts!.registry, BASE_IMAGE: base, APP_TAG: appTag },
    });
    const provider = new docker.Provider("swarm", { host: manager.dockerHost });
    new ComposeProject(name, { project, target: "swarm", provider, insecureRegistries: [hosts!.registry] });
  });
});

after(async () => {
  if (stack) {
    await stack.destroy().catch(() => undefined);
    await stack.workspace.removeStack(stack.name, { force: true }).catch(() => undefined);
  }
  if (backendDir) await rm(backendDir, { recursive: true, force: true });
  if (hosts) await destroyTestHosts(hosts);
});

describe("Postgres, a migration Job and two app replicas through pulumi up", { concurrency: 1 }, () => {
  let firstJobId = "";

  test("up: db healthy, then the Job once, then the app serves the seeded rows", { timeout: 20 * 60_000 }, async (t) => {
    if (unavailable) return t.skip(unavailable);
    let output = "";
    const result = await stack!.up({ onOutput: (line) => (output += line) }).catch((error) => {
      t.diagnostic(output);
      throw error;
    });
    assert.equal(result.summary.result, "succeeded");
    for (const secretFile of ["pg_owner_password", "app_password", "pg_superuser_password"]) {
      const value = readFileSync(join(appDir, "secrets", `${secretFile}.txt`), "utf8").trim();
      assert.ok(!output.includes(value), `${secretFile} appeared in the engine's output`);
    }

    const job = await inspectService("migrate");
    assert.ok(job, "the migration job service exists");
    assert.equal(job.Spec.Mode.ReplicatedJob !== undefined, true, "migrate runs as a replicated-job");
    firstJobId = job.ID;
    const jobTasks = await tasks("migrate");
    assert.deepEqual(jobTasks.map((task) => task.state), ["complete"], "the job ran exactly once and completed");

    // Only the Job gets the owner password; the app gets its own login only.
    const secretNames = (service: any) => (service.Spec.TaskTemplate.ContainerSpec.Secrets ?? []).map((s: any) => s.File.Name).sort();
    assert.deepEqual(secretNames(job), ["app_password", "pg_owner_password"]);
    const app = await inspectService("app");
    assert.deepEqual(secretNames(app), ["app_password"]);

    // The app's service was created after the job completed (start order by dependsOn).
    assert.ok(Date.parse(app.CreatedAt) >= jobTasks[0].at, `app created ${app.CreatedAt}, job completed ${new Date(jobTasks[0].at).toISOString()}`);

    const ports = await waitFor("two app replicas with ports", async () => {
      const found = await appPorts();
      return found.length === 2 ? found : undefined;
    });
    for (const port of ports) {
      const body = await waitFor(`the app on port ${port}`, async () => {
        const response = await fetch(`http://${manager.address}:${port}/`, { signal: AbortSignal.timeout(5000) });
        return response.status === 200 ? ((await response.json()) as { items: { sku: string }[] }) : undefined;
      });
      assert.deepEqual(body.items.map((item) => item.sku).sort(), seededSkus());
    }
  });

  test("a second up changes nothing and does not run the Job again", { timeout: 10 * 60_000 }, async (t) => {
    if (unavailable) return t.skip(unavailable);
    const second = await stack!.up();
    assert.deepEqual(Object.keys(second.summary.resourceChanges ?? {}), ["same"], JSON.stringify(second.summary.resourceChanges));
    assert.equal((await inspectService("migrate"))?.ID, firstJobId, "the job service was not recreated");
    assert.deepEqual((await tasks("migrate")).map((task) => task.state), ["complete"]);
  });

  test("a new image runs the Job exactly once more, before the app moves to it", { timeout: 20 * 60_000 }, async (t) => {
    if (unavailable) return t.skip(unavailable);
    appTag = "1.0.1";
    const preview = await stack!.preview({ diff: true });
    assert.ok((preview.changeSummary.replace ?? 0) + (preview.changeSummary.update ?? 0) > 0, preview.stdout);
    const third = await stack!.up();
    assert.equal(third.summary.result, "succeeded");
    const job = await inspectService("migrate");
    assert.notEqual(job.ID, firstJobId, "the job ran again as a new service");
    const jobTasks = await tasks("migrate");
    assert.deepEqual(jobTasks.map((task) => task.state), ["complete"], "exactly one run of the new job, and no leftover of the old one");
    assert.match(job.Spec.TaskTemplate.ContainerSpec.Image, /postgres-migrate:1\.0\.1@sha256:/);
    const app = await inspectService("app");
    assert.match(app.Spec.TaskTemplate.ContainerSpec.Image, /postgres-app:1\.0\.1@sha256:/);
    assert.ok(Date.parse(app.UpdatedAt) >= jobTasks[0].at, "the app moved to the new image after the job completed");
  });
});
