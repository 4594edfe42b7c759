/**
 * The host inventory from Pulumi stack config, e.g. in Pulumi.prod.yaml:
 *
 *   config:
 *     myproject:inventory:
 *       defaults: { user: root, privateKeyPath: ~/.ssh/id_ed25519 }
 *       hosts:
 *         - { name: node-1, address: 203.0.113.10, role: manager, hostKeys: ["ssh-ed25519 AAAA..."] }
 *
 * Problems are reported against the stack file, with line and column when it can be read.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import type { PathSegment, Position, ValueOrigin } from "./issues.ts";
import { parseInventory, toInventory, type HostSpec, type Inventory } from "./inventory.ts";

export const DEFAULT_INVENTORY_KEY = "inventory";

export interface InventoryConfigOptions {
  /** Config key (in the project's namespace unless it contains ':'); default `inventory`. */
  key?: string;
  /** Directory holding Pulumi.<stack>.yaml, for positions in messages; default the working directory. */
  projectDir?: string;
}

/** Where a path inside a config value sits in the stack's YAML file, if it can be read. */
export function stackFileLocator(
  stackFile: string,
  configKey: string,
): ((path: readonly PathSegment[], at?: "key" | "value") => Position | undefined) | undefined {
  if (!existsSync(stackFile)) return undefined;
  const lineCounter = new LineCounter();
  const document = parseDocument(readFileSync(stackFile, "utf8"), { lineCounter, keepSourceTokens: false });
  if (document.errors.length > 0) return undefined;
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  return (path, at = "value") => {
    if (at === "key" && path.length > 0) {
      const parent = document.getIn(["config", configKey, ...path.slice(0, -1)], true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(path[path.length - 1]));
        if (pair && isScalar(pair.key) && pair.key.range) return position(pair.key.range[0]);
      }
    }
    // The deepest node that exists along the path: a missing key is reported at its parent.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(["config", configKey, ...path.slice(0, depth)], true) as YamlNode | undefined;
      if (node && typeof node === "object" && "range" in node && node.range) {
        return position(node.range[0]);
      }
    }
    return undefined;
  };
}

/** Reads and checks the inventory in stack config; throws HostConfigError listing every problem. */
export function inventorySpecFromConfig(options: InventoryConfigOptions = {}): HostSpec[] {
  const key = options.key ?? DEFAULT_INVENTORY_KEY;
  const [namespace, name] = key.includes(":") ? key.split(":", 2) : [pulumi.getProject(), key];
  const config = new pulumi.Config(namespace);
  const fullKey = `${namespace}:${name}`;
  const stackFileName = `Pulumi.${pulumi.getStack()}.yaml`;
  const origin: ValueOrigin = {
    file: stackFileName,
    root: fullKey,
    locate: stackFileLocator(join(options.projectDir ?? process.cwd(), stackFileName), fullKey),
  };
  return parseInventory(config.getObject<unknown>(name), origin);
}

export function inventoryFromConfig(options: InventoryConfigOptions = {}): Inventory {
  return toInventory(inventorySpecFromConfig(options));
}
