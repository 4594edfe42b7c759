// Bootstraps a swarm on test hosts with the product's bootstrap scripts, in the order a
// SwarmCluster applies them: install Docker everywhere, init the first manager, read the
// tokens, join the other managers one at a time, join the workers, then configure every
// node (labels, availability, role). Running it again must change nothing.
import type { BootstrapResults } from "../../infra/hosts/bootstrap/index.ts";
import { runBootstrap } from "./bootstrap.ts";
import type { TestHost, TestHosts } from "./hosts.ts";

export interface SwarmPlan {
  managers: TestHost[];
  workers: TestHost[];
  /** Node labels by host name; hosts not listed get no labels. */
  labels?: Record<string, Record<string, string>>;
}

export interface SwarmBootstrap {
  install: Record<string, BootstrapResults["install-docker"]>;
  init: BootstrapResults["swarm-init"];
  tokens: BootstrapResults["swarm-join-tokens"];
  joins: Record<string, BootstrapResults["swarm-join"]>;
  configs: Record<string, BootstrapResults["swarm-node-config"]>;
  /** Node id by host name. */
  nodeIds: Record<string, string>;
  /** Everything the scripts logged, to check that no secret leaked into it. */
  log: string;
}

export function labelLines(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join("\n");
}

export async function bootstrapSwarm(env: TestHosts, plan: SwarmPlan): Promise<SwarmBootstrap> {
  const [first, ...otherManagers] = plan.managers;
  if (!first) throw new Error("a swarm needs at least one manager");
  const all = [...plan.managers, ...plan.workers];
  const logs: string[] = [];

  const install: SwarmBootstrap["install"] = {};
  await Promise.all(
    all.map(async (host) => {
      const run = await runBootstrap(env, host, "install-docker", {});
      install[host.name] = run.result;
      logs.push(run.log);
    }),
  );

  const init = await runBootstrap(env, first, "swarm-init", { SWARM_ADVERTISE_ADDR: first.address });
  logs.push(init.log);
  const tokens = await runBootstrap(env, first, "swarm-join-tokens", {});
  logs.push(tokens.log);
  const managerAddrs = tokens.result.managerAddrs.join(",");

  const joins: SwarmBootstrap["joins"] = {};
  const join = async (host: TestHost, token: string) => {
    const run = await runBootstrap(env, host, "swarm-join", {
      SWARM_JOIN_TOKEN: token,
      SWARM_MANAGER_ADDRS: managerAddrs,
      SWARM_ADVERTISE_ADDR: host.address,
      SWARM_CLUSTER_ID: init.result.clusterId,
    });
    joins[host.name] = run.result;
    logs.push(run.log);
  };
  // Raft admits one new manager at a time; workers can join together.
  for (const host of otherManagers) await join(host, tokens.result.managerToken);
  await Promise.all(plan.workers.map((host) => join(host, tokens.result.workerToken)));

  const nodeIds: Record<string, string> = { [first.name]: init.result.nodeId };
  for (const [name, result] of Object.entries(joins)) nodeIds[name] = result.nodeId;

  const configs: SwarmBootstrap["configs"] = {};
  for (const host of all) {
    const run = await runBootstrap(env, first, "swarm-node-config", {
      SWARM_NODE: nodeIds[host.name],
      SWARM_NODE_LABELS: labelLines(plan.labels?.[host.name]),
      SWARM_NODE_ROLE: plan.managers.includes(host) ? "manager" : "worker",
      SWARM_NODE_AVAILABILITY: "active",
    });
    configs[host.name] = run.result;
    logs.push(run.log);
  }

  return { install, init: init.result, tokens: tokens.result, joins, configs, nodeIds, log: logs.join("\n") };
}
