/**
 * Machines that already exist (servers, VMs made elsewhere, the test hosts of
 * test/harness): the inventory is written down, checked, and passed on as is.
 */
import { createHmac } from "node:crypto";
import { HostConfigError, type ValueOrigin } from "./issues.ts";
import { inventorySpecFromConfig, type InventoryConfigOptions } from "./inventory-config.ts";
import { parseInventory, toInventory, type HostSpec, type Inventory } from "./inventory.ts";
import type { HostProvisioner } from "./provisioner.ts";

export class ExistingHosts implements HostProvisioner {
  readonly hosts: readonly HostSpec[];
  readonly inventory: Inventory;

  constructor(hosts: readonly HostSpec[]) {
    this.hosts = hosts;
    this.inventory = toInventory(hosts);
  }

  /** Checks `document` (an inventory: `{ defaults?, hosts: [...] }`); throws HostConfigError. */
  static parse(document: unknown, origin: ValueOrigin): ExistingHosts {
    return new ExistingHosts(parseInventory(document, origin));
  }

  /** The inventory in stack config (key `inventory` by default). */
  static fromConfig(options: InventoryConfigOptions = {}): ExistingHosts {
    return new ExistingHosts(inventorySpecFromConfig(options));
  }
}

export { HostConfigError };

function hostPatterns(address: string, port: number): string[] {
  return port === 22 ? [address, `[${address}]:22`] : [`[${address}]:${port}`];
}

function matchesHashed(entry: string, candidates: readonly string[]): boolean {
  const [, , salt, hash] = entry.split("|");
  if (!salt || !hash) return false;
  const key = Buffer.from(salt, "base64");
  return candidates.some((candidate) => createHmac("sha1", key).update(candidate).digest("base64") === hash);
}

/**
 * The public keys a known_hosts file lists for a host (plain or hashed entries), as
 * `type base64` for an inventory's hostKeys. Revoked (`@revoked`) and CA entries are
 * not keys of the host and are skipped.
 */
export function hostKeysFromKnownHosts(text: string, address: string, port = 22): string[] {
  const candidates = hostPatterns(address, port);
  const keys: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith("@")) continue;
    const [hosts, type, blob] = line.split(/\s+/);
    if (!hosts || !type || !blob) continue;
    const matches = hosts.startsWith("|1|")
      ? matchesHashed(hosts, candidates)
      : hosts.split(",").some((pattern) => candidates.includes(pattern));
    if (matches && !keys.includes(`${type} ${blob}`)) keys.push(`${type} ${blob}`);
  }
  return keys;
}
