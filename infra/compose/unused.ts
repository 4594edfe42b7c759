/**
 * Top-level networks, volumes, secrets, configs and models that no enabled service uses
 * leave the model, as docker compose drops them (compose-go
 * `Project.WithoutUnnecessaryResources`, unless `--all-resources`): a profile that is
 * off takes its services' resources with it, and nothing unused is ever created.
 *
 * What counts as a use is compose's: a service network, a `type: volume` mount with a
 * source, a service or build secret, a service config, a service model.
 */
import { isTree, treeOrEmpty, type Tree } from "./tree.ts";

const SECTIONS = ["networks", "volumes", "secrets", "configs", "models"] as const;
type Section = (typeof SECTIONS)[number];

export function withoutUnusedResources(model: Tree): Tree {
  const used = usedResources(model);
  const out: Tree = { ...model };
  for (const section of SECTIONS) {
    if (!isTree(model[section])) continue;
    const kept: Tree = {};
    for (const [key, value] of Object.entries(model[section] as Tree)) if (used[section].has(key)) kept[key] = value;
    if (Object.keys(kept).length > 0) out[section] = kept;
    else delete out[section];
  }
  return out;
}

function usedResources(model: Tree): Record<Section, Set<string>> {
  const used: Record<Section, Set<string>> = { networks: new Set(), volumes: new Set(), secrets: new Set(), configs: new Set(), models: new Set() };
  const addSources = (section: Section, refs: unknown) => {
    if (!Array.isArray(refs)) return;
    for (const ref of refs) if (isTree(ref) && typeof ref.source === "string") used[section].add(ref.source);
  };
  for (const value of Object.values(treeOrEmpty(model.services))) {
    const service = treeOrEmpty(value);
    for (const key of Object.keys(treeOrEmpty(service.networks))) used.networks.add(key);
    for (const mount of Array.isArray(service.volumes) ? service.volumes : []) {
      if (isTree(mount) && mount.type === "volume" && typeof mount.source === "string" && mount.source !== "") used.volumes.add(mount.source);
    }
    addSources("secrets", service.secrets);
    addSources("secrets", treeOrEmpty(service.build).secrets);
    addSources("configs", service.configs);
    for (const key of Object.keys(treeOrEmpty(service.models))) used.models.add(key);
  }
  return used;
}
