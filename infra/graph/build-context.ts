/**
 * A content hash of an image build context: every file's path, mode and bytes, plus a
 * Dockerfile kept outside the context. The provider does not watch the context, so this
 * hash tells it when to rebuild. Paths excluded by a simple `.dockerignore` (one pattern
 * per line, `*` within a path segment, `**` across segments, `!` to re-include) do not count.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

function patternToRegExp(pattern: string): RegExp {
  const clean = pattern.replace(/^\/+|\/+$/g, "");
  let out = "";
  for (let i = 0; i < clean.length; i++) {
    const ch = clean[i];
    if (ch === "*" && clean[i + 1] === "*") {
      out += ".*";
      i++;
    } else if (ch === "*") out += "[^/]*";
    else if (ch === "?") out += "[^/]";
    else out += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}(/.*)?$`);
}

function ignoreRules(context: string): { pattern: RegExp; include: boolean }[] {
  const file = path.join(context, ".dockerignore");
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => (line.startsWith("!") ? { pattern: patternToRegExp(line.slice(1)), include: true } : { pattern: patternToRegExp(line), include: false }));
}

function ignored(relative: string, rules: { pattern: RegExp; include: boolean }[]): boolean {
  let result = false;
  for (const rule of rules) if (rule.pattern.test(relative)) result = !rule.include;
  return result;
}

export class BuildContextError extends Error {}

export function hashBuildContext(context: string, dockerfile?: string): string {
  if (!fs.existsSync(context) || !fs.statSync(context).isDirectory()) {
    throw new BuildContextError(`build context "${context}" is not a directory`);
  }
  const rules = ignoreRules(context);
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(context, full).split(path.sep).join("/");
      if (ignored(relative, rules)) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        hash.update(`${relative}\0${fs.statSync(full).mode & 0o777}\0`);
        hash.update(fs.readFileSync(full));
        hash.update("\0");
      } else if (entry.isSymbolicLink()) hash.update(`${relative}\0->${fs.readlinkSync(full)}\0`);
    }
  };
  walk(context);
  if (dockerfile !== undefined) {
    const outside = path.resolve(context, dockerfile);
    if (path.relative(context, outside).startsWith("..") && fs.existsSync(outside)) {
      hash.update(`dockerfile:${outside}\0`);
      hash.update(fs.readFileSync(outside));
    }
  }
  return hash.digest("hex").slice(0, 16);
}
