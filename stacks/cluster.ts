/**
 * A cluster stack: the hosts (an inventory of existing machines, or servers a provisioner
 * creates), bootstrapped into a swarm by SwarmCluster, whose docker provider then carries
 * the workloads.
 */
import * as pulumi from "@pulumi/pulumi";
import { SwarmCluster } from "../components/swarm-cluster.ts";
import { HetznerHosts } from "../infra/hosts/hetzner.ts";
import { toInventory, type Inventory } from "../infra/hosts/inventory.ts";
import type { HostProvisioner } from "../infra/hosts/provisioner.ts";
import type { ClusterSettings, EnvironmentTier } from "./config.ts";
import type { DeploymentTarget } from "./target.ts";

export interface ClusterShape {
  managers: number;
  workers: number;
}

/** How many managers and workers the configuration asks for. */
export function clusterShape(cluster: ClusterSettings): ClusterShape {
  const roles = cluster.inventory?.map((host) => host.role) ?? cluster.provisioner?.settings.servers.map((server) => server.role) ?? [];
  return { managers: roles.filter((role) => role === "manager").length, workers: roles.filter((role) => role === "worker").length };
}

export function clusterTarget(name: string, cluster: ClusterSettings, tier: EnvironmentTier, publicHost: string | undefined): DeploymentTarget {
  let hosts: Inventory | HostProvisioner;
  if (cluster.inventory !== undefined) {
    hosts = toInventory(cluster.inventory);
  } else if (cluster.provisioner !== undefined) {
    hosts = new HetznerHosts(`${name}-hosts`, { settings: cluster.provisioner.settings, hostKeySeed: pulumi.secret(cluster.provisioner.hostKeySeed) });
  } else {
    throw new Error("a cluster needs an inventory or a provisioner");
  }
  const swarm = new SwarmCluster(name, { hosts, allowEvenManagers: cluster.allowEvenManagers,
    allowMoreThanSevenManagers: cluster.allowMoreThanSevenManagers,
    production: tier === "prod" });
  if (swarm.provider === undefined) throw new Error(`swarm "${name}" has no docker provider for the workloads`);
  const inventory = "inventory" in hosts ? hosts.inventory : hosts;
  const firstManager = inventory.hosts.find((host) => host.role === "manager")!;
  return {
    provider: swarm.provider,
    dockerSshOptions: swarm.dockerSshOptions,
    publicHost: publicHost ?? firstManager.address,
    ...clusterShape(cluster),
  };
}
