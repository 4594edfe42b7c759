/**
 * `include`: other compose projects imported into a file (compose-go `ApplyInclude`).
 *
 * Each entry names one or more files (the first one is the included project's main
 * file, the others override it), an optional project directory (default: the first
 * file's directory) and optional env files (default: `.env` in that directory). Relative
 * entries resolve against the including project's directory. The included project is
 * loaded on its own (its paths resolve against its project directory, it may include
 * further projects), then its services, networks, volumes, secrets and configs are added
 * to the including file. Declaring a resource that an include also declares is an error
 * unless both definitions are identical; a file that includes itself, directly or not,
 * is an error.
 */
import path from "node:path";
import { formatPath, type ComposeIssue, type PathSegment } from "./errors.ts";
import { sameDefinition } from "./merge.ts";
import { Origins } from "./origins.ts";
import type { SourceFile } from "./source.ts";
import { isTree, RESOURCE_SECTIONS, type Tree } from "./tree.ts";

export interface IncludeRequest {
  /** Absolute paths: the included project's main file first, then its overrides. */
  files: string[];
  /** Absolute project directory of the included project. */
  projectDirectory: string;
  /** Absolute env files given by the entry; undefined means "the project directory's `.env`, if any". */
  envFiles?: string[];
  /** Absolute paths of the files whose includes led here, outermost first. */
  chain: string[];
}

export interface IncludedProject {
  model?: Tree;
  origins?: Origins;
  issues: ComposeIssue[];
}

export type LoadIncluded = (request: IncludeRequest) => IncludedProject;

export interface IncludingFile {
  /** Absolute path of the including file. */
  path: string;
  source: SourceFile;
  model: Tree;
  /** Absolute directory the including project's relative paths resolve against. */
  workingDir: string;
  /** Absolute paths of the files whose includes led to this one, outermost first. */
  chain: string[];
}

/** Imports every included project into `file.model`; the result has no `include` left. */
export function applyInclude(
  file: IncludingFile,
  loadIncluded: LoadIncluded,
  origins: Origins,
): { model: Tree; issues: ComposeIssue[] } {
  const entries = file.model.include;
  const model: Tree = { ...file.model };
  delete model.include;
  const issues: ComposeIssue[] = [];
  if (!Array.isArray(entries)) return { model, issues };

  const chain = [...file.chain, file.path];
  entries.forEach((entry, index) => {
    const request = toRequest(entry, file.workingDir, chain);
    if (!request) return;
    const main = request.files[0];
    if (chain.includes(main)) {
      const cycle = [...chain.slice(chain.indexOf(main)), main].map(displayPath).join(" -> ");
      issues.push(issueAt(file.source, ["include", index], `include cycle detected: ${cycle}`));
      return;
    }
    const included = loadIncluded(request);
    issues.push(...included.issues);
    if (!included.model) return;
    if (included.origins) origins.merge(included.origins);
    for (const section of RESOURCE_SECTIONS) {
      const imported = included.model[section];
      if (!isTree(imported)) continue;
      const target: Tree = isTree(model[section]) ? { ...(model[section] as Tree) } : {};
      for (const [name, definition] of Object.entries(imported)) {
        if (Object.prototype.hasOwnProperty.call(target, name)) {
          if (sameDefinition(target[name], definition)) continue;
          issues.push(
            issueAt(file.source, [section, name], `conflicts with ${singular(section)} "${name}" imported by include[${index}] (${displayPath(main)})`),
          );
          continue;
        }
        target[name] = definition;
      }
      model[section] = target;
    }
  });
  return { model, issues };
}

function toRequest(entry: unknown, workingDir: string, chain: string[]): IncludeRequest | undefined {
  const long = typeof entry === "string" ? { path: [entry] } : entry;
  if (!isTree(long)) return undefined;
  const paths = typeof long.path === "string" ? [long.path] : Array.isArray(long.path) ? long.path : [];
  const files = paths.filter((item): item is string => typeof item === "string").map((item) => path.resolve(workingDir, item));
  if (files.length === 0) return undefined;
  const projectDirectory =
    typeof long.project_directory === "string" ? path.resolve(workingDir, long.project_directory) : path.dirname(files[0]);
  const envList = typeof long.env_file === "string" ? [long.env_file] : Array.isArray(long.env_file) ? long.env_file : undefined;
  const envFiles = envList
    ?.filter((item): item is string => typeof item === "string")
    .map((item) => path.resolve(workingDir, item));
  return { files, projectDirectory, envFiles, chain };
}

function singular(section: string): string {
  return section.endsWith("s") ? section.slice(0, -1) : section;
}

/** How an included or extended file is named in messages: relative to the current directory when below it. */
export function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : absolute;
}

function issueAt(source: SourceFile, at: PathSegment[], message: string): ComposeIssue {
  const position = source.locate(at);
  const issue: ComposeIssue = { file: source.file, path: formatPath(at), message };
  if (position) {
    issue.line = position.line;
    issue.col = position.col;
  }
  return issue;
}
