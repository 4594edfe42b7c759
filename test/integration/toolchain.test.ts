// End to end on the real toolchain: the Pulumi engine (Automation API, inline program,
// temporary file:// backend) drives the docker provider against this checkout's daemon.
// Needs `npm run setup`; skips with the reason when the toolchain or daemon is missing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import * as docker from "@pulumi/docker";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation/index.js";
import { daemonMissing, pluginVersion, projectEnv, repoRoot, toolchainMissing } from "./pulumi-toolchain.ts";

const run = promisify(execFile);

// The reason the test cannot run here, or undefined when everything it needs is present.
async function missingPrerequisite(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const missing = (await toolchainMissing(env, ["docker"])) ?? (await daemonMissing(env, "npm run docker:up"));
  if (missing) return missing;
  if (!env.COMPOSE_PULUMI_TEST_IMAGE) return "COMPOSE_PULUMI_TEST_IMAGE is not set (run `npm run setup`)";
  return undefined;
}

async function dockerInspect(env: NodeJS.ProcessEnv, kind: "container" | "network", name: string) {
  try {
    const { stdout } = await run("docker", [kind, "inspect", name], { env });
    return JSON.parse(stdout)[0];
  } catch {
    return undefined;
  }
}

test("the CLI, the nodejs language host and the docker, command and kubernetes plugins are the versions package.json requests", { timeout: 180_000 }, async (t) => {
  const env = await projectEnv();
  const cli = await run("pulumi", ["version"], { env }).catch(() => undefined);
  if (!cli) return t.skip("no pulumi CLI on PATH (run `npm run setup`; .state/env provides it)");
  const cliVersion = cli.stdout.trim().replace(/^v/, "");
  const { stdout: which } = await run("bash", ["-c", "command -v pulumi"], { env });
  // An installed CLI may be any version; the one set-up builds must match the SDK.
  if (which.includes("/compose-pulumi/")) assert.equal(cliVersion, await pluginVersion("@pulumi/pulumi"));

  const plugins: { name: string; kind: string; version: string }[] = JSON.parse((await run("pulumi", ["plugin", "ls", "--json"], { env })).stdout);
  for (const name of ["docker", "command", "kubernetes"]) {
    const wanted = await pluginVersion(`@pulumi/${name}`);
    assert.ok(plugins.some((p) => p.kind === "resource" && p.name === name && p.version === wanted), `pulumi plugin ls lists resource ${name} ${wanted}`);
  }

  // The nodejs language host is bundled with the CLI, so `plugin ls` never lists it (the CLI
  // refuses to install it as a plugin); `pulumi about` in the project reports it.
  const backendDir = await mkdtemp(join(tmpdir(), "cp-about-backend-"));
  try {
    const about = await run("pulumi", ["about", "--json"], { env: { ...env, PULUMI_BACKEND_URL: `file://${backendDir}` }, cwd: repoRoot }).catch((error) => error);
    const report = JSON.parse(about.stdout);
    assert.deepEqual(
      report.plugins.filter((p: { kind: string }) => p.kind === "language"),
      [{ name: "nodejs", version: cliVersion, kind: "language" }],
    );
  } finally {
    await rm(backendDir, { recursive: true, force: true });
  }
});

test("pulumi up/update/destroy of a network and a container on the project daemon", { timeout: 600_000 }, async (t) => {
  const env = await projectEnv();
  const reason = await missingPrerequisite(env);
  if (reason) {
    t.skip(reason);
    return;
  }

  const suffix = randomBytes(3).toString("hex");
  const names = { network: `cp-e2e-net-${suffix}`, container: `cp-e2e-ctr-${suffix}` };
  const image = env.COMPOSE_PULUMI_TEST_IMAGE as string;
  const backendDir = await mkdtemp(join(tmpdir(), "cp-e2e-backend-"));

  const program = (restart: "no" | "unless-stopped") => async () => {
    // The provider reads DOCKER_HOST from the engine's environment.
    const network = new docker.Network("net", { name: names.network });
    const pulled = new docker.RemoteImage("img", { name: image, keepLocally: true });
    const container = new docker.Container("ctr", {
      name: names.container,
      image: pulled.imageId,
      command: ["sleep", "3600"],
      restart,
      networksAdvanced: [{ name: network.name, aliases: ["app"] }],
      labels: [{ label: "com.example.e2e", value: suffix }],
    });
    return { containerId: container.id, networkId: network.id };
  };

  const engineEnv: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-only-passphrase",
  };
  for (const key of ["PATH", "PULUMI_HOME", "DOCKER_HOST", "PULUMI_SKIP_UPDATE_CHECK"]) {
    if (env[key]) engineEnv[key] = env[key] as string;
  }
  // LocalWorkspace finds `pulumi` through this process's PATH.
  const savedPath = process.env.PATH;
  process.env.PATH = env.PATH;

  let stack: Stack | undefined;
  try {
    stack = await LocalWorkspace.createOrSelectStack(
      { projectName: "compose-pulumi-e2e", stackName: `e2e-${suffix}`, program: program("no") },
      { envVars: engineEnv, secretsProvider: "passphrase" },
    );

    const first = await stack.up();
    assert.deepEqual(first.summary.resourceChanges, { create: 4 });
    const created = await dockerInspect(env, "container", names.container);
    assert.ok(created, "container exists after the first up");
    assert.equal(created.Id, first.outputs.containerId.value);
    assert.equal(created.State.Running, true);
    assert.equal(created.HostConfig.RestartPolicy.Name, "no");
    assert.equal(created.Config.Labels["com.example.e2e"], suffix);
    assert.ok(created.NetworkSettings.Networks[names.network], "container joined the project network");
    const network = await dockerInspect(env, "network", names.network);
    assert.equal(network?.Id, first.outputs.networkId.value);

    const second = await stack.up();
    assert.deepEqual(second.summary.resourceChanges, { same: 4 });

    stack = await LocalWorkspace.selectStack(
      { projectName: "compose-pulumi-e2e", stackName: `e2e-${suffix}`, program: program("unless-stopped") },
      { envVars: engineEnv, secretsProvider: "passphrase" },
    );
    const third = await stack.up();
    assert.deepEqual(third.summary.resourceChanges, { same: 3, update: 1 });
    const updated = await dockerInspect(env, "container", names.container);
    assert.equal(updated?.Id, created.Id, "restart policy changed in place, same container");
    assert.equal(updated?.HostConfig.RestartPolicy.Name, "unless-stopped");

    const destroyed = await stack.destroy();
    assert.deepEqual(destroyed.summary.resourceChanges, { delete: 4 });
    assert.equal(await dockerInspect(env, "container", names.container), undefined, "container removed");
    assert.equal(await dockerInspect(env, "network", names.network), undefined, "network removed");
  } finally {
    if (stack) {
      await stack.destroy().catch(() => undefined);
      await stack.workspace.removeStack(stack.name).catch(() => undefined);
    }
    process.env.PATH = savedPath;
    await rm(backendDir, { recursive: true, force: true });
  }
});
