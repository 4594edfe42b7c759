/**
 * Images on this checkout's engine, through the real Pulumi engine and docker provider:
 *
 * - BuildKit builds a Dockerfile whose RUN uses `--mount=type=cache`, which the classic
 *   builder rejects ("the --mount option requires BuildKit"): through the provider's
 *   Engine API build (the default) and through its buildx client (`builder: buildx`);
 * - a one-shot job whose `image:` the api service builds runs that build, with no pull of
 *   its own (one RemoteImage in the state), before the api starts.
 *
 * Needs `npm run setup` (pulumi CLI, docker provider plugin, the daemon and the busybox
 * test image in .state/env); skips with the reason otherwise.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as docker from "@pulumi/docker";
import { loadProject } from "../../infra/compose/load.ts";
import { ComposeProject } from "../../components/compose-project.ts";
import type { ImageBuilder } from "../../components/image.ts";
import { engineMissing, inlineStack, projectEnv } from "./pulumi-toolchain.ts";

const exec = promisify(execFile);
const suffix = randomBytes(3).toString("hex");

const DOCKERFILE = `ARG BASE
FROM $BASE
RUN --mount=type=cache,target=/cache sh -c 'echo built-with-cache >> /cache/runs && cp /cache/runs /runs'
CMD ["sleep", "3600"]
`;

function composeText(name: string): string {
  return `name: ${name}
services:
  migrate:
    image: ${name}/api:1
    command: ["cat", "/runs"]
  api:
    image: ${name}/api:1
    build:
      context: .
      args: {BASE: "\${BASE}"}
    depends_on:
      migrate: {condition: service_completed_successfully}
`;
}

let env: NodeJS.ProcessEnv = process.env;
let missing: string | undefined;
let savedPath: string | undefined;

before(async () => {
  env = await projectEnv();
  missing = await engineMissing(env, { testImage: true });
  savedPath = process.env.PATH;
  process.env.PATH = env.PATH;
});

after(() => {
  process.env.PATH = savedPath;
});

async function deployApp(name: string, builder: ImageBuilder, run: (stack: Awaited<ReturnType<typeof inlineStack>>, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "cp-buildkit-"));
  const backendDir = await mkdtemp(join(tmpdir(), "cp-buildkit-backend-"));
  await writeFile(join(dir, "Dockerfile"), DOCKERFILE);
  await writeFile(join(dir, "compose.yaml"), composeText(name));
  const project = loadProject({ files: [join(dir, "compose.yaml")], environment: { BASE: env.COMPOSE_PULUMI_TEST_IMAGE as string } });
  const stack = await inlineStack(env, backendDir, "compose-pulumi-images", `images-${name}`, async () => {
    const provider = new docker.Provider("engine", { host: env.DOCKER_HOST as string });
    new ComposeProject(name, { project, target: "engine", provider, builder });
  });
  try {
    await run(stack, dir);
  } finally {
    await stack.destroy().catch(() => undefined);
    await exec("docker", ["rmi", "-f", `${name}/api:1`], { env }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    await rm(backendDir, { recursive: true, force: true });
  }
}

describe("images on the engine", { concurrency: 1 }, () => {
  test("BuildKit builds RUN --mount=type=cache; the job runs the api's build, not a pull of its own", { timeout: 10 * 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    const name = `bk-${suffix}`;
    await deployApp(name, "engine-api", async (stack) => {
      const started = Date.now();
      const up = await stack.up({ onOutput: (line) => t.diagnostic(line.trimEnd()) });
      t.diagnostic(`pulumi up: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.equal(up.summary.result, "succeeded");

      const state = await stack.exportStack();
      const images = (state.deployment.resources as { type: string; urn: string }[]).filter((r) => r.type === "docker:index/remoteImage:RemoteImage");
      assert.deepEqual(images.map((r) => r.urn.split("::").pop()), [`${name}-api`], "one image: the build; the job pulls nothing");

      const { stdout: logs } = await exec("docker", ["logs", `${name}-migrate-1`], { env });
      assert.equal(logs.trim(), "built-with-cache", "the job ran the image the RUN --mount step built");
      const { stdout: exit } = await exec("docker", ["inspect", "--format", "{{.State.ExitCode}}", `${name}-migrate-1`], { env });
      assert.equal(exit.trim(), "0");
      const { stdout: api } = await exec("docker", ["inspect", "--format", "{{.State.Running}} {{.Image}}", `${name}-api-1`], { env });
      const { stdout: built } = await exec("docker", ["image", "inspect", "--format", "{{.Id}}", `${name}/api:1`], { env });
      assert.equal(api.trim(), `true ${built.trim()}`);
    });
  });

  test("buildx, by choice, builds the same Dockerfile with BuildKit too", { timeout: 10 * 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    const name = `buildx-${suffix}`;
    await deployApp(name, "buildx", async (stack) => {
      const up = await stack.up({ onOutput: (line) => t.diagnostic(line.trimEnd()) });
      assert.equal(up.summary.result, "succeeded");
      const { stdout: logs } = await exec("docker", ["logs", `${name}-migrate-1`], { env });
      assert.equal(logs.trim(), "built-with-cache");
    });
  });
});
