// The kubernetes plugin the set-up builds (scripts/pulumi-build-kubernetes-provider.sh)
// is the published pulumi-resource-kubernetes 4.25.0, as far as the product can tell:
//   - `pulumi plugin ls` lists it at the version @pulumi/kubernetes asks for;
//   - the schema it serves carries that version and exactly the resource tokens the
//     @pulumi/kubernetes SDK registers, so every class of the SDK has its resource;
//   - with a kubeconfig whose cluster does not answer, it behaves as the provider's source
//     (pkg/provider/provider.go at tag v4.25.0) says: Configure marks the cluster
//     unreachable instead of failing, a preview then shows the creates without contacting
//     the cluster and without a warning (Create in preview returns the inputs as they
//     are), Check warns "Cluster is unreachable but skipUpdateUnreachable flag is set to
//     true, skipping..." when that option is on, and an update fails in Create with
//     "configured Kubernetes cluster is unreachable: unable to load schema information
//     from the API server: ...".
//   - the binary says it was built as the release builds it (.goreleaser.yml and the
//     Makefile at the tag): Go 1.24.9 (the toolchain line of the provider's go.mod),
//     CGO_ENABLED=0, -ldflags "-s -w -X .../pkg/version.Version=v4.25.0", the provider
//     module as the main module with the dependency versions its go.mod pins.
// Needs `npm run setup`; skips with the reason when the CLI or the plugin is missing.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { pluginVersion, projectEnv, repoRoot, toolchainMissing } from "./pulumi-toolchain.ts";

const run = promisify(execFile);
const sdkDir = join(repoRoot, "node_modules/@pulumi/kubernetes");

/** The environment of the project's commands, or undefined after skipping the test. */
async function kubernetesEnv(t: TestContext): Promise<NodeJS.ProcessEnv | undefined> {
  const env = await projectEnv();
  const reason = await toolchainMissing(env, ["kubernetes"]);
  if (reason) {
    t.skip(reason);
    return undefined;
  }
  return env;
}

test("@pulumi/kubernetes is 4.25.0 and pulumi plugin ls lists resource kubernetes 4.25.0", { timeout: 60_000 }, async (t) => {
  assert.equal(await pluginVersion("@pulumi/kubernetes"), "4.25.0");
  const env = await kubernetesEnv(t);
  if (!env) return;
  const plugins: { name: string; kind: string; version: string }[] = JSON.parse((await run("pulumi", ["plugin", "ls", "--json"], { env })).stdout);
  assert.deepEqual(
    plugins.filter((p) => p.name === "kubernetes").map((p) => `${p.kind} ${p.version}`),
    ["resource 4.25.0"],
  );
});

test("the plugin's build info: go1.24.9, CGO off, the release's ldflags, the provider module's dependency versions", { timeout: 60_000 }, async (t) => {
  const env = await kubernetesEnv(t);
  if (!env) return;
  // An installed pulumi may have downloaded the published plugin, whose build info
  // differs where noted below; this test is about the plugin the set-up builds.
  const { stdout: cli } = await run("bash", ["-c", "command -v pulumi"], { env });
  if (!cli.includes("/compose-pulumi/")) return t.skip("the pulumi CLI is an installed one, whose plugins this project did not build");
  try {
    await run("go", ["version"], { env });
  } catch {
    return t.skip("no go on PATH to read the binary's build info");
  }
  const binary = join(env.PULUMI_HOME ?? join(homedir(), ".pulumi"), "plugins/resource-kubernetes-v4.25.0/pulumi-resource-kubernetes");
  const { stdout } = await run("go", ["version", "-m", binary], { env, maxBuffer: 16 << 20 });
  const lines = stdout.split("\n").map((line) => line.trim().split(/\s+/));
  const field = (kind: string, key: string) => lines.find((l) => l[0] === kind && l[1] === key)?.slice(2);
  const build = (key: string) => lines.find((l) => l[0] === "build" && l[1].startsWith(`${key}=`))?.[1].slice(key.length + 1);
  assert.match(stdout, /^\S+: go1\.24\.9\n/);
  assert.deepEqual(field("path", "github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes"), []);
  // The published binary's main module carries the VCS stamp of the release commit; a
  // module zip has none, hence (devel).
  assert.deepEqual(field("mod", "github.com/pulumi/pulumi-kubernetes/provider/v4"), ["(devel)"]);
  assert.equal(build("CGO_ENABLED"), "0");
  assert.match(stdout, /build\s+-ldflags="-s -w -X github\.com\/pulumi\/pulumi-kubernetes\/provider\/v4\/pkg\/version\.Version=v4\.25\.0"/);
  assert.equal(field("dep", "k8s.io/client-go")?.[0], "v0.33.3", "client-go as go.mod pins it (also in the provider's user agent)");
  assert.equal(field("dep", "github.com/pulumi/pulumi/sdk/v3")?.[0], "v3.215.0");
  assert.equal(field("dep", "helm.sh/helm/v3")?.[0], "v3.18.6");
  // The published binary replaces it with the repository's ../sdk at the same commit.
  assert.deepEqual(field("=>", "github.com/pulumi/pulumi-kubernetes/sdk/v4")?.slice(0, 1), ["v4.25.0"]);
});

/**
 * The type tokens the SDK's classes register: each generated class's static
 * `__pulumiType`, and the literal token of the hand-written components (yaml, kustomize).
 * The provider class's token is its package name, "kubernetes", and is left out.
 */
async function sdkTokens(): Promise<Set<string>> {
  const tokens = new Set<string>();
  const files = (await readdir(sdkDir, { recursive: true })).filter((f) => f.endsWith(".js") && !f.startsWith("node_modules"));
  for (const file of files) {
    const text = await readFile(join(sdkDir, file), "utf8");
    for (const m of text.matchAll(/\.__pulumiType = '(kubernetes:[^']+)'/g)) tokens.add(m[1]);
    for (const m of text.matchAll(/super\("(kubernetes:[^"]+)"/g)) tokens.add(m[1]);
  }
  return tokens;
}

test("the schema it serves is version 4.25.0 with the resource tokens of the @pulumi/kubernetes 4.25.0 SDK", { timeout: 60_000 }, async (t) => {
  const env = await kubernetesEnv(t);
  if (!env) return;
  const { stdout } = await run("pulumi", ["package", "get-schema", "kubernetes@4.25.0"], { env, maxBuffer: 64 << 20 });
  const schema = JSON.parse(stdout) as { name: string; version: string; resources: Record<string, { isOverlay?: boolean }> };
  assert.equal(schema.name, "kubernetes");
  assert.equal(schema.version, "4.25.0");

  const served = Object.keys(schema.resources);
  for (const token of [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:core/v1:Service",
    "kubernetes:core/v1:PersistentVolumeClaim",
    "kubernetes:core/v1:Secret",
    "kubernetes:core/v1:ConfigMap",
    "kubernetes:core/v1:Namespace",
    "kubernetes:networking.k8s.io/v1:Ingress",
  ]) {
    assert.ok(served.includes(token), `the schema serves ${token}`);
  }

  const sdk = await sdkTokens();
  assert.ok(sdk.size > 400, `found the SDK's classes (${sdk.size} tokens)`);
  assert.deepEqual([...sdk].filter((token) => !served.includes(token)), [], "every SDK class has its resource in the schema");
  // CustomResource and CustomResourcePatch are overlays whose SDK classes register
  // `kubernetes:<apiVersion>:<kind>` of the custom resource, never these tokens.
  assert.deepEqual(
    served.filter((token) => !sdk.has(token)).sort(),
    ["kubernetes:apiextensions.k8s.io:CustomResource", "kubernetes:apiextensions.k8s.io:CustomResourcePatch"],
  );
  assert.equal(schema.resources["kubernetes:apiextensions.k8s.io:CustomResource"].isOverlay, true);
});

// A cluster that refuses connections at once: port 9 (discard) on the loopback, where
// nothing listens, so the tests never wait on a timeout.
const program = `import * as k8s from "@pulumi/kubernetes";

const kubeconfig = JSON.stringify({
  apiVersion: "v1",
  kind: "Config",
  "current-context": "unreachable",
  clusters: [{ name: "unreachable", cluster: { server: "https://127.0.0.1:9" } }],
  contexts: [{ name: "unreachable", context: { cluster: "unreachable", user: "nobody" } }],
  users: [{ name: "nobody", user: { token: "none" } }],
});
const provider = new k8s.Provider("unreachable", {
  kubeconfig,
  skipUpdateUnreachable: process.env.SKIP_UPDATE_UNREACHABLE === "true",
});
new k8s.core.v1.ConfigMap("settings", { metadata: { name: "settings" }, data: { key: "value" } }, { provider });
`;

interface PreviewJson {
  steps: { op: string; urn: string; newState?: { inputs?: Record<string, unknown> } }[];
  diagnostics?: { urn?: string; message: string; severity: string }[];
}

test("an unreachable cluster: the preview shows the ConfigMap to create as the official provider does, and the update fails with its reason", { timeout: 180_000 }, async (t) => {
  const baseEnv = await kubernetesEnv(t);
  if (!baseEnv) return;
  const dir = await mkdtemp(join(tmpdir(), "cp-k8s-unreachable-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const projectDir = join(dir, "project");
  await mkdir(join(dir, "backend"));
  await mkdir(projectDir);
  await writeFile(join(projectDir, "Pulumi.yaml"), "name: k8s-unreachable\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.ts\n");
  await writeFile(join(projectDir, "package.json"), JSON.stringify({ name: "k8s-unreachable", type: "module", main: "index.ts" }));
  await writeFile(join(projectDir, "index.ts"), program);
  await symlink(join(repoRoot, "node_modules"), join(projectDir, "node_modules"));
  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    PULUMI_BACKEND_URL: `file://${join(dir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE: "kubernetes-test-only",
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  delete env.KUBECONFIG;
  const pulumi = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    try {
      const { stdout, stderr } = await run("pulumi", [...args, "--non-interactive"], { env: { ...env, ...extra }, cwd: projectDir, maxBuffer: 16 << 20 });
      return { code: 0, stdout, output: stdout + stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failed.code === "number" ? failed.code : 1, stdout: failed.stdout ?? "", output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
    }
  };
  const configMapUrn = "urn:pulumi:dev::k8s-unreachable::kubernetes:core/v1:ConfigMap::settings";
  assert.equal((await pulumi(["stack", "init", "dev"])).code, 0);

  const plain = await pulumi(["preview", "--json"]);
  assert.equal(plain.code, 0, plain.output);
  const preview = JSON.parse(plain.stdout) as PreviewJson;
  const step = preview.steps.find((s) => s.urn === configMapUrn);
  assert.equal(step?.op, "create");
  assert.deepEqual(step?.newState?.inputs?.data, { key: "value" });
  // The provider's default namespace (the kubeconfig context's, here "default") is set
  // without asking the cluster: ConfigMap is a built-in namespaced kind.
  assert.deepEqual(step?.newState?.inputs?.metadata, { name: "settings", namespace: "default" });
  assert.deepEqual(preview.diagnostics ?? [], [], "the preview warns about nothing");

  const skipping = await pulumi(["preview", "--json"], { SKIP_UPDATE_UNREACHABLE: "true" });
  assert.equal(skipping.code, 0, skipping.output);
  const skipped = JSON.parse(skipping.stdout) as PreviewJson;
  assert.equal(skipped.steps.find((s) => s.urn === configMapUrn)?.op, "create");
  assert.deepEqual(skipped.diagnostics, [{
    urn: configMapUrn,
    message: "warning: Cluster is unreachable but skipUpdateUnreachable flag is set to true, skipping...\n",
    severity: "warning",
  }]);

  const up = await pulumi(["up", "--yes", "--skip-preview"]);
  assert.notEqual(up.code, 0, "nothing can be created on an unreachable cluster");
  assert.match(
    up.output,
    /error: configured Kubernetes cluster is unreachable: unable to load schema information from the API server: Get "https:\/\/127\.0\.0\.1:9\/openapi\/v2\?timeout=32s": dial tcp 127\.0\.0\.1:9: connect: connection refused/,
  );
});
