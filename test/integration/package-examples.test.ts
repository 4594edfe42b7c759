/**
 * The package as another team uses it: `npm pack` of this repository, installed from the
 * tarball into folders outside it, on plain Node (no tsx, no ts-node) and through the
 * Pulumi CLI and its Node.js language host:
 *
 * 1. the tarball: compiled JavaScript, declarations, the bin and the policy pack;
 * 2. installed in a new project: every export resolves, the bin runs, TypeScript sees the types;
 * 3. examples/engine-app: `pulumi preview` with the package's policy pack, `pulumi up`, the
 *    application answers, `pulumi destroy`, `pulumi stack rm`;
 * 4. your own app in three commands from a folder holding only compose files:
 *    `compose-pulumi init`, `npm install`, `pulumi up --stack dev` (answering its prompt to
 *    create the stack, as a person does), then the application answers;
 * 5. examples/swarm-cluster on three network-namespace test hosts: the swarm and the
 *    application on it in one `pulumi up`, then `pulumi destroy` takes every host out.
 *
 * Every step is timed and the times are printed. Needs npm's registry for the package's
 * dependencies; 3 and 4 need the pulumi CLI, the docker plugin and the project daemon
 * (`npm run setup`); 5 needs root for the test hosts. Each skips with the reason otherwise.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { engineMissing, projectEnv, repoRoot, toolchainMissing } from "./pulumi-toolchain.ts";
import { packPackage, type PackedPackage } from "./package/pack.ts";
import { runInTerminal } from "./package/pty.ts";
import { reportTimes, step, StepTimes } from "./package/steps.ts";
import { createTestHosts, destroyTestHosts, harnessUnavailableReason, type TestHosts } from "../harness/hosts.ts";
import { publishBusyboxImage } from "../harness/images.ts";
import { sshChecked } from "../harness/ssh.ts";
import { hostKeysFromKnownHosts } from "../../infra/hosts/local.ts";
import { freePort } from "./free-port.ts";

const exec = promisify(execFile);
const suffix = randomBytes(3).toString("hex");

let env: NodeJS.ProcessEnv = process.env;
let work = "";
let packed: PackedPackage | undefined;
let packFailure: string | undefined;


/** The environment of the pulumi commands of one project: its own file:// backend and passphrase. */
async function pulumiEnv(name: string, extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  const backend = join(work, `${name}-backend`);
  await mkdir(backend, { recursive: true });
  return { ...env, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: `package-test-${name}`, PULUMI_SKIP_UPDATE_CHECK: "true", ...extra };
}

/** A copy of an example outside the repository, as a user would have it. */
async function copyExample(example: string): Promise<string> {
  const dir = join(work, example);
  await cp(join(repoRoot, "examples", example), dir, { recursive: true, filter: (source) => !source.includes("node_modules") });
  return dir;
}

async function fetchText(url: string, attempts = 30): Promise<string> {
  let last: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
      if (response.ok) return await response.text();
      last = new Error(`HTTP ${response.status}`);
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${url} did not answer: ${(last as Error)?.message ?? last}`);
}

async function stackOutputs(cwd: string, stackEnv: NodeJS.ProcessEnv): Promise<Record<string, any>> {
  const { stdout } = await exec("pulumi", ["stack", "output", "--json", "--stack", "dev"], { cwd, env: stackEnv });
  return JSON.parse(stdout);
}

/** `docker ps -a` names and states of one compose project on the project daemon. */
async function containers(project: string): Promise<Record<string, string>> {
  const { stdout } = await exec("docker", ["ps", "-a", "--filter", `label=com.docker.compose.project=${project}`, "--format", "{{.Names}} {{.State}}"], { env });
  return Object.fromEntries(stdout.trim().split("\n").filter(Boolean).map((line) => line.split(" ") as [string, string]));
}

describe("the npm package, installed from its tarball", { concurrency: 1, timeout: 3_600_000 }, () => {
  before(async () => {
    env = await projectEnv();
    work = await mkdtemp(join(tmpdir(), "cp-package-"));
    try {
      packed = await packPackage(work, env);
    } catch (error) {
      packFailure = (error as Error).message;
    }
  }, { timeout: 600_000 });

  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  test("npm pack: compiled JavaScript with declarations, the bin and the policy pack, no sources or tests", (t) => {
    assert.equal(packFailure, undefined, packFailure);
    const files = packed!.files;
    t.diagnostic(`npm pack: ${files.length} files, ${(packed!.size / 1024).toFixed(1)} kB packed, ${(packed!.unpackedSize / 1024 / 1024).toFixed(2)} MB unpacked, in ${packed!.seconds.toFixed(1)} s (build included)`);
    for (const file of [
      "package.json",
      "README.md",
      "dist/components/index.js",
      "dist/components/index.d.ts",
      "dist/components/compose-app.js",
      "dist/components/compose-app.d.ts",
      "dist/components/cluster.js",
      "dist/infra/compose/index.js",
      "dist/infra/cli.js",
      "dist/infra/hosts/bootstrap/swarm-init.sh",
      "dist/policy/PulumiPolicy.yaml",
      "dist/policy/package.json",
      "dist/policy/index.cjs",
      "dist/policy/pack.js",
    ]) {
      assert.ok(files.includes(file), `the tarball holds ${file}`);
    }
    assert.deepEqual(files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts")), [], "no TypeScript sources");
    assert.deepEqual(files.filter((file) => /^(test|stacks\/apps|examples|scripts)\//.test(file)), [], "no tests, example apps or scripts");
  });

  test("in a new project on plain Node: every export resolves, the bin runs, TypeScript sees the types", { timeout: 600_000 }, async (t) => {
    assert.equal(packFailure, undefined, packFailure);
    const times = new StepTimes();
    const dir = join(work, "consumer");
    await mkdir(dir);
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    await step(times, "npm install", "npm", ["install", "--no-audit", "--no-fund", packed!.tarball], { cwd: dir, env });

    const script = `
      const exports = {};
      for (const spec of ["compose-pulumi", "compose-pulumi/compose", "compose-pulumi/cluster"]) exports[spec] = Object.keys(await import(spec)).sort();
      exports.version = (await import("compose-pulumi/package.json", { with: { type: "json" } })).default.version;
      console.log(JSON.stringify(exports));`;
    const imported = JSON.parse((await step(times, "import", process.execPath, ["--input-type=module", "-e", script], { cwd: dir, env })).stdout);
    for (const name of ["ComposeApp", "ComposeAppError", "ComposeProject", "Environment", "SwarmCluster", "Network", "Service", "Container", "Job", "KubernetesWorkload", "KubernetesJob", "KubernetesNamespace"]) {
      assert.ok(imported["compose-pulumi"].includes(name), `compose-pulumi exports ${name}`);
    }
    for (const name of ["loadProject", "loadProjectWithEnvironment", "ComposeError", "formatIssue"]) assert.ok(imported["compose-pulumi/compose"].includes(name), name);
    for (const name of ["SwarmCluster", "SwarmNode", "ExistingHosts", "HetznerHosts", "parseInventory"]) assert.ok(imported["compose-pulumi/cluster"].includes(name), name);
    const manifest = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8"));
    assert.equal(imported.version, manifest.version);

    const bin = await step(times, "compose-pulumi --version", "npx", ["--no-install", "compose-pulumi", "--version"], { cwd: dir, env });
    assert.equal(bin.stdout, `${manifest.version}\n`);

    await writeFile(
      join(dir, "index.ts"),
      `import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { ComposeApp, type ComposeAppArgs } from "compose-pulumi";
import { loadProject, type Project } from "compose-pulumi/compose";
import { ExistingHosts, SwarmCluster } from "compose-pulumi/cluster";
const args: ComposeAppArgs = { files: ["compose.yaml"], target: "swarm", overrides: { web: { replicas: 2, resources: { limits: { memory: "256M" } } } } };
const cluster = new SwarmCluster("c", { hosts: ExistingHosts.fromConfig() });
const app = new ComposeApp("shop", { ...args, provider: cluster.provider, dockerSshOptions: cluster.dockerSshOptions, secrets: { token: pulumi.secret("x") } });
export const urls: pulumi.Output<Record<string, string[]>> = app.urls;
export const project: () => Project = () => loadProject({ files: ["compose.yaml"] });
new ComposeApp("on-kubernetes", { files: ["compose.yaml"], target: "kubernetes", kubernetes: { provider: new k8s.Provider("cluster", { context: "dev" }), publishedPorts: "LoadBalancer" } });
// @ts-expect-error the target is engine, swarm or kubernetes
new ComposeApp("bad", { files: ["compose.yaml"], target: "nomad" });
`,
    );
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true, types: [] } }));
    await step(times, "tsc", process.execPath, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: dir, env });
    reportTimes(t, "consumer", times);
  });

  test("examples/engine-app: preview with the package's policy pack, up, the app answers, destroy", { timeout: 1_200_000 }, async (t) => {
    assert.equal(packFailure, undefined, packFailure);
    const missing = await engineMissing(env, { testImage: true });
    if (missing) return t.skip(missing);
    const times = new StepTimes();
    const dir = await copyExample("engine-app");
    const project = `hello-${suffix}`;
    const port = await freePort();
    const stackEnv = await pulumiEnv("engine-app", { COMPOSE_PROJECT_NAME: project, WEB_PORT: String(port), APP_IMAGE: env.COMPOSE_PULUMI_TEST_IMAGE as string });
    const run = (name: string, args: string[]) => step(times, name, "pulumi", args, { cwd: dir, env: stackEnv });

    await step(times, "npm install", "npm", ["install", "--no-audit", "--no-fund", packed!.tarball], { cwd: dir, env });
    await run("stack init", ["stack", "init", "dev", "--non-interactive"]);
    try {
      const preview = await run("preview", ["preview", "--stack", "dev", "--non-interactive", "--policy-pack", "node_modules/compose-pulumi/dist/policy"]);
      assert.match(preview.stdout, /compose-pulumi@v\d+\.\d+\.\d+ \(local: node_modules\/compose-pulumi\/dist\/policy\)/, "the package's policy pack ran");
      assert.match(preview.stdout, /\+ 16 to create/);

      const up = await run("up", ["up", "--stack", "dev", "--yes", "--non-interactive", "--skip-preview"]);
      assert.match(up.stdout, /\+ 16 created/);
      const outputs = await stackOutputs(dir, stackEnv);
      assert.equal(outputs.url, `http://127.0.0.1:${port}/`);
      assert.deepEqual(outputs.services, { setup: [`${project}-setup-1`], web: [`${project}-web-1`] });
      assert.match(await fetchText(outputs.url), /^hello from dev from [0-9a-f]{12}\n$/);
      assert.equal((await containers(project))[`${project}-web-1`], "running");

      const again = await run("preview again", ["preview", "--stack", "dev", "--non-interactive", "--policy-pack", "node_modules/compose-pulumi/dist/policy"]);
      assert.match(again.stdout, /16 unchanged/);
    } finally {
      await run("destroy", ["destroy", "--stack", "dev", "--yes", "--non-interactive"]).finally(() =>
        run("stack rm", ["stack", "rm", "dev", "--yes", "--non-interactive"]).catch(() => undefined));
    }
    assert.deepEqual(await containers(project), {}, "destroy removed every container");
    reportTimes(t, "engine-app", times);
  });

  test("your own app in three commands from an empty folder: init, npm install, pulumi up", { timeout: 1_200_000 }, async (t) => {
    assert.equal(packFailure, undefined, packFailure);
    const missing = await engineMissing(env, { testImage: true });
    if (missing) return t.skip(missing);
    const times = new StepTimes();
    const dir = join(work, "my-app");
    await mkdir(join(dir, "secrets"), { recursive: true });
    await cp(join(repoRoot, "examples/engine-app/compose.yaml"), join(dir, "compose.yaml"));
    await writeFile(join(dir, "secrets/api_token.txt"), "my-dev-token\n");
    const project = `myapp-${suffix}`;
    const port = await freePort();
    const stackEnv = await pulumiEnv("my-app", { COMPOSE_PROJECT_NAME: project, WEB_PORT: String(port), APP_IMAGE: env.COMPOSE_PULUMI_TEST_IMAGE as string });

    // 1. The scaffold, from the tarball as `npx compose-pulumi init` runs it from the registry.
    const init = await step(times, "1 compose-pulumi init", "npm", ["exec", "--yes", "--package", packed!.tarball, "--", "compose-pulumi", "init", "--package-spec", packed!.tarball], { cwd: dir, env });
    assert.match(init.stdout, /^Wrote Pulumi\.yaml, package\.json, index\.ts, Pulumi\.dev\.yaml, \.gitignore for compose project "hello"/);
    // 2.
    await step(times, "2 npm install", "npm", ["install", "--no-audit", "--no-fund"], { cwd: dir, env });
    // Not one of the three: the program init wrote type-checks against the package's declarations.
    const tsc = join(repoRoot, "node_modules/typescript/bin/tsc");
    await step(times, "(tsc of index.ts)", process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--target", "ES2022", "--module", "NodeNext", "--moduleResolution", "NodeNext", "index.ts"], { cwd: dir, env });
    // 3. As a person runs it: pulumi offers to create the stack, Enter accepts.
    const started = performance.now();
    const up = await runInTerminal("pulumi up --stack dev --yes", {
      cwd: dir,
      env: stackEnv,
      prompts: [{ shows: "please press <ENTER>", answer: "\r" }],
      timeoutMs: 600_000,
    });
    times.add("3 pulumi up", (performance.now() - started) / 1000);
    try {
      assert.equal(up.code, 0, up.output.slice(-4000));
      assert.match(up.output, /Created stack 'dev'/);
      assert.match(up.output, /\+ 16 created/, up.output.slice(up.output.lastIndexOf("Resources:")));
      const outputs = await stackOutputs(dir, stackEnv);
      assert.equal(outputs.url, `http://127.0.0.1:${port}/`);
      assert.match(await fetchText(outputs.url), /^hello from [0-9a-f]{12}\n$/);
      t.diagnostic(`pulumi up's summary: ${up.output.slice(up.output.lastIndexOf("Resources:")).split("\n").slice(0, 4).map((line) => line.trim()).join(" | ")}`);
    } finally {
      await step(times, "destroy", "pulumi", ["destroy", "--stack", "dev", "--yes", "--non-interactive"], { cwd: dir, env: stackEnv }).catch(() => undefined);
      await step(times, "stack rm", "pulumi", ["stack", "rm", "dev", "--yes", "--non-interactive"], { cwd: dir, env: stackEnv }).catch(() => undefined);
    }
    assert.deepEqual(await containers(project), {});
    reportTimes(t, "three commands", times);
  });

  test("examples/swarm-cluster: a swarm on three test hosts and the app on it in one up, then destroy", { timeout: 2_400_000 }, async (t) => {
    assert.equal(packFailure, undefined, packFailure);
    const missing = (await toolchainMissing(env, ["command", "docker"])) ?? (await harnessUnavailableReason());
    if (missing) return t.skip(missing);
    const times = new StepTimes();
    let hosts: TestHosts | undefined;
    const dir = await copyExample("swarm-cluster");
    const stackEnv = await pulumiEnv("swarm-cluster");
    const run = (name: string, args: string[]) => step(times, name, "pulumi", args, { cwd: dir, env: stackEnv, timeoutMs: 1_200_000 });
    try {
      const created = performance.now();
      hosts = await createTestHosts(3);
      const image = await publishBusyboxImage(hosts);
      times.add("test hosts", (performance.now() - created) / 1000);
      await writeSwarmStack(dir, hosts, image);

      await step(times, "npm install", "npm", ["install", "--no-audit", "--no-fund", packed!.tarball], { cwd: dir, env });
      await run("stack init", ["stack", "init", "dev", "--non-interactive"]);
      await run("up", ["up", "--stack", "dev", "--yes", "--non-interactive", "--skip-preview"]);
      const outputs = await stackOutputs(dir, stackEnv);
      assert.deepEqual(Object.keys(outputs.nodes).sort(), ["node1", "node2", "node3"]);
      assert.deepEqual(outputs.services.web, ["hello_web"]);
      // Host-mode ports (no IPVS here): each worker runs one replica and answers on its own address.
      for (const worker of hosts.hosts.slice(1)) {
        assert.match(await fetchText(`http://${worker.address}:8080/`, 60), /^hello from the swarm from [0-9a-f]{12}\n$/, worker.name);
      }
      const again = await run("preview", ["preview", "--stack", "dev", "--non-interactive", "--json"]);
      const steps = (JSON.parse(again.stdout).steps ?? []) as { op: string; urn: string }[];
      assert.deepEqual(steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.urn.split("::").pop()}`), [], "nothing changes right after up");
      await run("destroy", ["destroy", "--stack", "dev", "--yes", "--non-interactive"]);
      for (const host of hosts.hosts) {
        const state = (await sshChecked(hosts, host, "docker info --format '{{.Swarm.LocalNodeState}}'")).stdout.trim();
        assert.equal(state, "inactive", `${host.name} left the swarm`);
      }
      await run("stack rm", ["stack", "rm", "dev", "--yes", "--non-interactive"]);
    } finally {
      if (hosts) await destroyTestHosts(hosts);
    }
    reportTimes(t, "swarm-cluster", times);
  });
});

/**
 * The example's stack with the test hosts as its inventory (node1 the manager, node2 and
 * node3 workers, keys pinned from the harness's known_hosts), the image from the hosts'
 * registry, and ports for a kernel without IPVS (compose.test.yaml: DNS round robin,
 * host-mode ports, one replica per node).
 */
async function writeSwarmStack(dir: string, hosts: TestHosts, image: string): Promise<void> {
  const knownHosts = await readFile(hosts.knownHostsPath, "utf8");
  const stack = parse(await readFile(join(dir, "Pulumi.dev.yaml"), "utf8"));
  stack.config["compose-pulumi:compose"] = {
    files: ["compose.yaml", "compose.test.yaml"],
    variables: { ...stack.config["compose-pulumi:compose"].variables, APP_IMAGE: image },
  };
  stack.config["hello-swarm:inventory"] = {
    defaults: { user: "root", privateKeyPath: hosts.privateKeyPath },
    hosts: hosts.hosts.map((host, index) => ({
      name: host.name,
      address: host.address,
      port: host.port,
      role: index === 0 ? "manager" : "worker",
      hostKeys: hostKeysFromKnownHosts(knownHosts, host.address, host.port),
    })),
  };
  await writeFile(join(dir, "Pulumi.dev.yaml"), stringify(stack));
  await writeFile(
    join(dir, "compose.test.yaml"),
    `services:
  web:
    ports: !override
      - target: 8080
        published: 8080
        mode: host
    deploy:
      endpoint_mode: dnsrr
      placement:
        max_replicas_per_node: 1
`,
  );
}
