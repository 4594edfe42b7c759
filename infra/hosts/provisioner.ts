/**
 * A provisioner turns a description of machines into the host inventory the swarm
 * components consume: existing machines (local.ts) or machines it creates in a cloud
 * (hetzner.ts). Addresses and host keys may be outputs of the resources it creates.
 */
import type { Inventory } from "./inventory.ts";

export interface HostProvisioner {
  readonly inventory: Inventory;
}
