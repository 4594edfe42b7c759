/**
 * The example apps in stacks/apps/ work on a real engine: the local Debian base is
 * built (scripts/images/base.sh), each app's compose file is loaded by the adapter,
 * its images are built without network and its services run with plain docker
 * commands (see ComposeOnEngine), then each app is checked over HTTP and removed.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { loadProject } from "../../infra/compose/load.ts";
import { ComposeOnEngine } from "./example-apps/compose-on-engine.ts";
import { dockerUnavailable } from "./example-apps/docker-cli.ts";

const repo = path.resolve(import.meta.dirname, "../..");
const appsDir = path.join(repo, "stacks/apps");
const runId = `apps-${process.pid}-${randomBytes(3).toString("hex")}`;
// Test images get their own repository prefix, so removing them never touches images
// that other work on the same daemon pushes to or pulls from the registry.
const environment = { REGISTRY: `compose-pulumi-test-${runId}` };

let unavailable: string | undefined;
let baseFailed: string | undefined;

before(async () => {
  unavailable = await dockerUnavailable();
  if (!unavailable && !(await baseImagePresent()) && !(await commandExists("debootstrap"))) {
    unavailable = "the base image is not built and debootstrap is not installed (apt-get install debootstrap)";
  }
});

describe("example apps on one engine", { concurrency: 1 }, () => {
  test("the Debian base image builds (or is already current)", { timeout: 30 * 60_000 }, async (t) => {
    if (unavailable) return t.skip(unavailable);
    const started = Date.now();
    const result = await run("bash", [path.join(repo, "scripts/images/base.sh")], 30 * 60_000);
    if (result.code !== 0) baseFailed = "scripts/images/base.sh failed";
    assert.equal(result.code, 0, `scripts/images/base.sh exited ${result.code}:\n${result.output.split("\n").slice(-20).join("\n")}`);
    assert.ok(await baseImagePresent(), "compose-pulumi/debian:bookworm is missing after base.sh");
    t.diagnostic(`base.sh took ${((Date.now() - started) / 1000).toFixed(1)}s: ${result.output.trim().split("\n").at(-1)}`);
  });

  test("wordpress: the install page reaches the database, and the installed site answers on every replica", { timeout: 15 * 60_000 }, async (t) => {
    const app = await startApp(t, "wordpress");
    if (!app) return;
    await app.waitHealthy("web");
    const home = await app.url("web", 80, 1);

    const first = await fetchWithin(`${home}/`, { redirect: "manual" });
    assert.equal(first.status, 302, `GET / should redirect to the installer, got ${first.status}: ${(await first.text()).slice(0, 300)}`);
    assert.match(first.headers.get("location") ?? "", /\/wp-admin\/install\.php$/);

    const installer = await fetchWithin(`${home}/wp-admin/install.php`);
    assert.equal(installer.status, 200);
    assert.match(await installer.text(), /name="weblog_title"/);

    const title = `Example ${runId}`;
    const adminPassword = randomBytes(12).toString("base64url");
    const form = new URLSearchParams({
      weblog_title: title,
      user_name: "admin",
      admin_password: adminPassword,
      admin_password2: adminPassword,
      pw_weak: "1",
      admin_email: "admin@example.test",
      blog_public: "0",
      Submit: "Install WordPress",
    });
    const installed = await fetchWithin(`${home}/wp-admin/install.php?step=2`, { method: "POST", body: form });
    assert.equal(installed.status, 200);
    assert.match(await installed.text(), /WordPress has been installed/);

    for (let replica = 1; replica <= app.replicas("web"); replica++) {
      const page = await fetchWithin(`${await app.url("web", 80, replica)}/`);
      assert.equal(page.status, 200, `replica ${replica} answered ${page.status}`);
      assert.ok((await page.text()).includes(title), `replica ${replica} does not show the site title stored in the database`);
    }
    assert.ok(app.replicas("web") >= 2, "the compose file should run several web replicas");
    await assertSecretsNotLogged(app);
  });

  test("flask: the counter behind nginx increments, and nginx cannot reach redis", { timeout: 15 * 60_000 }, async (t) => {
    const app = await startApp(t, "flask");
    if (!app) return;
    const base = await app.url("nginx", 80);
    const hit = async () => {
      const response = await fetchWithin(`${base}/`);
      assert.equal(response.status, 200, `GET / answered ${response.status}: ${(await response.clone().text()).slice(0, 300)}`);
      return (await response.json()) as { hits: number; version: string; host: string };
    };
    const first = await eventually(hit, 30_000);
    const second = await hit();
    assert.equal(second.hits, first.hits + 1);
    assert.equal(first.version, app.project.services.web.environment?.APP_VERSION);
    assert.ok(first.version, "APP_VERSION from .env should reach the app");

    const fromWeb = await app.exec("web", ["getent", "hosts", "redis"]);
    assert.equal(fromWeb.code, 0, "web (frontend + backend) should resolve redis");
    const fromNginx = await app.exec("nginx", ["getent", "hosts", "redis"]);
    assert.notEqual(fromNginx.code, 0, "nginx is only on the frontend network and must not resolve redis");
  });

  test("postgres: the migration job seeds once, a re-run is a no-op, and both app replicas serve the rows", { timeout: 15 * 60_000 }, async (t) => {
    const app = await startApp(t, "postgres");
    if (!app) return;
    const migrations = fs.readdirSync(path.join(appsDir, "postgres/migrate/migrations")).filter((f) => f.endsWith(".sql")).sort();
    assert.equal(await app.waitExit("migrate"), 0);
    const firstLog = await app.logs("migrate");
    for (const file of migrations) assert.ok(firstLog.includes(`applied ${path.basename(file, ".sql")}`), `migrate did not report applying ${file}:\n${firstLog}`);

    await app.waitHealthy("app");
    const expected = seedRows(path.join(appsDir, "postgres/migrate/migrations/002_seed_items.sql"));
    for (let replica = 1; replica <= app.replicas("app"); replica++) {
      const response = await fetchWithin(`${await app.url("app", 8000, replica)}/`);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { items: { sku: string; name: string; quantity: number }[] };
      assert.deepEqual(body.items, expected);
    }
    assert.equal(app.replicas("app"), 2);

    const state = async () => {
      const result = await app.exec("db", ["psql", "-d", "app", "-Atc", "SELECT version, applied_at FROM schema_migrations ORDER BY version; SELECT count(*) FROM items;"], { user: "postgres" });
      assert.equal(result.code, 0, result.stderr);
      return result.stdout;
    };
    const before = await state();
    const again = await app.rerun("migrate");
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /nothing to apply/);
    assert.equal(await state(), before, "a second migration run changed the database");

    const asApp = await app.exec("db", ["psql", "-d", "app", "-Atc", "SELECT has_table_privilege('app_user', 'items', 'INSERT'), has_table_privilege('app_user', 'items', 'SELECT')"], { user: "postgres" });
    assert.equal(asApp.stdout.trim(), "f|t", "app_user should read items but not write them");
    await assertSecretsNotLogged(app);
  });
});

/** Loads, builds and starts an app; registers its removal. Undefined when skipped. */
async function startApp(t: import("node:test").TestContext, name: string): Promise<ComposeOnEngine | undefined> {
  if (unavailable) {
    t.skip(unavailable);
    return undefined;
  }
  if (baseFailed) {
    t.skip(`${baseFailed}; see the base image test`);
    return undefined;
  }
  const project = loadProject({
    files: [path.join(appsDir, name, "compose.yaml")],
    projectName: `${runId}-${name}`,
    environment,
  });
  const app = new ComposeOnEngine(project, runId);
  t.after(() => app.down());
  await app.build();
  await app.up();
  return app;
}

async function assertSecretsNotLogged(app: ComposeOnEngine): Promise<void> {
  const logs = await app.allLogs();
  for (const [name, secret] of Object.entries(app.project.secrets ?? {})) {
    const value = fs.readFileSync(secret.file!, "utf8").trim();
    assert.ok(value.length > 0 && !logs.includes(value), `the logs of ${app.project.name} contain the value of secret ${name}`);
  }
}

/** The (sku, name, quantity) tuples of the seed migration, in sku order. */
function seedRows(file: string): { sku: string; name: string; quantity: number }[] {
  const rows = [...fs.readFileSync(file, "utf8").matchAll(/\('([^']+)',\s*'([^']+)',\s*(\d+)\)/g)].map(([, sku, name, quantity]) => ({
    sku,
    name,
    quantity: Number(quantity),
  }));
  assert.ok(rows.length > 0, `no seed rows found in ${file}`);
  return rows.sort((a, b) => a.sku.localeCompare(b.sku));
}

function fetchWithin(url: string, init: RequestInit = {}, timeoutMs = 20_000): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

/** Retries `attempt` until it succeeds or `timeoutMs` passes, then rethrows its last error. */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function baseImagePresent(): Promise<boolean> {
  return (await run("docker", ["image", "inspect", "compose-pulumi/debian:bookworm"], 30_000)).code === 0;
}

async function commandExists(name: string): Promise<boolean> {
  return (await run("sh", ["-c", `command -v ${name}`], 10_000)).code === 0;
}

function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: -1, output: error.message });
    });
  });
}
