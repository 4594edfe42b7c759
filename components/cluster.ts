/**
 * The package's cluster entry (`compose-pulumi/cluster`): the swarm components and the
 * hosts they are made of, either machines that exist (an inventory) or servers a
 * provisioner creates.
 */
export * from "./swarm-cluster.ts";
export * from "./swarm-node.ts";
export { ExistingHosts, hostKeysFromKnownHosts } from "../infra/hosts/local.ts";
export { HetznerHosts, parseHetznerSettings, type HetznerHostsArgs, type HetznerSettings, type HetznerSettingsInput } from "../infra/hosts/hetzner.ts";
export {
  parseInventory,
  toInventory,
  SWARM_ROLES,
  NODE_AVAILABILITIES,
  type HostKeyPolicy,
  type HostSpec,
  type Inventory,
  type InventoryDocument,
  type InventoryHost,
  type NodeAvailability,
  type SshAuth,
  type SwarmRole,
} from "../infra/hosts/inventory.ts";
export { inventoryFromConfig, type InventoryConfigOptions } from "../infra/hosts/inventory-config.ts";
export type { HostProvisioner } from "../infra/hosts/provisioner.ts";
export { HostConfigError, type HostIssue, type ValueOrigin } from "../infra/hosts/issues.ts";
