/**
 * Bad input on a deployed stack (this checkout's engine): a broken compose file, a missing
 * secret file and an unknown external network. Each edit also changes or adds a service,
 * so a half-applied run would show; each `pulumi up` must fail naming the file, line and
 * path (or the missing thing), with the engine's objects and the stack's state exactly as
 * before.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { engineMissing, projectEnv } from "../pulumi-toolchain.ts";
import { composeStack, dockerJson, projectDir, removeDir, rewrite, stateResources, type ComposeStackOptions } from "./ops-stack.ts";
import { runUp } from "./ops-run.ts";

const suffix = randomBytes(3).toString("hex");
const project = `badinput-${suffix}`;
const sleeper = `["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]`;

function composeText(extra: { webEnv?: string; services?: string; networks?: string; secrets?: string } = {}): string {
  return `services:
  web:
    image: \${IMAGE}
    command: ${sleeper}
    environment:
      MODE: ${extra.webEnv ?? "steady"}
    secrets: [token]
    networks: [front]
${extra.services ?? ""}
networks:
  front: {}
${extra.networks ?? ""}
secrets:
  token:
    file: ./token.txt
${extra.secrets ?? ""}`;
}

let env: NodeJS.ProcessEnv = process.env;
let skipReason: string | undefined;
let stack: Stack | undefined;
let stackOptions: ComposeStackOptions | undefined;
let dir: string | undefined;
let backendDir: string | undefined;
let savedPath: string | undefined;

/** Everything of the project on the engine, with IDs and creation times, so a re-creation shows. */
async function engineSnapshot(): Promise<unknown> {
  const host = env.DOCKER_HOST as string;
  const containers = await dockerJson(env, host, ["ps", "-a", "--no-trunc", "--filter", `label=com.docker.compose.project=${project}`]);
  const networks = await dockerJson(env, host, ["network", "ls", "--no-trunc", "--filter", `label=com.docker.compose.project=${project}`]);
  const volumes = await dockerJson(env, host, ["volume", "ls", "--filter", `label=com.docker.compose.project=${project}`]);
  return {
    containers: containers.map((c) => ({ id: c.ID, name: c.Names, created: c.CreatedAt, state: c.State })).sort((a, b) => a.name.localeCompare(b.name)),
    networks: networks.map((n) => ({ id: n.ID, name: n.Name })).sort((a, b) => a.name.localeCompare(b.name)),
    volumes: volumes.map((v) => v.Name).sort(),
  };
}

/** Runs `up` on the edited file in a process of its own, expects it to fail, and returns the error text. */
async function failedUp(): Promise<string> {
  const outcome = await runUp(stackOptions!);
  assert.equal(outcome.ok, false, `pulumi up succeeded on bad input: ${JSON.stringify(outcome.resourceChanges)}`);
  return outcome.message ?? "";
}

before(async () => {
  env = await projectEnv();
  savedPath = process.env.PATH;
  process.env.PATH = env.PATH;
  skipReason = await engineMissing(env, { testImage: true });
  if (skipReason) return;
  dir = await projectDir({ "compose.yaml": composeText(), "token.txt": `token-${randomBytes(8).toString("hex")}\n` });
  backendDir = await mkdtemp(join(tmpdir(), "cp-day2-badinput-backend-"));
  stackOptions = {
    env,
    backendDir,
    stackName: `badinput-${suffix}`,
    projectName: project,
    dir,
    target: "engine",
    dockerHost: env.DOCKER_HOST as string,
    environment: { IMAGE: env.COMPOSE_PULUMI_TEST_IMAGE as string },
  };
  stack = await composeStack(stackOptions);
  const first = await stack.up();
  assert.equal(first.summary.result, "succeeded");
});

after(async () => {
  if (stack) {
    if (dir) await rewrite(dir, "compose.yaml", composeText());
    await stack.destroy().catch(() => undefined);
    await stack.workspace.removeStack(stack.name).catch(() => undefined);
  }
  await removeDir(dir);
  await removeDir(backendDir);
  process.env.PATH = savedPath;
});

describe("bad input fails before any resource changes", { concurrency: 1 }, () => {
  const cases: { name: string; edit: () => string; expect: RegExp[] }[] = [
    {
      name: "a broken compose file",
      edit: () =>
        composeText({
          webEnv: "changed",
          services: `  api:
    image: \${IMAGE}
    command: ${sleeper}
    deploy:
      replicas: three
`,
        }),
      // `replicas: three` is on line 13, its value at column 17.
      expect: [/compose\.yaml:13:17: services\.api\.deploy\.replicas/],
    },
    {
      name: "a missing secret file",
      edit: () =>
        composeText({
          webEnv: "changed",
          services: `  api:
    image: \${IMAGE}
    command: ${sleeper}
    secrets: [api_key]
`,
          secrets: `  api_key:
    file: ./missing/api-key.txt
`,
        }),
      expect: [/secrets\.api_key/, /missing\/api-key\.txt/],
    },
    {
      name: "an unknown external network",
      edit: () =>
        composeText({
          webEnv: "changed",
          services: `  api:
    image: \${IMAGE}
    command: ${sleeper}
    networks: [front, outside]
`,
          networks: `  outside:
    external: true
    name: no-such-network-${suffix}
`,
        }),
      expect: [new RegExp(`networks\\.outside: external network "no-such-network-${suffix}" was not found on the target`)],
    },
  ];

  for (const scenario of cases) {
    test(scenario.name, { timeout: 5 * 60_000 }, async (t) => {
      if (skipReason) return t.skip(skipReason);
      await rewrite(dir!, "compose.yaml", composeText());
      const engineBefore = await engineSnapshot();
      const stateBefore = await stateResources(stack!);
      assert.deepEqual(stateBefore.pending, []);

      await rewrite(dir!, "compose.yaml", scenario.edit());
      const message = await failedUp();
      const reported = new Set(message.split("\n").filter((line) => /^\s*error: /.test(line)).map((line) => line.trim()));
      for (const line of reported) t.diagnostic(line);
      for (const pattern of scenario.expect) assert.match(message, pattern);

      assert.deepEqual(await engineSnapshot(), engineBefore, "the engine's containers, networks and volumes did not change");
      const stateAfter = await stateResources(stack!);
      assert.deepEqual(stateAfter.resources, stateBefore.resources, "the stack's state did not change");
      assert.deepEqual(stateAfter.pending, [], "no pending operations were left");
    });
  }
});
