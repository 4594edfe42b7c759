/**
 * The two example apps on the Kubernetes test cluster (scripts/k8s-up.sh) through the
 * real toolchain, as a user runs them: `pulumi preview` and `pulumi up` of the stacks
 * program with a copy of stacks/Pulumi.k8s-postgres.yaml and stacks/Pulumi.k8s.yaml
 * (temporary file:// backend; own project names and node ports; the images built by
 * node1's dockerd, which trusts the cluster's registry).
 *
 * Postgres + migration: pods Ready, the app answering through its NodePort Service with
 * the rows the migration wrote, the migration Job run exactly once and completed before
 * the app's pods were created, a second `up` that changes nothing (and runs no Job), then
 * a new APP_TAG: one new Job run once, and the app rolling under a client loop with no
 * failed request. WordPress: the database on the node labelled db=true, three web pods
 * Ready, the site answering on both nodes, a second `up` that changes nothing, and a new
 * WORDPRESS_TAG rolling under a client loop with no failed request.
 *
 * Needs root (test hosts), the pulumi CLI with the docker and kubernetes plugins, the
 * project's dockerd with the Debian base image, and the cluster's binaries (or Go to
 * build them); skips with the reason otherwise.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { parse, stringify } from "yaml";
import { harnessUnavailableReason } from "../harness/hosts.ts";
import { publishImageFrom } from "../harness/images.ts";
import { clusterUnavailableReason, kubectl, kubectlJson, startTestCluster, stopTestCluster, testClusterRunning, type TestCluster } from "../harness/kubernetes.ts";
import { run } from "../harness/process.ts";
import { waitFor } from "../harness/wait.ts";
import { daemonMissing, projectEnv, repoRoot, toolchainMissing } from "./pulumi-toolchain.ts";

const BASE_IMAGE = "compose-pulumi/debian:bookworm";
const NS = "compose-pulumi";
const suffix = randomBytes(3).toString("hex");
// Node ports of their own (30000-32767), so a run beside the example stacks does not collide.
const portBase = 30_100 + (parseInt(suffix, 16) % 1_000) * 2;

let unavailable: string | undefined;
let env: NodeJS.ProcessEnv = process.env;
let cluster: TestCluster | undefined;
let reused = false;
let work = "";
const deployed = new Set<string>();

interface AppStack {
  /** The committed stack file this copies. */
  source: string;
  stack: string;
  project: string;
  port: number;
  variables: Record<string, string>;
  file: string;
}

const postgres: AppStack = { source: "Pulumi.k8s-postgres.yaml", stack: "k8s-postgres", project: `pgk8s-${suffix}`, port: portBase, variables: {}, file: "" };
const wordpress: AppStack = { source: "Pulumi.k8s.yaml", stack: "k8s", project: `wpk8s-${suffix}`, port: portBase + 1, variables: {}, file: "" };

function skipUnlessReady(t: TestContext): boolean {
  if (unavailable) t.skip(unavailable);
  return unavailable !== undefined;
}

async function missingPrerequisite(): Promise<string | undefined> {
  const missing = (await harnessUnavailableReason()) ?? (await clusterUnavailableReason())
    ?? (await toolchainMissing(env, ["docker", "kubernetes"])) ?? (await daemonMissing(env));
  if (missing) return missing;
  const base = await run("docker", ["image", "inspect", BASE_IMAGE], { env });
  return base.code === 0 ? undefined : `the base image ${BASE_IMAGE} is not on ${env.DOCKER_HOST} (run scripts/images/base.sh)`;
}

/** The committed stack file, pointed at this cluster, its registry and this run's names. */
async function writeStackFile(app: AppStack, variables: Record<string, string>): Promise<void> {
  const stack = parse(await readFile(join(repoRoot, "stacks", app.source), "utf8"));
  const config = stack.config;
  const registry = cluster!.registry;
  const portKey = app === postgres ? "APP_PORT" : "WORDPRESS_PORT";
  config[`${NS}:compose`].projectName = app.project;
  config[`${NS}:compose`].variables = {
    ...config[`${NS}:compose`].variables,
    REGISTRY: registry,
    BASE_IMAGE: `${registry}/${BASE_IMAGE}`,
    [portKey]: String(app.port),
    ...variables,
  };
  config[`${NS}:registry`] = { server: registry, insecure: true };
  config[`${NS}:docker`] = { host: cluster!.hosts.hosts[0].dockerHost };
  config[`${NS}:publicHost`] = cluster!.hosts.hosts[0].address;
  app.variables = variables;
  await writeFile(app.file, stringify(stack));
}

/** Runs `pulumi` on the app's stack; preview, up and destroy read the stack file's copy. */
async function pulumi(app: AppStack, args: string[], timeoutMs = 1_200_000): Promise<string> {
  const configFile = ["preview", "up", "destroy"].includes(args[0]) ? ["--config-file", app.file] : [];
  const result = await run("pulumi", [...args, "--stack", app.stack, ...configFile, "--non-interactive"], { env, cwd: repoRoot, timeoutMs });
  if (result.code !== 0) assert.fail(`pulumi ${args.join(" ")} (${app.stack}) failed:\n${result.stdout.slice(-8000)}\n${result.stderr.slice(-4000)}`);
  return result.stdout;
}

/** `kind/name -> op` of every step a preview plans that changes something. */
async function plannedChanges(app: AppStack): Promise<Record<string, string>> {
  const { steps } = JSON.parse(await pulumi(app, ["preview", "--json"])) as { steps?: { op: string; urn: string }[] };
  const out: Record<string, string> = {};
  for (const step of steps ?? []) {
    if (step.op === "same") continue;
    const parts = step.urn.split("::");
    out[`${parts[2].split("$").pop()} ${parts[3]}`] = step.op;
  }
  return out;
}

/** The resource changes of the stack's last update, as `pulumi stack history` records them. */
async function lastUpdateChanges(app: AppStack): Promise<Record<string, number>> {
  const history = JSON.parse(await pulumi(app, ["stack", "history", "--json"])) as { resourceChanges?: Record<string, number> }[];
  return history[0].resourceChanges ?? {};
}

function getJson<T>(args: string[]): Promise<T> {
  return kubectlJson<T>(cluster!, args);
}

interface Pod {
  metadata: { name: string; creationTimestamp: string; labels: Record<string, string> };
  spec: { nodeName: string; containers: { image: string }[] };
  status: { phase: string; conditions?: { type: string; status: string }[]; containerStatuses?: { state: { running?: { startedAt: string } } }[] };
}
interface Job {
  metadata: { name: string; uid: string };
  status: { succeeded?: number; failed?: number; startTime?: string; completionTime?: string };
}

const ready = (pod: Pod) => pod.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;

async function pods(namespace: string, service: string): Promise<Pod[]> {
  return (await getJson<{ items: Pod[] }>(["get", "pods", "-n", namespace, "-l", `app.kubernetes.io/name=${service}`])).items;
}

async function jobs(namespace: string): Promise<Job[]> {
  return (await getJson<{ items: Job[] }>(["get", "jobs", "-n", namespace])).items;
}

async function fetchText(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: await response.text() };
}

/** Requests `url` back to back until `done` settles; every failure is kept with its time. */
async function clientLoop<T>(url: string, done: Promise<T>): Promise<{ result: T; ok: number; failures: string[] }> {
  let finished = false;
  const settled = done.finally(() => (finished = true));
  let ok = 0;
  const failures: string[] = [];
  while (!finished) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
      await response.arrayBuffer();
      if (response.status === 200) ok++;
      else failures.push(`${new Date().toISOString()} HTTP ${response.status}`);
    } catch (error) {
      failures.push(`${new Date().toISOString()} ${(error as Error).cause ?? (error as Error).message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { result: await settled, ok, failures };
}

describe("the example apps on the Kubernetes test cluster through pulumi up", { timeout: 3_600_000, concurrency: 1 }, () => {
  before(async () => {
    env = await projectEnv();
    unavailable = await missingPrerequisite();
    if (unavailable) return;
    reused = await testClusterRunning();
    const started = Date.now();
    cluster = await startTestCluster(2);
    console.log(`# cluster ${reused ? "reused" : "started"} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // WordPress's database is placed on the node labelled db=true, where its volume lives.
    await kubectl(cluster, ["label", "node", "node1", "db=true", "--overwrite"]);
    await publishImageFrom(cluster.hosts, env.DOCKER_HOST!, BASE_IMAGE);
    work = await mkdtemp(join(tmpdir(), "cp-k8s-apps-"));
    await mkdir(join(work, "backend"));
    env = {
      ...env,
      PULUMI_BACKEND_URL: `file://${join(work, "backend")}`,
      // The committed stack files are dev stacks, salted with the public dev passphrase;
      // `stack init` then leaves them as they are.
      PULUMI_CONFIG_PASSPHRASE: "compose-pulumi-dev",
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    for (const app of [postgres, wordpress]) {
      app.file = join(work, app.source);
      await writeStackFile(app, {});
      await pulumi(app, ["stack", "init"]);
    }
  }, { timeout: 4_000_000 });

  after(async () => {
    for (const app of [postgres, wordpress]) {
      if (deployed.has(app.stack)) await pulumi(app, ["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
    }
    if (work) await rm(work, { recursive: true, force: true });
    if (cluster && !reused) await stopTestCluster();
  }, { timeout: 900_000 });

  it("Postgres + migration: preview, up, the Job once before the app, the app answering through its Service", { timeout: 1_200_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    const ns = postgres.project;
    const planned = await plannedChanges(postgres);
    const kinds = new Set(Object.keys(planned).map((key) => key.split(" ")[0]));
    for (const kind of ["kubernetes:core/v1:Namespace", "kubernetes:core/v1:PersistentVolumeClaim", "kubernetes:core/v1:Secret", "kubernetes:batch/v1:Job", "kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service"]) {
      assert.ok(kinds.has(kind), `the preview creates a ${kind}: ${JSON.stringify(planned)}`);
    }
    assert.deepEqual([...new Set(Object.values(planned))], ["create"]);

    deployed.add(postgres.stack);
    await pulumi(postgres, ["up", "--yes", "--skip-preview"]);

    const app = await pods(ns, "app");
    assert.equal(app.length, 2);
    assert.ok(app.every(ready), "both app pods are Ready when up returns");
    assert.ok((await pods(ns, "db")).every(ready), "the db pod is Ready");
    const [job, ...others] = await jobs(ns);
    assert.equal(others.length, 0, "one migration Job");
    assert.equal(job.status.succeeded, 1);
    assert.equal(job.status.failed ?? 0, 0);
    const runs = (await getJson<{ items: Pod[] }>(["get", "pods", "-n", ns, "-l", `job-name=${job.metadata.name}`])).items;
    assert.equal(runs.length, 1, "the migration ran in one pod");
    for (const pod of app) {
      assert.ok(Date.parse(pod.metadata.creationTimestamp) >= Date.parse(job.status.completionTime!), `${pod.metadata.name} was created after the migration completed`);
    }

    const url = `http://${cluster!.hosts.hosts[1].address}:${postgres.port}/`;
    const { status, body } = await fetchText(url);
    assert.equal(status, 200);
    assert.deepEqual(JSON.parse(body).items.map((item: { sku: string }) => item.sku), ["KB-001", "MN-003", "MS-002"]);

    assert.deepEqual(await plannedChanges(postgres), {}, "a preview right after up plans nothing");
    await pulumi(postgres, ["up", "--yes"]);
    assert.deepEqual(Object.keys(await lastUpdateChanges(postgres)), ["same"], "a second up changes nothing");
    const again = await jobs(ns);
    assert.deepEqual(again.map((j) => j.metadata.uid), [job.metadata.uid], "the second up runs no Job");
  });

  it("Postgres + migration: a new app tag runs one new Job once and rolls the app with no failed request", { timeout: 1_200_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    if (!deployed.has(postgres.stack)) return t.skip("the Postgres app was not deployed");
    const ns = postgres.project;
    const [before] = await jobs(ns);
    await writeStackFile(postgres, { APP_TAG: "1.0.1" });
    const url = `http://${cluster!.hosts.hosts[0].address}:${postgres.port}/`;
    const { ok, failures } = await clientLoop(url, pulumi(postgres, ["up", "--yes", "--skip-preview"]));
    t.diagnostic(`${ok} requests answered during the rollout`);
    assert.deepEqual(failures, [], "no request failed while the app rolled");
    assert.ok(ok > 50, `the client loop ran throughout (${ok} requests)`);

    const changes = await lastUpdateChanges(postgres);
    assert.equal(changes.update, 1, `only the app's Deployment is updated in place: ${JSON.stringify(changes)}`);
    const after = await jobs(ns);
    assert.equal(after.length, 1, "the old Job is gone, one new Job");
    assert.notEqual(after[0].metadata.name, before.metadata.name);
    assert.equal(after[0].status.succeeded, 1);
    const runs = (await getJson<{ items: Pod[] }>(["get", "pods", "-n", ns, "-l", `job-name=${after[0].metadata.name}`])).items;
    assert.equal(runs.length, 1, "the new migration ran once");
    const app = await waitFor("only the new app pods", 120_000, async () => {
      const list = await pods(ns, "app");
      return list.length === 2 && list.every((pod) => pod.spec.containers[0].image.includes("/postgres-app:1.0.1@sha256:")) && list.every(ready) ? list : undefined;
    });
    for (const pod of app) assert.ok(Date.parse(pod.metadata.creationTimestamp) >= Date.parse(after[0].status.completionTime!));
  });

  it("WordPress: preview, up, the database on the labelled node, the site answering on both nodes, a second up changes nothing", { timeout: 1_200_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    const ns = wordpress.project;
    const planned = await plannedChanges(wordpress);
    assert.equal(planned[`kubernetes:apps/v1:Deployment ${wordpress.project}-web`], "create");
    assert.equal(planned[`kubernetes:core/v1:PersistentVolumeClaim ${wordpress.project}-db_data`], "create", JSON.stringify(planned));

    deployed.add(wordpress.stack);
    await pulumi(wordpress, ["up", "--yes", "--skip-preview"]);

    const db = await pods(ns, "db");
    assert.equal(db.length, 1);
    assert.equal(db[0].spec.nodeName, "node1", "the database runs on the node labelled db=true");
    const web = await pods(ns, "web");
    assert.equal(web.length, 3);
    assert.ok(web.every(ready), "three web pods are Ready when up returns");
    for (const host of cluster!.hosts.hosts) {
      const { status, body } = await fetchText(`http://${host.address}:${wordpress.port}/wp-admin/install.php`);
      assert.equal(status, 200, host.name);
      assert.match(body, /<title>WordPress[^<]*<\/title>/);
    }

    await pulumi(wordpress, ["up", "--yes"]);
    assert.deepEqual(Object.keys(await lastUpdateChanges(wordpress)), ["same"], "a second up changes nothing");
  });

  it("WordPress: a new web tag rolls the three web pods with no failed request", { timeout: 1_200_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    if (!deployed.has(wordpress.stack)) return t.skip("WordPress was not deployed");
    await writeStackFile(wordpress, { WORDPRESS_TAG: "6.1.10" });
    const url = `http://${cluster!.hosts.hosts[0].address}:${wordpress.port}/wp-admin/install.php`;
    const { ok, failures } = await clientLoop(url, pulumi(wordpress, ["up", "--yes", "--skip-preview"]));
    t.diagnostic(`${ok} requests answered during the rollout`);
    assert.deepEqual(failures, [], "no request failed while web rolled");
    assert.ok(ok > 50, `the client loop ran throughout (${ok} requests)`);
    const web = await waitFor("only the new web pods", 180_000, async () => {
      const list = await pods(wordpress.project, "web");
      return list.length === 3 && list.every((pod) => pod.spec.containers[0].image.includes("/wordpress-web:6.1.10@sha256:")) && list.every(ready) ? list : undefined;
    });
    assert.equal(web.length, 3);
    const changes = await lastUpdateChanges(wordpress);
    assert.equal(changes.update, 1, `only web's Deployment is updated in place: ${JSON.stringify(changes)}`);
  });
});
