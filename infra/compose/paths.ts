/**
 * Relative paths in a compose model made absolute, as compose-go's `ResolveRelativePaths`
 * does: build contexts (not remote ones), additional contexts, SSH keys, env_file and
 * label_file paths, bind-mount sources, extends files, develop.watch paths, secret and
 * config files, and the device of a local volume bound to a host directory. `~` stands
 * for the home directory.
 *
 * The base directory is chosen by the caller: the project directory for the `-f` files
 * (all of them, as with `docker compose`), the extended file's directory for
 * `extends.file`, an include's project_directory.
 */
import path from "node:path";
import { isTree, type Tree } from "./tree.ts";

export interface PathContext {
  /** Absolute directory relative paths are resolved against. */
  baseDir: string;
  /** Absolute home directory, for `~`. */
  homeDir: string;
  /**
   * Fill a missing build context with the base directory. True for a whole project (the
   * `-f` files, an include); false for a service read from an `extends.file`, whose
   * context is filled later by the project that extends it, as compose-go does.
   */
  fillBuildContext: boolean;
}

const REMOTE_CONTEXT_PREFIXES = ["https://", "http://", "git://", "ssh://", "github.com/", "git@"];

/** A build context the builder fetches itself (`https://…`, `git@…`, `docker-image://…`, `service:…`). */
export function isRemoteContext(value: string): boolean {
  return value.includes("://") || value.startsWith("service:") || REMOTE_CONTEXT_PREFIXES.some((prefix) => value.startsWith(prefix));
}

/** `~` expanded, then made absolute against the base directory; absolute paths are kept as written. */
export function resolvePath(value: string, context: PathContext): string {
  // Like Go's filepath.Join, the result is cleaned ("./" and trailing slashes go).
  if (value === "~" || value.startsWith("~/")) return path.resolve(context.homeDir, `.${value.slice(1)}`);
  if (path.isAbsolute(value) || value === "") return value;
  return path.resolve(context.baseDir, value);
}

/**
 * A path on the engine's host (a bind source, a secret or config file, a bound volume's
 * device, an SSH key), compose-go's `maybeUnixPath`: a Windows absolute path (`C:\data`,
 * `\\server\share`) is kept too, since the client and the engine may run different systems,
 * and an empty path means the base directory itself.
 */
export function resolveHostPath(value: string, context: PathContext): string {
  if (isWindowsAbsolute(value)) return value;
  if (value === "") return context.baseDir;
  return resolvePath(value, context);
}

function isWindowsAbsolute(value: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(value) || /^[\\/]{2}[^\\/]/.test(value);
}

/** A copy of `model` with every relative path made absolute. */
export function resolveModelPaths(model: Tree, context: PathContext): Tree {
  const resolved: Tree = { ...model };
  if (isTree(model.services)) {
    const services: Tree = {};
    for (const [name, service] of Object.entries(model.services)) {
      services[name] = isTree(service) ? resolveServicePaths(service, context) : service;
    }
    resolved.services = services;
  }
  for (const section of ["secrets", "configs"]) {
    const entries = model[section];
    if (!isTree(entries)) continue;
    const copy: Tree = {};
    for (const [name, entry] of Object.entries(entries)) {
      copy[name] = isTree(entry) && typeof entry.file === "string" ? { ...entry, file: resolveHostPath(entry.file, context) } : entry;
    }
    resolved[section] = copy;
  }
  if (isTree(model.volumes)) {
    const copy: Tree = {};
    for (const [name, volume] of Object.entries(model.volumes)) copy[name] = resolveBoundVolume(volume, context);
    resolved.volumes = copy;
  }
  return resolved;
}

export function resolveServicePaths(service: Tree, context: PathContext): Tree {
  const out: Tree = { ...service };
  if (isTree(service.build)) out.build = resolveBuildPaths(service.build, context);
  if (Array.isArray(service.env_file)) {
    out.env_file = service.env_file.map((entry) =>
      isTree(entry) && typeof entry.path === "string" ? { ...entry, path: resolvePath(entry.path, context) } : entry,
    );
  }
  if (Array.isArray(service.label_file)) {
    out.label_file = service.label_file.map((entry) => (typeof entry === "string" ? resolvePath(entry, context) : entry));
  }
  if (Array.isArray(service.volumes)) {
    out.volumes = service.volumes.map((mount) =>
      isTree(mount) && mount.type === "bind" && typeof mount.source === "string"
        ? { ...mount, source: resolveHostPath(mount.source, context) }
        : mount,
    );
  }
  if (isTree(service.develop) && Array.isArray(service.develop.watch)) {
    out.develop = {
      ...service.develop,
      watch: service.develop.watch.map((rule) =>
        isTree(rule) && typeof rule.path === "string" ? { ...rule, path: resolvePath(rule.path, context) } : rule,
      ),
    };
  }
  if (isTree(service.extends) && typeof service.extends.file === "string" && !service.extends.file.includes("://")) {
    out.extends = { ...service.extends, file: resolvePath(service.extends.file, context) };
  }
  return out;
}

/**
 * A build section without a context builds the project directory, so the context is
 * filled here, where that directory is known (an included project has its own).
 */
function resolveBuildPaths(build: Tree, context: PathContext): Tree {
  const out: Tree = { ...build };
  if (build.context === undefined || build.context === null) {
    if (context.fillBuildContext) out.context = context.baseDir;
  }
  else if (typeof build.context === "string" && !isRemoteContext(build.context)) {
    out.context = resolvePath(build.context, context);
  }
  if (isTree(build.ssh)) {
    const keys: Tree = {};
    for (const [id, key] of Object.entries(build.ssh)) keys[id] = typeof key === "string" ? resolveHostPath(key, context) : key;
    out.ssh = keys;
  }
  if (isTree(build.additional_contexts)) {
    const contexts: Tree = {};
    for (const [name, value] of Object.entries(build.additional_contexts)) {
      contexts[name] = typeof value === "string" && !isRemoteContext(value) ? resolvePath(value, context) : value;
    }
    out.additional_contexts = contexts;
  }
  return out;
}

/**
 * A volume with `driver: local` and `o: bind` mounts a host directory: its `device` is a
 * path. As in compose-go, only a driver named `local` counts (not an absent one).
 */
function resolveBoundVolume(volume: unknown, context: PathContext): unknown {
  if (!isTree(volume) || !isTree(volume.driver_opts)) return volume;
  const options = volume.driver_opts;
  if (volume.driver !== "local" || options.o !== "bind" || typeof options.device !== "string") return volume;
  return { ...volume, driver_opts: { ...options, device: resolveHostPath(options.device, context) } };
}
