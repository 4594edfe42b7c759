/**
 * The real Pulumi toolchain for the cluster integration tests: the environment
 * `npm run setup` writes to .state/env, why a test cannot run here (no CLI, a missing
 * resource plugin, no daemon), and stacks on a temporary file:// backend.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation/index.js";

const exec = promisify(execFile);
export const repoRoot = resolve(import.meta.dirname, "../..");

/** The caller's environment over .state/env; PATH from the file first. */
export async function projectEnv(): Promise<NodeJS.ProcessEnv> {
  try {
    const { stdout } = await exec("bash", ["-c", '. "$1" && env -0', "env", join(repoRoot, ".state/env")]);
    const fromFile = Object.fromEntries(
      stdout.split("\0").filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
    );
    return { ...fromFile, ...process.env, PATH: fromFile.PATH ?? process.env.PATH };
  } catch {
    return process.env;
  }
}

/** The plugin version an npm package requests (its `pulumi.version`, else its own version). */
export async function pluginVersion(pkg: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(repoRoot, "node_modules", pkg, "package.json"), "utf8"));
  return String(manifest.pulumi?.version ?? manifest.version).replace(/^v/, "");
}

/** Why a program with these providers cannot run through the engine here, or undefined. */
export async function toolchainMissing(env: NodeJS.ProcessEnv, plugins: ("docker" | "command" | "kubernetes")[]): Promise<string | undefined> {
  try {
    await exec("pulumi", ["version"], { env });
  } catch {
    return "no pulumi CLI on PATH (run `npm run setup`; .state/env provides it)";
  }
  const { stdout } = await exec("pulumi", ["plugin", "ls", "--json"], { env });
  const installed: { name: string; kind: string; version: string }[] = JSON.parse(stdout || "[]");
  for (const plugin of plugins) {
    const wanted = await pluginVersion(`@pulumi/${plugin}`);
    if (!installed.some((p) => p.name === plugin && p.kind === "resource" && p.version === wanted)) {
      return `resource plugin ${plugin} v${wanted} is not installed (run \`npm run setup\`)`;
    }
  }
  return undefined;
}

/** Why this checkout's Docker daemon (DOCKER_HOST) cannot be used, or undefined. */
export async function daemonMissing(env: NodeJS.ProcessEnv, startHint = "npm run setup"): Promise<string | undefined> {
  if (!env.DOCKER_HOST) return "DOCKER_HOST is not set (run `npm run setup`; .state/env provides it)";
  try {
    await exec("docker", ["info", "--format", "{{.ServerVersion}}"], { env });
  } catch {
    return `no Docker daemon answers at ${env.DOCKER_HOST} (run \`${startHint}\`)`;
  }
  return undefined;
}

/**
 * Why a docker-provider program cannot run through the engine on this checkout's daemon
 * here, or undefined; with `testImage`, also the image set-up provides for such tests.
 */
export async function engineMissing(env: NodeJS.ProcessEnv, needs: { testImage?: boolean } = {}): Promise<string | undefined> {
  const missing = (await toolchainMissing(env, ["docker"])) ?? (await daemonMissing(env));
  if (missing) return missing;
  if (needs.testImage && !env.COMPOSE_PULUMI_TEST_IMAGE) return "COMPOSE_PULUMI_TEST_IMAGE is not set (run `npm run setup`)";
  return undefined;
}

/** A stack on a file:// backend in `backendDir` whose inline program is `program`. */
export async function inlineStack(
  env: NodeJS.ProcessEnv,
  backendDir: string,
  projectName: string,
  stackName: string,
  program: () => Promise<Record<string, unknown> | void>,
): Promise<Stack> {
  const envVars: Record<string, string> = {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "cluster-integration-only",
  };
  for (const key of ["PATH", "PULUMI_HOME", "PULUMI_SKIP_UPDATE_CHECK", "HOME"]) {
    if (env[key]) envVars[key] = env[key] as string;
  }
  return LocalWorkspace.createOrSelectStack(
    { projectName, stackName, program: async () => (await program()) ?? {} },
    { envVars, secretsProvider: "passphrase" },
  );
}
