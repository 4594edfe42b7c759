/**
 * Where each resource of the assembled model was written, so that stages running after
 * merge (profiles, references, normalize) can still report `FILE:LINE:COL`.
 *
 * After extends, include and merge, one service may have been written in several files,
 * and the model is in long syntax while the files may use short syntax. An issue's
 * position is therefore found by walking each contributing file's raw data along the
 * issue's path, matching short-syntax list items by name, and keeping the deepest match.
 */
import { formatPath, type ComposeIssue, type PathSegment } from "./errors.ts";
import type { SourceFile } from "./source.ts";
import { isTree } from "./tree.ts";

interface Contribution {
  source: SourceFile;
  /** Where this resource sits in that file's raw data (a file may hold it under another name via extends). */
  at: PathSegment[];
}

export class Origins {
  private readonly byResource = new Map<string, Contribution[]>();
  private readonly files: SourceFile[] = [];

  /** Records that `source` wrote the resource `section.name` (at `at`, by default the same path). */
  add(section: string, name: string, source: SourceFile, at: PathSegment[] = [section, name]): void {
    const key = resourceKey(section, name);
    const list = this.byResource.get(key) ?? [];
    if (!list.some((entry) => entry.source === source && samePath(entry.at, at))) list.push({ source, at });
    this.byResource.set(key, list);
    if (!this.files.includes(source)) this.files.push(source);
  }

  /** Records every resource present in a file's model, as written in that file. */
  addFile(source: SourceFile, model: unknown): void {
    if (!this.files.includes(source)) this.files.push(source);
    if (!isTree(model)) return;
    for (const section of ["services", "networks", "volumes", "secrets", "configs"]) {
      const entries = model[section];
      if (!isTree(entries)) continue;
      for (const name of Object.keys(entries)) this.add(section, name, source);
    }
  }

  /** Copies the contributions of one resource to another (a service that extends another). */
  inherit(section: string, name: string, from: Origins, fromSection: string, fromName: string): void {
    for (const entry of from.byResource.get(resourceKey(fromSection, fromName)) ?? []) {
      this.add(section, name, entry.source, entry.at);
    }
  }

  merge(other: Origins): void {
    for (const [key, list] of other.byResource) {
      const [section, name] = splitKey(key);
      for (const entry of list) this.add(section, name, entry.source, entry.at);
    }
    for (const file of other.files) if (!this.files.includes(file)) this.files.push(file);
  }

  /** The first file loaded; issues about the project as a whole point there. */
  primary(): SourceFile | undefined {
    return this.files[0];
  }

  /**
   * A positioned issue for `path` in the assembled model. `locateBy` may name list items
   * by content instead of index (merging and range expansion renumber lists).
   */
  issue(path: readonly PathSegment[], message: string, locateBy: readonly PathSegment[] = path): ComposeIssue {
    const located = this.locate(locateBy);
    const issue: ComposeIssue = { file: located?.file ?? this.primary()?.file ?? "", path: formatPath(path), message };
    if (located?.line !== undefined) {
      issue.line = located.line;
      issue.col = located.col;
    }
    return issue;
  }

  private locate(path: readonly PathSegment[]): { file: string; line?: number; col?: number } | undefined {
    const [section, name, ...rest] = path;
    const contributions =
      typeof section === "string" && typeof name === "string"
        ? this.byResource.get(resourceKey(section, name)) ?? []
        : [];
    let best: { source: SourceFile; raw: PathSegment[]; depth: number } | undefined;
    for (const { source, at } of contributions) {
      const walked = walkRaw(source.data, [...at, ...rest]);
      const depth = walked.depth - at.length;
      if (walked.depth < at.length) continue;
      // Later files override earlier ones, so on equal depth the later contribution wins.
      if (best === undefined || depth >= best.depth) best = { source, raw: walked.raw, depth };
    }
    if (best === undefined) {
      const fallback = contributions[contributions.length - 1]?.source ?? this.primary();
      if (fallback === undefined) return undefined;
      const walked = walkRaw(fallback.data, path);
      const position = fallback.locate(walked.raw);
      return { file: fallback.file, ...position };
    }
    const position = best.source.locate(best.raw);
    return { file: best.source.file, ...position };
  }
}

/**
 * Follows `path` through raw parsed data as far as it exists. A name segment applied to
 * a list selects the item that names it (`- db`, `- "db:alias"`, `- source: db`), which
 * is how short syntax spells what the model keys by name.
 */
export function walkRaw(data: unknown, path: readonly PathSegment[]): { raw: PathSegment[]; depth: number } {
  const raw: PathSegment[] = [];
  let node = data;
  for (const segment of path) {
    if (Array.isArray(node)) {
      const index = typeof segment === "number" ? segment : findNamedItem(node, segment);
      if (index < 0 || index >= node.length) break;
      raw.push(index);
      node = node[index];
    } else if (isTree(node) && typeof segment === "string" && Object.prototype.hasOwnProperty.call(node, segment)) {
      raw.push(segment);
      node = node[segment];
    } else {
      break;
    }
  }
  return { raw, depth: raw.length };
}

function findNamedItem(items: readonly unknown[], name: string): number {
  return items.findIndex((item) => {
    if (typeof item === "string") return item === name || item.split(/[:=]/)[0] === name;
    if (isTree(item)) return item.source === name || item.target === name || item.name === name || item.path === name;
    return false;
  });
}

function resourceKey(section: string, name: string): string {
  return `${section}\u0000${name}`;
}

function splitKey(key: string): [string, string] {
  const at = key.indexOf("\u0000");
  return [key.slice(0, at), key.slice(at + 1)];
}

function samePath(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}
