/**
 * The cluster scenario shared by the cluster integration tests: the inventory of five
 * test hosts (3 managers, 2 workers, host keys pinned from the harness known_hosts
 * file), its second version (one label changed, one worker removed), what `docker node
 * ls` must show after each, and WordPress deployed on the result.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { hostKeysFromKnownHosts } from "../../infra/hosts/local.ts";
import type { TestHost, TestHosts } from "../harness/hosts.ts";
import { sshChecked } from "../harness/ssh.ts";
import { waitFor } from "../harness/wait.ts";

export const CLUSTER = "swarm";
export const MANAGERS = ["node1", "node2", "node3"];
export const WORKERS = ["node4", "node5"];

export const LABELS: Record<string, Record<string, string>> = {
  node1: { db: "true", zone: "a" },
  node2: { zone: "b" },
  node3: { zone: "c" },
  node4: { tier: "web", zone: "a" },
  node5: { tier: "web", zone: "b" },
};

/** The second version: node5 relabelled, node4 removed. */
export const CHANGED_LABELS: Record<string, Record<string, string>> = { ...LABELS, node5: { tier: "edge", zone: "b" } };
export const REMOVED = "node4";

export interface NodeRow {
  ID: string;
  Hostname: string;
  Status: string;
  Availability: string;
  ManagerStatus: string;
}

export function testHost(env: TestHosts, name: string): TestHost {
  const found = env.hosts.find((h) => h.name === name);
  if (!found) throw new Error(`no test host ${name}`);
  return found;
}

/** The inventory as a person would write it, keys pinned from the harness known_hosts. */
export async function inventoryDocument(
  env: TestHosts,
  labels: Record<string, Record<string, string>>,
  without: string[] = [],
): Promise<unknown> {
  const knownHosts = await readFile(env.knownHostsPath, "utf8");
  return {
    defaults: { privateKeyPath: env.privateKeyPath, user: "root" },
    hosts: [...MANAGERS, ...WORKERS]
      .filter((name) => !without.includes(name))
      .map((name) => {
        const host = testHost(env, name);
        const hostKeys = hostKeysFromKnownHosts(knownHosts, host.address, host.port);
        assert.deepEqual(hostKeys, [host.hostPublicKey], `the harness known_hosts pins ${name}`);
        return {
          name,
          address: host.address,
          port: host.port,
          role: MANAGERS.includes(name) ? "manager" : "worker",
          labels: labels[name],
          hostKeys,
        };
      }),
  };
}

export async function docker(env: TestHosts, on: TestHost, args: string): Promise<string> {
  return (await sshChecked(env, on, `docker ${args}`, { timeoutMs: 120_000 })).stdout;
}

export async function nodeList(env: TestHosts, on: TestHost): Promise<NodeRow[]> {
  const out = await docker(env, on, "node ls --format '{{json .}}'");
  return out.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as NodeRow)
    .sort((a, b) => a.Hostname.localeCompare(b.Hostname));
}

export async function nodeLabels(env: TestHosts, on: TestHost, node: string): Promise<Record<string, string>> {
  return JSON.parse(await docker(env, on, `node inspect --format '{{json .Spec.Labels}}' ${node}`)) ?? {};
}

export async function swarmState(env: TestHosts, on: TestHost): Promise<string> {
  return (await docker(env, on, "info --format '{{.Swarm.LocalNodeState}}'")).trim();
}

// The shared wait, re-exported for the swarm scenarios that import it from here.
export { waitFor };

/** 5 Ready nodes, 3 of them managers with one leader, each with its labels; asked of node2. */
export async function assertFullCluster(env: TestHosts, nodeIds: Record<string, string>): Promise<void> {
  const node2 = testHost(env, "node2");
  const rows = await waitFor("5 ready nodes", 90_000, async () => {
    const list = await nodeList(env, node2);
    return list.length === 5 && list.every((row) => row.Status === "Ready") ? list : undefined;
  });
  assert.deepEqual(rows.map((row) => row.Hostname), [...MANAGERS, ...WORKERS]);
  assert.deepEqual(rows.map((row) => row.ID), rows.map((row) => nodeIds[row.Hostname]));
  const managers = rows.filter((row) => row.ManagerStatus !== "");
  assert.deepEqual(managers.map((row) => row.Hostname), MANAGERS);
  assert.equal(managers.filter((row) => row.ManagerStatus === "Leader").length, 1);
  assert.ok(managers.every((row) => ["Leader", "Reachable"].includes(row.ManagerStatus)), JSON.stringify(managers));
  assert.ok(rows.every((row) => row.Availability === "Active"));
  for (const row of rows) assert.deepEqual(await nodeLabels(env, node2, row.ID), LABELS[row.Hostname], row.Hostname);
}

/** After the second version: node4 gone from the list and out of any swarm, node5 relabelled. */
export async function assertChangedCluster(env: TestHosts, nodeIds: Record<string, string>): Promise<void> {
  const node3 = testHost(env, "node3");
  const rows = await nodeList(env, node3);
  assert.deepEqual(rows.map((row) => row.Hostname), ["node1", "node2", "node3", "node5"]);
  assert.ok(rows.every((row) => row.Status === "Ready"), JSON.stringify(rows));
  assert.deepEqual(rows.filter((row) => row.ManagerStatus !== "").map((row) => row.Hostname), MANAGERS);
  assert.deepEqual(await nodeLabels(env, node3, nodeIds.node5), CHANGED_LABELS.node5);
  assert.deepEqual(await nodeLabels(env, node3, nodeIds.node1), LABELS.node1);
  assert.equal(await swarmState(env, testHost(env, REMOVED)), "inactive");
}

/** Compose override for the test: web replicas on the workers only (db stays on its labelled manager). */
export const WEB_ON_WORKERS = `services:
  web:
    deploy:
      placement:
        constraints:
          - node.role == worker
`;
