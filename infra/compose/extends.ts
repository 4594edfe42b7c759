/**
 * `extends`: a service starts from another service, of the same file or of another
 * file, and its own keys are merged over it with the file merge rules (compose-go
 * `ApplyExtends` + `override.ExtendService`). Chains are followed recursively; a chain
 * that comes back to a service already on it is an error.
 *
 * A service read from another file keeps the paths of that file: the caller's
 * `readFile` resolves them against the other file's directory before they are merged.
 */
import { formatPath, type ComposeIssue, type PathSegment } from "./errors.ts";
import { mergeServices, type MergeDirectives } from "./merge.ts";
import type { Origins } from "./origins.ts";
import type { SourceFile } from "./source.ts";
import { deepClone, deleteAt, isTree, treeOrEmpty, type Tree } from "./tree.ts";

export interface ExtendsFile {
  /** Absolute path; identifies the file in chains. */
  path: string;
  source: SourceFile;
  /** The validated model. */
  model: Tree;
  /** Makes a relative `extends.file` absolute (against the directory this file's paths resolve against). */
  resolvePath(file: string): string;
  directives?: MergeDirectives;
  /**
   * Problems of one service of this file. compose-go does not validate a file read for
   * `extends` as a whole, only what is taken from it, so these are reported only for the
   * services another service extends.
   */
  issuesFor?(service: string): ComposeIssue[];
}

/**
 * Reads a file named by `extends.file`: `error` when it cannot be read at all (reported
 * at `extends.file`), `issues` for problems positioned inside it.
 */
export type ReadExtendsFile = (absolutePath: string) => { file?: ExtendsFile; error?: string; issues: ComposeIssue[] };

interface Link {
  file: ExtendsFile;
  service: string;
}

interface Contribution {
  source: SourceFile;
  at: PathSegment[];
}

/** Resolves every `extends` of `file`'s services; the result has no `extends` left. */
export function applyExtends(
  file: ExtendsFile,
  readFile: ReadExtendsFile,
  origins: Origins,
): { model: Tree; issues: ComposeIssue[] } {
  const issues: ComposeIssue[] = [];
  const services = treeOrEmpty(file.model.services);
  if (!Object.values(services).some((service) => isTree(service) && service.extends !== undefined)) {
    return { model: file.model, issues };
  }
  const resolver = new ExtendsResolver(readFile, issues);
  const resolvedServices: Tree = {};
  for (const name of Object.keys(services)) {
    const resolved = resolver.resolve(file, name, []);
    resolvedServices[name] = resolved?.service ?? services[name];
    for (const { source, at } of resolved?.contributions ?? []) origins.add("services", name, source, at);
  }
  return { model: { ...file.model, services: resolvedServices }, issues };
}

class ExtendsResolver {
  private readonly done = new Map<string, { service: unknown; contributions: Contribution[] }>();
  private readonly files = new Map<string, { file?: ExtendsFile; error?: string }>();

  private readonly readFile: ReadExtendsFile;
  private readonly issues: ComposeIssue[];

  constructor(
    readFile: ReadExtendsFile,
    issues: ComposeIssue[],
  ) {
    this.readFile = readFile;
    this.issues = issues;
  }

  resolve(file: ExtendsFile, name: string, chain: readonly Link[]): { service: unknown; contributions: Contribution[] } | undefined {
    const key = `${file.path}\u0000${name}`;
    const cached = this.done.get(key);
    if (cached) return cached;

    const services = treeOrEmpty(file.model.services);
    const service = services[name];
    const own: Contribution = { source: file.source, at: ["services", name] };
    if (!isTree(service) || !isTree(service.extends)) {
      const result = { service, contributions: [own] };
      this.done.set(key, result);
      return result;
    }

    const here: Link = { file, service: name };
    const at = chain.findIndex((link) => link.file.path === file.path && link.service === name);
    if (at >= 0) {
      const cycle = chain.slice(at);
      const start = cycle[0];
      this.report(start.file, ["services", start.service, "extends"], `circular extends: ${describeChain([...cycle, here], start.file)}`);
      for (const link of cycle) {
        const linked = treeOrEmpty(link.file.model.services)[link.service];
        this.remember(`${link.file.path}\u0000${link.service}`, isTree(linked) ? withoutExtends(linked) : linked, [
          { source: link.file.source, at: ["services", link.service] },
        ]);
      }
      return undefined;
    }

    const target = service.extends;
    const ref = typeof target.service === "string" ? target.service : "";
    let baseFile = file;
    if (typeof target.file === "string") {
      const loaded = this.load(file.resolvePath(target.file), file, name);
      if (!loaded) return this.remember(key, withoutExtends(service), [own]);
      baseFile = loaded;
    }
    const baseServices = treeOrEmpty(baseFile.model.services);
    const baseIssues = baseFile.issuesFor?.(ref) ?? [];
    if (baseIssues.length > 0) {
      for (const issue of baseIssues) this.add(issue);
      return this.remember(key, withoutExtends(service), [own]);
    }
    if (!Object.prototype.hasOwnProperty.call(baseServices, ref)) {
      const where = baseFile === file ? "" : ` in ${baseFile.source.file}`;
      this.report(file, ["services", name, "extends", "service"], `cannot extend service "${name}": service "${ref}" not found${where}`);
      return this.remember(key, withoutExtends(service), [own]);
    }

    const base = this.resolve(baseFile, ref, [...chain, here]);
    if (!base) return this.remember(key, withoutExtends(service), [own]);

    const baseService = deepClone(treeOrEmpty(base.service));
    const override = withoutExtends(service);
    for (const path of file.directives?.reset ?? []) {
      if (path[0] === "services" && path[1] === name && path.length > 2) {
        deleteAt(baseService, path.slice(2));
        deleteAt(override, path.slice(2));
      }
    }
    for (const path of file.directives?.override ?? []) {
      if (path[0] === "services" && path[1] === name && path.length > 2) deleteAt(baseService, path.slice(2));
    }
    const merged = mergeServices(baseService, override);
    return this.remember(key, merged, [...base.contributions, own]);
  }

  private remember(key: string, service: unknown, contributions: Contribution[]) {
    const result = { service, contributions };
    this.done.set(key, result);
    return result;
  }

  private load(path: string, from: ExtendsFile, name: string): ExtendsFile | undefined {
    let read = this.files.get(path);
    if (!read) {
      const { file, error, issues } = this.readFile(path);
      read = { file, error };
      this.files.set(path, read);
      for (const issue of issues) this.add(issue);
    }
    if (read.error !== undefined) this.report(from, ["services", name, "extends", "file"], `cannot extend service "${name}": ${read.error}`);
    return read.file;
  }

  private add(issue: ComposeIssue): void {
    if (!this.issues.some((existing) => existing.file === issue.file && existing.line === issue.line && existing.col === issue.col && existing.message === issue.message)) {
      this.issues.push(issue);
    }
  }

  private report(file: ExtendsFile, path: PathSegment[], message: string): void {
    const position = file.source.locate(path);
    const issue: ComposeIssue = { file: file.source.file, path: formatPath(path), message };
    if (position) {
      issue.line = position.line;
      issue.col = position.col;
    }
    this.add(issue);
  }
}

function withoutExtends(service: Tree): Tree {
  const copy = deepClone(service);
  delete copy.extends;
  return copy;
}

function describeChain(links: readonly Link[], start: ExtendsFile): string {
  return links
    .map((link) => (link.file.path === start.path ? link.service : `${link.service} (${link.file.source.file})`))
    .join(" -> ");
}

