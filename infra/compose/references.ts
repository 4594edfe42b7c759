/**
 * Consistency of the assembled model (compose-go `checkConsistency`, plus the references
 * `docker compose up` / `docker stack deploy` would only discover at deploy time):
 * every network, volume, secret and config a service uses is declared; every service a
 * service names (depends_on, links, volumes_from, network_mode/ipc/pid `service:x`)
 * exists and is enabled; depends_on has no self-reference and no cycle; and the few
 * cross-key rules compose enforces hold. All problems are reported, not just the first.
 */
import type { ComposeIssue, PathSegment } from "./errors.ts";
import type { Origins } from "./origins.ts";
import { noUncheckedEntries, type EntrySection } from "./schema/index.ts";
import { isTree, treeOrEmpty, type Tree } from "./tree.ts";

/**
 * Entries whose own definition failed validation, by section. Their names exist (a
 * reference to one is not reported as undefined) but nothing about them is checked, so
 * their first problem is not followed by made-up ones.
 */
export type UncheckedEntries = Readonly<Record<EntrySection, ReadonlySet<string>>>;

const NO_UNCHECKED_ENTRIES: UncheckedEntries = noUncheckedEntries();

export function checkReferences(model: Tree, disabled: Tree, origins: Origins, unchecked: UncheckedEntries = NO_UNCHECKED_ENTRIES): ComposeIssue[] {
  const issues: ComposeIssue[] = [];
  const report = (path: PathSegment[], message: string, locateBy?: PathSegment[]) => issues.push(origins.issue(path, message, locateBy));
  const withUnchecked = (section: keyof UncheckedEntries): Tree => {
    const known: Tree = { ...treeOrEmpty(model[section]) };
    for (const name of unchecked[section]) known[name] ??= {};
    return known;
  };
  const services = withUnchecked("services");
  const declared = {
    networks: withUnchecked("networks"),
    volumes: withUnchecked("volumes"),
    secrets: withUnchecked("secrets"),
    configs: withUnchecked("configs"),
  };

  const serviceRef = (path: PathSegment[], target: string, what: string) => {
    if (Object.prototype.hasOwnProperty.call(services, target)) return;
    if (Object.prototype.hasOwnProperty.call(disabled, target)) report(path, `${what} service "${target}", which is disabled ${profileNote(disabled[target])}`);
    else report(path, `${what} undefined service "${target}"`);
  };

  const containerNames = new Map<string, string>();
  for (const [name, value] of Object.entries(services)) {
    if (unchecked.services.has(name)) continue;
    const service = treeOrEmpty(value);
    const at = (...rest: PathSegment[]): PathSegment[] => ["services", name, ...rest];

    // A `provider:` service is run by a compose plugin, not from an image.
    if (service.image === undefined && service.build === undefined && service.provider === undefined) {
      report(at(), "has neither an image nor a build context");
    }
    const build = isTree(service.build) ? service.build : undefined;
    if (build && build.dockerfile !== undefined && build.dockerfile_inline !== undefined) {
      report(at("build", "dockerfile_inline"), "dockerfile and dockerfile_inline are mutually exclusive");
    }
    if (build && Array.isArray(build.platforms) && build.platforms.length > 0 && typeof service.platform === "string") {
      if (!build.platforms.includes(service.platform)) {
        report(at("build", "platforms"), `must include the service's platform "${service.platform}"`);
      }
    }

    const networks = treeOrEmpty(service.networks);
    if (service.network_mode !== undefined && Object.keys(networks).length > 0) {
      report(at("network_mode"), '"network_mode" and "networks" cannot be used together');
    }
    for (const network of Object.keys(networks)) {
      if (network !== "default" && !Object.prototype.hasOwnProperty.call(declared.networks, network)) {
        report(at("networks", network), `undefined network "${network}"`);
      }
    }

    for (const [dependency, config] of Object.entries(treeOrEmpty(service.depends_on))) {
      if (dependency === name) {
        report(at("depends_on", dependency), "a service cannot depend on itself");
        continue;
      }
      if (Object.prototype.hasOwnProperty.call(services, dependency)) continue;
      const required = !isTree(config) || config.required !== false;
      if (Object.prototype.hasOwnProperty.call(disabled, dependency)) {
        if (required) report(at("depends_on", dependency), `depends on service "${dependency}", which is disabled ${profileNote(disabled[dependency])}`);
      } else {
        report(at("depends_on", dependency), `depends on undefined service "${dependency}"`);
      }
    }

    for (const key of ["network_mode", "ipc", "pid"]) {
      const mode = service[key];
      if (typeof mode === "string" && mode.startsWith("service:")) {
        const target = mode.slice("service:".length);
        if (target === name) report(at(key), "a service cannot share its own namespace");
        else serviceRef(at(key), target, "refers to");
      }
    }
    if (Array.isArray(service.volumes_from)) {
      service.volumes_from.forEach((entry, index) => {
        if (typeof entry !== "string" || entry.startsWith("container:")) return;
        serviceRef(at("volumes_from", index), entry.split(":")[0], "mounts volumes from");
      });
    }
    if (Array.isArray(service.links)) {
      service.links.forEach((entry, index) => {
        if (typeof entry === "string") serviceRef(at("links", index), entry.split(":")[0], "links to");
      });
    }

    if (Array.isArray(service.volumes)) {
      service.volumes.forEach((mount, index) => {
        if (!isTree(mount) || mount.type !== "volume" || typeof mount.source !== "string" || mount.source === "") return;
        if (!Object.prototype.hasOwnProperty.call(declared.volumes, mount.source)) {
          report(at("volumes", index, "source"), `undefined volume "${mount.source}"`, at("volumes", mount.source, "source"));
        }
      });
    }
    const checkMounts = (list: unknown, section: "secrets" | "configs", path: PathSegment[]) => {
      if (!Array.isArray(list)) return;
      list.forEach((mount, index) => {
        const source = isTree(mount) ? mount.source : mount;
        if (typeof source === "string" && !Object.prototype.hasOwnProperty.call(declared[section], source)) {
          report([...path, index, "source"], `undefined ${section === "secrets" ? "secret" : "config"} "${source}"`, [...path, source, "source"]);
        }
      });
    };
    checkMounts(service.secrets, "secrets", at("secrets"));
    checkMounts(service.configs, "configs", at("configs"));
    if (build) checkMounts(build.secrets, "secrets", at("build", "secrets"));

    const deploy = isTree(service.deploy) ? service.deploy : undefined;
    const replicas = typeof deploy?.replicas === "number" ? deploy.replicas : undefined;
    if (typeof service.scale === "number" && replicas !== undefined && service.scale !== replicas) {
      report(at("scale"), `"scale" (${service.scale}) and "deploy.replicas" (${replicas}) disagree`);
    }
    const scale = typeof service.scale === "number" ? service.scale : replicas ?? 1;
    if (typeof service.container_name === "string") {
      if (scale > 1) {
        report(at("container_name"), `cannot be set when the service runs ${scale} replicas: container names must be unique`);
      }
      const owner = containerNames.get(service.container_name);
      if (owner !== undefined) report(at("container_name"), `container name "${service.container_name}" is already used by service "${owner}"`);
      else containerNames.set(service.container_name, name);
    }
  }

  for (const [name, secret] of Object.entries(declared.secrets)) {
    const entry = treeOrEmpty(secret);
    if (entry.external === true || unchecked.secrets.has(name)) continue;
    if (entry.file === undefined && entry.environment === undefined && entry.content === undefined) {
      report(["secrets", name], "must declare one of file, environment or content (or be external)");
    }
  }
  for (const [name, config] of Object.entries(declared.configs)) {
    const entry = treeOrEmpty(config);
    if (entry.external === true || unchecked.configs.has(name)) continue;
    if (entry.file === undefined && entry.environment === undefined && entry.content === undefined) {
      report(["configs", name], "must declare one of file, environment or content (or be external)");
    }
  }

  // An unchecked service's dependencies are unknown: cycles are looked for among the others.
  const checkedServices: Tree = {};
  for (const [name, value] of Object.entries(services)) if (!unchecked.services.has(name)) checkedServices[name] = value;
  issues.push(...findDependencyCycles(checkedServices, origins));
  return issues;
}

function profileNote(service: unknown): string {
  const profiles = isTree(service) && Array.isArray(service.profiles) ? service.profiles.map(String) : [];
  const quoted = profiles.map((profile) => `"${profile}"`).join(", ");
  return profiles.length === 1 ? `(its profile ${quoted} is not active)` : `(none of its profiles ${quoted} is active)`;
}

/** depends_on cycles among enabled services, each reported once at its first service. */
function findDependencyCycles(services: Tree, origins: Origins): ComposeIssue[] {
  const issues: ComposeIssue[] = [];
  const names = Object.keys(services).sort();
  const edges = (name: string) =>
    Object.keys(treeOrEmpty(treeOrEmpty(services[name]).depends_on))
      .filter((target) => target !== name && Object.prototype.hasOwnProperty.call(services, target))
      .sort();
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const seen = new Set<string>();

  const visit = (name: string) => {
    state.set(name, "visiting");
    stack.push(name);
    for (const target of edges(name)) {
      const status = state.get(target);
      if (status === "visiting") {
        const cycle = stack.slice(stack.indexOf(target));
        const key = [...cycle].sort().join("\u0000");
        if (!seen.has(key)) {
          seen.add(key);
          const next = cycle.length > 1 ? cycle[1] : name;
          issues.push(origins.issue(["services", target, "depends_on", next], `dependency cycle: ${[...cycle, target].join(" -> ")}`));
        }
      } else if (status === undefined) {
        visit(target);
      }
    }
    stack.pop();
    state.set(name, "done");
  };
  for (const name of names) if (!state.has(name)) visit(name);
  return issues;
}
