/**
 * WordPress from stacks/apps/wordpress on the five-host swarm: loaded with the test
 * override (dnsrr, host-mode ports) plus web placed on the workers; checked by where
 * its tasks run and by fetching the site over the overlay network from a client
 * container on a manager.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProject } from "../../infra/compose/load.ts";
import type { Project } from "../../infra/compose/schema/index.ts";
import type { TestHosts } from "../harness/hosts.ts";
import { docker, testHost, waitFor, WEB_ON_WORKERS } from "./cluster-scenario.ts";
import { repoRoot } from "./pulumi-toolchain.ts";

export const BASE_IMAGE = "compose-pulumi/debian:bookworm";

export async function loadWordPress(env: TestHosts, name: string, baseImage: string): Promise<Project> {
  const dir = await mkdtemp(join(tmpdir(), "cluster-wordpress-"));
  try {
    const override = join(dir, "compose.workers.yaml");
    await writeFile(override, WEB_ON_WORKERS);
    const app = join(repoRoot, "stacks/apps/wordpress");
    return loadProject({
      files: [join(app, "compose.yaml"), join(app, "compose.test.yaml"), override],
      projectName: name,
      environment: { REGISTRY: env.registry, BASE_IMAGE: baseImage },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runningTasks(env: TestHosts, service: string): Promise<string[]> {
  const out = await docker(env, testHost(env, "node1"),
    `service ps ${service} --filter desired-state=running --format '{{.Node}} {{.CurrentState}}'`);
  return out.trim().split("\n").filter(Boolean);
}

/** db on the manager labelled db=true, 3 web replicas over both workers, the site answering. */
export async function assertWordPressRunning(env: TestHosts, name: string, clientImage: string): Promise<void> {
  const web = await waitFor("3 running web tasks", 600_000, async () => {
    const tasks = await runningTasks(env, `${name}_web`);
    return tasks.length === 3 && tasks.every((task) => / Running /.test(`${task} `)) ? tasks : undefined;
  });
  assert.deepEqual([...new Set(web.map((task) => task.split(" ")[0]))].sort(), ["node4", "node5"], `web spreads over the workers: ${web.join("; ")}`);
  const db = await runningTasks(env, `${name}_db`);
  assert.equal(db.length, 1);
  assert.match(db[0], /^node1 Running/, "the db runs on the manager labelled db=true");

  const page = await waitFor("WordPress over the overlay network", 300_000, async () => {
    const out = await docker(env, testHost(env, "node1"),
      `run --rm --network ${name}_wp ${clientImage} wget -q -O - http://web/wp-admin/install.php`);
    return out.includes("WordPress") ? out : undefined;
  });
  assert.match(page, /<title>WordPress[^<]*<\/title>/);
}

export async function assertWordPressGone(env: TestHosts, name: string): Promise<void> {
  const out = await docker(env, testHost(env, "node1"), `service ls --filter label=com.docker.stack.namespace=${name} --format '{{.Name}}'`);
  assert.equal(out.trim(), "");
}
