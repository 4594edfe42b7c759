/**
 * Private images on a multi-node swarm (network-namespace test hosts, real SSH-bootstrapped
 * swarm, Debian's docker-registry with htpasswd auth), through the real Pulumi engine:
 *
 * - the api image is built on the manager and pushed to the private registry with the
 *   stack's registry credentials (a Pulumi secret);
 * - a one-shot job runs that same image (no pull of its own, after the push) on a worker;
 * - the api service's replicas run on the workers, which pull the private image with the
 *   credentials the deployment forwarded (`--with-registry-auth`): the workers' daemons
 *   themselves are logged in nowhere, and an anonymous pull is refused;
 * - the password appears nowhere in the stack's state.
 *
 * Needs root (test hosts), `npm run setup` (pulumi, the docker and command plugins); skips
 * with the reason otherwise.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import bcrypt from "bcryptjs";
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { loadProject } from "../../infra/compose/load.ts";
import { ComposeProject } from "../../components/compose-project.ts";
import { createTestHosts, destroyTestHosts, harnessUnavailableReason, type TestHosts } from "../harness/hosts.ts";
import { bootstrapSwarm } from "../harness/swarm.ts";
import { daemonMissing, inlineStack, projectEnv, toolchainMissing } from "./pulumi-toolchain.ts";

const exec = promisify(execFile);
const suffix = randomBytes(3).toString("hex");
const USER = "deploy";
const PASSWORD = randomBytes(12).toString("hex");

const DOCKERFILE = `FROM scratch
COPY busybox /bin/busybox
CMD ["/bin/busybox", "sleep", "3600"]
`;

function composeText(name: string, registry: string): string {
  return `name: ${name}
services:
  migrate:
    image: ${registry}/${name}/api:1
    command: ["/bin/busybox", "echo", "migrated"]
    deploy:
      mode: replicated-job
      placement: {constraints: [node.role == worker]}
  api:
    image: ${registry}/${name}/api:1
    build: {context: .}
    deploy:
      replicas: 2
      placement: {constraints: [node.role == worker]}
    depends_on:
      migrate: {condition: service_completed_successfully}
`;
}

let env: NodeJS.ProcessEnv = process.env;
let missing: string | undefined;
let savedPath: string | undefined;

before(async () => {
  env = await projectEnv();
  missing = (await harnessUnavailableReason()) ?? (await toolchainMissing(env, ["docker", "command"])) ?? (await daemonMissing(env));
  savedPath = process.env.PATH;
  process.env.PATH = env.PATH;
});

after(() => {
  process.env.PATH = savedPath;
});

/** Dotted paths in `value` whose string contains `needle` (names where a secret leaked, never the secret). */
function plaintextPaths(value: unknown, needle: string, path = ""): string[] {
  if (typeof value === "string") return value.includes(needle) ? [path] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => plaintextPaths(child, needle, path === "" ? key : `${path}.${key}`));
}

async function lines(args: string[]): Promise<string[]> {
  const { stdout } = await exec("docker", args, { env, maxBuffer: 16 * 1024 * 1024 });
  return stdout.split("\n").map((line) => line.trim()).filter((line) => line !== "");
}

describe("a private registry on a three-node swarm", { concurrency: 1 }, () => {
  test("workers pull the private image with the forwarded credentials; a job runs the image the api builds", { timeout: 20 * 60_000 }, async (t) => {
    if (missing) return t.skip(missing);
    const work = await mkdtemp(join(tmpdir(), "cp-private-registry-"));
    const backendDir = await mkdtemp(join(tmpdir(), "cp-private-registry-backend-"));
    const htpasswd = join(work, "htpasswd");
    await writeFile(htpasswd, `${USER}:${bcrypt.hashSync(PASSWORD, 10)}\n`);
    let hosts: TestHosts | undefined;
    let stack: Awaited<ReturnType<typeof inlineStack>> | undefined;
    try {
      hosts = await createTestHosts(3, { registryHtpasswd: htpasswd });
      const [manager, ...workers] = hosts.hosts;
      await bootstrapSwarm(hosts, { managers: [manager], workers });
      const registry = hosts.registry;
      const anonymous = await fetch(`http://${registry}/v2/`);
      assert.equal(anonymous.status, 401, "the registry is private");

      const name = `priv-${suffix}`;
      const context = join(work, "app");
      await exec("mkdir", ["-p", context]);
      await writeFile(join(context, "Dockerfile"), DOCKERFILE);
      await copyFile("/usr/bin/busybox", join(context, "busybox"));
      await writeFile(join(context, "compose.yaml"), composeText(name, registry));
      const project = loadProject({ files: [join(context, "compose.yaml")], environment: {} });

      stack = await inlineStack(env, backendDir, "compose-pulumi-private", `private-${suffix}`, async () => {
        const provider = new docker.Provider("swarm", { host: manager.dockerHost });
        new ComposeProject(name, {
          project,
          target: "swarm",
          provider,
          registry,
          registryAuth: { username: USER, password: pulumi.secret(PASSWORD) },
          insecureRegistries: [registry],
        });
      });
      const started = Date.now();
      const up = await stack.up({ onOutput: (line) => t.diagnostic(line.trimEnd()) });
      t.diagnostic(`pulumi up on the three-node swarm: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.equal(up.summary.result, "succeeded");

      const workerNames = workers.map((w) => w.name).sort();
      const api = await lines(["-H", manager.dockerHost, "service", "ps", `${name}_api`, "--filter", "desired-state=running", "--format", "{{.Node}} {{.CurrentState}}"]);
      assert.equal(api.length, 2, api.join("\n"));
      for (const task of api) {
        const [node, state] = task.split(" ");
        assert.ok(workerNames.includes(node), `api task on ${node}, not a worker`);
        assert.equal(state, "Running", task);
      }
      const job = await lines(["-H", manager.dockerHost, "service", "ps", `${name}_migrate`, "--format", "{{.Node}} {{.CurrentState}}"]);
      assert.ok(job.length >= 1 && job.every((task) => workerNames.includes(task.split(" ")[0]) && task.split(" ")[1] === "Complete"), job.join("\n"));
      const jobLogs = await lines(["-H", manager.dockerHost, "service", "logs", "--raw", `${name}_migrate`]);
      assert.deepEqual(jobLogs, ["migrated"]);

      // The workers' daemons hold no login of their own: the forwarded credentials pulled the image.
      await assert.rejects(exec("docker", ["-H", workers[0].dockerHost, "pull", `${registry}/${name}/api:1`], { env }), /no basic auth credentials|unauthorized|authentication required/);

      const state = JSON.stringify(await stack.exportStack());
      const images = (JSON.parse(state).deployment.resources as { type: string; urn: string }[]).filter((r) => r.type === "docker:index/remoteImage:RemoteImage");
      assert.deepEqual(images.map((r) => r.urn.split("::").pop()), [`${name}-api`], "the job pulls nothing of its own");
      // The export decrypts secrets (as `pulumi stack export --show-secrets`): each place that
      // holds the password must be a secret there, and the state file itself holds no plaintext.
      const exported = (JSON.parse(state).deployment.resources as { urn: string }[]).flatMap((resource) =>
        plaintextPaths(resource, PASSWORD).map((path) => `${resource.urn.split("::").pop()}: ${path}`),
      );
      assert.ok(exported.length >= 3, exported.join("\n"));
      assert.deepEqual(exported.filter((path) => !path.endsWith(".plaintext")), [], "every copy of the password is a Pulumi secret");
      const { stdout: onDisk } = await exec("grep", ["-rlF", "--", PASSWORD, backendDir], { env }).catch((error: { code?: number; stdout?: string }) => {
        if (error.code === 1) return { stdout: "" };
        throw error;
      });
      assert.equal(onDisk, "", "no file of the state backend holds the registry password in plaintext");
    } finally {
      if (stack !== undefined) await stack.destroy().catch((error: Error) => t.diagnostic(`destroy: ${error.message}`));
      if (hosts !== undefined) await destroyTestHosts(hosts);
      await rm(work, { recursive: true, force: true });
      await rm(backendDir, { recursive: true, force: true });
    }
  });
});
