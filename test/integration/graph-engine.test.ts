/**
 * ComposeProject under the real Pulumi engine (Automation API, inline program, temporary
 * file:// backend):
 *
 * - Flask + Redis + nginx on this checkout's Docker daemon (engine target): `pulumi up`
 *   builds the images and starts the containers in depends_on order; the app answers
 *   through nginx; `docker compose`-style labels find the containers; a second `up`
 *   changes nothing; `destroy` removes everything.
 * - WordPress + MariaDB on a one-node swarm (a network-namespace test host bootstrapped
 *   with the product's swarm scripts): images are built on the manager and pushed to the
 *   hosts' registry, the stack converges (db healthy before web, three web replicas),
 *   `docker stack ps` lists it, and a second `up` changes nothing.
 *
 * Needs `npm run setup` (pulumi CLI, docker provider plugin, the daemon in .state/env) and
 * the local Debian base image (scripts/images/base.sh); the swarm part also needs root for
 * the test hosts. Each part skips with the reason when something is missing.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import * as docker from "@pulumi/docker";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation/index.js";
import { loadProject } from "../../infra/compose/load.ts";
import { ComposeProject } from "../../components/compose-project.ts";
import type { Project } from "../../infra/compose/schema/index.ts";
import { createTestHosts, destroyTestHosts, harnessUnavailableReason, type TestHosts } from "../harness/hosts.ts";
import { bootstrapSwarm } from "../harness/swarm.ts";
import { daemonMissing, projectEnv, toolchainMissing as pulumiToolchainMissing } from "./pulumi-toolchain.ts";
import { publishImageFrom } from "../harness/images.ts";
import { freePort } from "./free-port.ts";

const exec = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../..");
const appsDir = join(repoRoot, "stacks/apps");
const BASE_IMAGE = "compose-pulumi/debian:bookworm";
const suffix = randomBytes(3).toString("hex");

/** Why the engine part cannot run, or undefined. */
async function toolchainMissing(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const missing = (await pulumiToolchainMissing(env, ["docker"])) ?? (await daemonMissing(env));
  if (missing) return missing;
  try {
    await exec("docker", ["image", "inspect", BASE_IMAGE], { env });
  } catch {
    return `the base image ${BASE_IMAGE} is not on ${env.DOCKER_HOST} (run scripts/images/base.sh)`;
  }
  return undefined;
}


async function dockerJson(env: NodeJS.ProcessEnv, host: string, args: string[]): Promise<any[]> {
  const { stdout } = await exec("docker", ["-H", host, ...args, "--format", "{{json .}}"], { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line));
}

/** A stack whose inline program deploys `project` with ComposeProject. */
async function composeStack(env: NodeJS.ProcessEnv, backendDir: string, stackName: string, program: () => ComposeProject): Promise<Stack> {
  const envVars: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "graph-integration-only",
  };
  for (const key of ["PATH", "PULUMI_HOME", "PULUMI_SKIP_UPDATE_CHECK", "HOME"]) {
    if (env[key]) envVars[key] = env[key] as string;
  }
  return LocalWorkspace.createOrSelectStack(
    {
      projectName: "compose-pulumi-graph",
      stackName,
      program: async () => {
        program();
        return {};
      },
    },
    { envVars, secretsProvider: "passphrase" },
  );
}

async function fetchText(url: string, attempts = 30): Promise<{ status: number; body: string }> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  throw new Error(`${url} did not answer: ${String(last)}`);
}

let env: NodeJS.ProcessEnv = process.env;
let missing: string | undefined;
let savedPath: string | undefined;

before(async () => {
  env = await projectEnv();
  missing = await toolchainMissing(env);
  // LocalWorkspace finds `pulumi` through this process's PATH.
  savedPath = process.env.PATH;
  process.env.PATH = env.PATH;
});

after(() => {
  process.env.PATH = savedPath;
});

describe("ComposeProject with the real Pulumi engine", { concurrency: 1 }, () => {
  test("Flask + Redis + nginx on the local engine: up, serve, up again with no changes, destroy", { timeout: 20 * 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    const dockerHost = env.DOCKER_HOST as string;
    const name = `flask-${suffix}`;
    const port = await freePort();
    const imagePrefix = `cp-graph-${suffix}`;
    const project: Project = loadProject({
      files: [join(appsDir, "flask", "compose.yaml")],
      projectName: name,
      environment: { REGISTRY: imagePrefix, HTTP_PORT: String(port) },
    });
    const backendDir = await mkdtemp(join(tmpdir(), "cp-graph-backend-"));
    let stack: Stack | undefined;
    try {
      stack = await composeStack(env, backendDir, `engine-${suffix}`, () => {
        const provider = new docker.Provider("engine", { host: dockerHost });
        return new ComposeProject(name, { project, target: "engine", provider });
      });

      const first = await stack.up({ onOutput: (line) => t.diagnostic(line.trimEnd()) });
      assert.equal(first.summary.result, "succeeded");
      assert.ok((first.summary.resourceChanges?.create ?? 0) > 0);

      const containers = await dockerJson(env, dockerHost, ["ps", "--filter", `label=com.docker.compose.project=${name}`]);
      assert.deepEqual(containers.map((c) => c.Names).sort(), [`${name}-nginx-1`, `${name}-redis-1`, `${name}-web-1`, `${name}-web-2`]);
      for (const container of containers) assert.equal(container.State, "running", container.Names);

      const one = await fetchText(`http://127.0.0.1:${port}/`);
      assert.equal(one.status, 200, one.body);
      const two = await fetchText(`http://127.0.0.1:${port}/`);
      assert.equal(JSON.parse(two.body).hits, JSON.parse(one.body).hits + 1);
      assert.equal(JSON.parse(two.body).version, "1.0.0");

      const preview = await stack.preview({ diff: true });
      assert.deepEqual(Object.keys(preview.changeSummary), ["same"], `a second up would change:\n${preview.stdout}`);
      const second = await stack.up();
      const changes = second.summary.resourceChanges ?? {};
      assert.deepEqual(Object.keys(changes), ["same"], `second up changed: ${JSON.stringify(changes)}`);

      const destroyed = await stack.destroy();
      assert.equal(destroyed.summary.result, "succeeded");
      assert.deepEqual(await dockerJson(env, dockerHost, ["ps", "-a", "--filter", `label=com.docker.compose.project=${name}`]), []);
    } finally {
      if (stack) {
        await stack.destroy().catch(() => undefined);
        await stack.workspace.removeStack(stack.name).catch(() => undefined);
      }
      await rm(backendDir, { recursive: true, force: true });
      const images = await exec("docker", ["-H", dockerHost, "images", "--format", "{{.Repository}}:{{.Tag}}", `${imagePrefix}/*`], { env }).catch(() => ({ stdout: "" }));
      for (const image of images.stdout.split("\n").filter(Boolean)) await exec("docker", ["-H", dockerHost, "rmi", image], { env }).catch(() => undefined);
    }
  });

  test("WordPress + MariaDB on a one-node swarm: up, converge, up again with no changes", { timeout: 30 * 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    const harnessMissing = await harnessUnavailableReason();
    if (harnessMissing) return t.skip(harnessMissing);
    let hosts: TestHosts | undefined;
    const backendDir = await mkdtemp(join(tmpdir(), "cp-graph-backend-"));
    let stack: Stack | undefined;
    try {
      hosts = await createTestHosts(1);
      const manager = hosts.hosts[0];
      await bootstrapSwarm(hosts, { managers: [manager], workers: [], labels: { [manager.name]: { db: "true" } } });
      const base = await publishImageFrom(hosts, env.DOCKER_HOST as string, BASE_IMAGE);
      const name = `wp-${suffix}`;
      const project = loadProject({
        files: [join(appsDir, "wordpress", "compose.yaml"), join(appsDir, "wordpress", "compose.test.yaml")],
        projectName: name,
        environment: { REGISTRY: hosts.registry, BASE_IMAGE: base },
      });
      stack = await composeStack(env, backendDir, `swarm-${suffix}`, () => {
        const provider = new docker.Provider("swarm", { host: manager.dockerHost });
        // The hosts' registry speaks plain HTTP, as their daemons' --insecure-registry says.
        return new ComposeProject(name, { project, target: "swarm", provider, insecureRegistries: [hosts!.registry] });
      });

      const first = await stack.up({ onOutput: (line) => t.diagnostic(line.trimEnd()) });
      assert.equal(first.summary.result, "succeeded");

      const services = await dockerJson(env, manager.dockerHost, ["service", "ls", "--filter", `label=com.docker.stack.namespace=${name}`]);
      assert.deepEqual(services.map((s) => s.Name).sort(), [`${name}_db`, `${name}_web`]);
      let web: any;
      for (let i = 0; i < 60; i++) {
        web = (await dockerJson(env, manager.dockerHost, ["service", "ls", "--filter", `name=${name}_web`]))[0];
        if (web?.Replicas === "3/3") break;
        await new Promise((r) => setTimeout(r, 5000));
      }
      assert.equal(web?.Replicas, "3/3");
      const tasks = await dockerJson(env, manager.dockerHost, ["stack", "ps", name, "--filter", "desired-state=running"]);
      assert.equal(tasks.length, 4, "docker stack ps lists the three web tasks and the db task");

      const preview = await stack.preview({ diff: true });
      assert.deepEqual(Object.keys(preview.changeSummary), ["same"], `a second up would change:\n${preview.stdout}`);
      const second = await stack.up();
      const changes = second.summary.resourceChanges ?? {};
      assert.deepEqual(Object.keys(changes), ["same"], `second up changed: ${JSON.stringify(changes)}`);

      const destroyed = await stack.destroy();
      assert.equal(destroyed.summary.result, "succeeded");
      assert.deepEqual(await dockerJson(env, manager.dockerHost, ["service", "ls", "--filter", `label=com.docker.stack.namespace=${name}`]), []);
    } finally {
      if (stack) {
        await stack.destroy().catch(() => undefined);
        await stack.workspace.removeStack(stack.name).catch(() => undefined);
      }
      await rm(backendDir, { recursive: true, force: true });
      if (hosts) await destroyTestHosts(hosts);
    }
  });
});
