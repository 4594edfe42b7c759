/**
 * Compose files in, one canonical validated model out (the pipeline of design.md):
 *
 * 1. environment: the process environment over `.env` in the project directory (or over
 *    the `--env-file` files, in order);
 * 2. the project name: `--project-name`, else COMPOSE_PROJECT_NAME, else the last `name:`
 *    in the files, else the project directory's name (the last two normalized);
 * 3. per file: read, parse, interpolate, validate (short syntax expanded), `extends`,
 *    `include`; then the files merged in order and their relative paths resolved against
 *    the project directory (the first file's directory unless `workingDir` says otherwise);
 * 4. env_file / label_file, profiles, reference checks, normalization, then the
 *    top-level resources no enabled service uses dropped (unless `allResources`).
 *
 * Every stage collects its issues; loading stops after a stage that found any (except
 * that entries failing the schema are left out so that the reference checks still run on
 * the rest), and the caller gets all of them in one ComposeError. Nothing half-loaded is
 * ever returned.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ComposeError, formatIssue, type ComposeIssue } from "./errors.ts";
import { parseEnvFile } from "./env-file.ts";
import { parseGoBool } from "./go-format.ts";
import { applyExtends, type ExtendsFile } from "./extends.ts";
import { applyInclude, displayPath, type IncludedProject, type IncludeRequest } from "./include.ts";
import { interpolate, InterpolationError, interpolateString } from "./interpolate.ts";
import { mergeModels } from "./merge.ts";
import { completeModel, isValidProjectName, normalizeModel, normalizeProjectName } from "./normalize.ts";
import { Origins } from "./origins.ts";
import { mergeDirectives, parseComposeText } from "./parse.ts";
import { resolveModelPaths, resolvePath } from "./paths.ts";
import { applyProfiles, profilesFromEnvironment } from "./profiles.ts";
import { checkReferences } from "./references.ts";
import { noUncheckedEntries, validateComposeFile, type EntrySection, type Project } from "./schema/index.ts";
import { resolveServiceFiles, withoutEnvFiles } from "./service-files.ts";
import type { SourceFile } from "./source.ts";
import { withoutUnusedResources } from "./unused.ts";
import { isTree, treeOrEmpty, type Tree } from "./tree.ts";

export interface LoadOptions {
  /** Compose files, as the user named them (relative to the current directory or absolute). */
  files: string[];
  /** Env files replacing `.env` (relative to the current directory or absolute). */
  envFiles?: string[];
  /** Active profiles; `*` activates all. Default: COMPOSE_PROFILES from the project environment (`.env` included). */
  profiles?: string[];
  projectName?: string;
  /** Project directory (`--project-directory`); default: the first file's directory. */
  workingDir?: string;
  /** Keep top-level resources no enabled service uses (`--all-resources`); default: drop them, as compose does. */
  allResources?: boolean;
  /** Process environment; default: `process.env`. `HOME` gives the home directory for `~`. */
  environment?: Readonly<Record<string, string | undefined>>;
}

/** Which of the last stages run; compose-go's own conformance tests skip the last two. */
export interface LoadStages {
  checkReferences: boolean;
  /** compose-go's Normalize, then what docker compose does to a loaded project: env files dropped once folded, unused resources dropped. */
  normalize: boolean;
}

/**
 * The canonical model. Its shape is ProjectSchema's by construction (validated files,
 * then the stages here); the unit tests check that ProjectSchema accepts every model
 * loadProject returns, unchanged, rather than paying a second validation on every load.
 */
export function loadProject(options: LoadOptions): Project {
  return loadModel(options, { checkReferences: true, normalize: true }).model as Project;
}

/**
 * The canonical model and the environment it was interpolated with (process environment
 * over `.env` or the env files, plus COMPOSE_PROJECT_NAME): what a secret or config with
 * `environment:` reads its content from. The environment holds credentials; never log it.
 */
export function loadProjectWithEnvironment(options: LoadOptions): { project: Project; environment: Record<string, string> } {
  const { model, environment } = loadModel(options, { checkReferences: true, normalize: true });
  return { project: model as Project, environment };
}

/** The assembled model as plain data, with the chosen final stages. Throws ComposeError. */
export function loadModel(options: LoadOptions, stages: LoadStages): { model: Tree; source: SourceFile; environment: Record<string, string> } {
  if (options.files.length === 0) throw new ComposeError([{ file: "", path: "", message: "no compose file given" }]);
  const processEnv = definedOnly(options.environment ?? process.env);
  const homeDir = processEnv.HOME ?? os.homedir();
  const mainFiles = options.files.map((file) => ({ display: file, absolute: path.resolve(file) }));
  const workingDir = path.resolve(options.workingDir ?? path.dirname(mainFiles[0].absolute));
  const loader = new Loader(homeDir);

  const sources = mainFiles.map((file) => loader.readSource(file.absolute, file.display));
  const env = loader.projectEnvironment(processEnv, workingDir, options.envFiles);
  loader.stopIfIssues();

  const parsed = sources.filter((source): source is SourceFile => source !== undefined);
  const projectName = loader.projectName(options.projectName, env, parsed, workingDir);
  loader.stopIfIssues();
  env.COMPOSE_PROJECT_NAME = projectName;

  const scope = loader.loadScope(
    mainFiles.map((file, index) => ({ ...file, source: sources[index] })),
    { workingDir, env, chain: [] },
  );
  // A file that could not be read, parsed or interpolated stops here; schema problems of
  // single entries let the reference checks below run on what validated.
  loader.stopIfIssuesBesidesSchema();
  const origins = scope.origins;
  let model = scope.model ?? {};
  if (Object.keys(model).length === 0) loader.fail({ file: mainFiles[0].display, path: "", message: "empty compose file" });

  model = completeModel({ ...model, name: projectName }, env);
  const selection = applyProfiles(model, options.profiles ?? profilesFromEnvironment(env));
  model = selection.model;
  if (stages.checkReferences) loader.add(checkReferences(model, selection.disabled, origins, loader.unchecked));
  loader.stopIfIssues();

  const withFiles = resolveServiceFiles(model, env, origins, readTextIfExists, displayPath);
  loader.add(withFiles.issues);
  loader.stopIfIssues();
  model = withFiles.model;
  if (stages.normalize) model = normalizeModel(model, { projectName });
  if (stages.normalize) model = withoutEnvFiles(model);
  if (stages.normalize && options.allResources !== true) model = withoutUnusedResources(model);
  return { model, source: parsed[0], environment: env };
}

interface ScopeFile {
  display: string;
  absolute: string;
  source?: SourceFile;
}

interface Scope {
  /** Directory the scope's relative paths resolve against. */
  workingDir: string;
  env: Record<string, string>;
  /** Files whose includes led to this scope, outermost first. */
  chain: string[];
}

class Loader {
  private readonly issues: ComposeIssue[] = [];
  /** Issues of files whose valid part goes on (see validateComposeFile's salvage). */
  private readonly schemaIssues = new Set<ComposeIssue>();
  /** Entries left out because their own definition failed validation (see validateComposeFile). */
  readonly unchecked = noUncheckedEntries();
  private readonly extendsCache = new WeakMap<Record<string, string>, Map<string, ReturnType<Loader["readExtendsFile"]>>>();

  private readonly homeDir: string;

  constructor(homeDir: string) {
    this.homeDir = homeDir;
  }

  add(issues: readonly ComposeIssue[]): void {
    for (const issue of issues) {
      const text = formatIssue(issue);
      if (!this.issues.some((existing) => formatIssue(existing) === text)) this.issues.push(issue);
    }
  }

  fail(issue: ComposeIssue): never {
    this.add([issue]);
    throw new ComposeError(this.issues);
  }

  stopIfIssues(): void {
    if (this.issues.length > 0) throw new ComposeError(this.issues);
  }

  /** Stops unless every issue so far is a schema problem of an entry that was left out. */
  stopIfIssuesBesidesSchema(): void {
    if (this.issues.some((issue) => !this.schemaIssues.has(issue))) this.stopIfIssues();
  }

  readSource(absolute: string, display: string): SourceFile | undefined {
    const text = readText(absolute);
    if (typeof text !== "string") {
      this.add([{ file: display, path: "", message: text.error }]);
      return undefined;
    }
    const parsed = parseComposeText(display, path.dirname(absolute), text);
    this.add(parsed.issues);
    return parsed.source;
  }

  /** `.env` (or the given env files) under the process environment, which wins. */
  projectEnvironment(processEnv: Record<string, string>, workingDir: string, envFiles?: string[]): Record<string, string> {
    const files = envFiles?.map((file) => ({ absolute: path.resolve(file), display: file, required: true })) ??
      (this.dotEnvDisabled(processEnv) ? [] : [{ absolute: path.join(workingDir, ".env"), display: displayPath(path.join(workingDir, ".env")), required: false }]);
    return { ...this.readEnvFiles(files, processEnv), ...processEnv };
  }

  /** COMPOSE_DISABLE_ENV_FILE: a true value keeps `.env` out (compose-go `WithEnvFiles`, read from the process only). */
  private dotEnvDisabled(processEnv: Record<string, string>): boolean {
    const value = processEnv.COMPOSE_DISABLE_ENV_FILE;
    if (value === undefined) return false;
    const disabled = parseGoBool(value);
    if (disabled === undefined) {
      this.add([{ file: "COMPOSE_DISABLE_ENV_FILE", path: "", message: `invalid value "${value}": expected true or false` }]);
    }
    return disabled === true;
  }

  private readEnvFiles(files: { absolute: string; display: string; required: boolean }[], base: Record<string, string>): Record<string, string> {
    const vars: Record<string, string> = {};
    for (const file of files) {
      const text = readText(file.absolute);
      if (typeof text !== "string") {
        if (file.required || text.exists) this.add([{ file: file.display, path: "", message: text.error }]);
        continue;
      }
      const parsed = parseEnvFile(file.display, text, (name) => base[name] ?? vars[name]);
      this.add(parsed.issues);
      Object.assign(vars, parsed.vars);
    }
    return vars;
  }

  projectName(imperative: string | undefined, env: Record<string, string>, sources: SourceFile[], workingDir: string): string {
    const given = imperative ?? (env.COMPOSE_PROJECT_NAME || undefined);
    if (given !== undefined) {
      if (!isValidProjectName(given)) {
        const origin = imperative !== undefined ? "--project-name" : "COMPOSE_PROJECT_NAME";
        this.fail({
          file: origin,
          path: "",
          message: `invalid project name "${given}": use lowercase letters, digits, "_" and "-", starting with a letter or digit`,
        });
      }
      return given;
    }
    let fromFiles = "";
    for (const source of sources) {
      const name = isTree(source.data) ? source.data.name : undefined;
      if (typeof name !== "string" || name === "") continue;
      try {
        fromFiles = interpolateString(name, (key) => env[key]);
      } catch (error) {
        if (!(error instanceof InterpolationError)) throw error;
        const position = source.locate(["name"]);
        this.add([{ file: source.file, line: position?.line, col: position?.col, path: "name", message: error.message }]);
      }
    }
    const name = normalizeProjectName(fromFiles) || normalizeProjectName(path.basename(workingDir));
    if (name === "") this.fail({ file: sources[0]?.file ?? "", path: "", message: "project name must not be empty" });
    return name;
  }

  loadScope(files: ScopeFile[], scope: Scope): { model?: Tree; origins: Origins } {
    const origins = new Origins();
    let merged: Tree = {};
    let complete = true;
    for (const file of files) {
      const source = file.source ?? this.readSource(file.absolute, file.display);
      const model = source ? this.loadFile(source, file.absolute, scope, origins) : undefined;
      if (!source || !model) {
        complete = false;
        continue;
      }
      merged = mergeModels(merged, model, mergeDirectives(source));
    }
    if (!complete) return { origins };
    return { model: resolveModelPaths(merged, { baseDir: scope.workingDir, homeDir: this.homeDir, fillBuildContext: true }), origins };
  }

  private loadFile(source: SourceFile, absolute: string, scope: Scope, origins: Origins): Tree | undefined {
    const interpolated = interpolate(source, scope.env);
    this.add(interpolated.issues);
    if (interpolated.issues.length > 0) return undefined;
    const validated = validateComposeFile(source, interpolated.data);
    this.add(validated.issues);
    if (validated.salvaged) for (const issue of validated.issues) this.schemaIssues.add(issue);
    // What validated goes on through the later stages, so their problems are reported in
    // the same run; the issues above make sure no model built from it is returned.
    if (validated.salvaged) for (const section of Object.keys(this.unchecked) as EntrySection[]) {
      for (const name of validated.salvaged.unchecked[section]) this.unchecked[section].add(name);
    }
    const file = validated.file ?? validated.salvaged?.file;
    if (!file) return undefined;
    let model = file as Tree;
    origins.addFile(source, model);

    const extended = applyExtends(
      {
        path: absolute,
        source,
        model,
        directives: mergeDirectives(source),
        resolvePath: (file) => resolvePath(file, { baseDir: scope.workingDir, homeDir: this.homeDir, fillBuildContext: true }),
      },
      (file) => this.readExtendsFile(file, scope.env),
      origins,
    );
    this.add(extended.issues);
    model = extended.model;

    const included = applyInclude(
      { path: absolute, source, model, workingDir: scope.workingDir, chain: scope.chain },
      (request) => this.loadIncluded(request, scope),
      origins,
    );
    this.add(included.issues);
    if (extended.issues.length > 0 || included.issues.length > 0) return undefined;
    return included.model;
  }

  /**
   * A file named by `extends.file`: parsed and interpolated like any file, its services
   * validated one by one (only the extended ones matter), paths resolved against its own
   * directory.
   */
  private readExtendsFile(absolute: string, env: Record<string, string>): { file?: ExtendsFile; error?: string; issues: ComposeIssue[] } {
    let cache = this.extendsCache.get(env);
    if (!cache) {
      cache = new Map();
      this.extendsCache.set(env, cache);
    }
    const cached = cache.get(absolute);
    if (cached) return cached;

    const result = ((): { file?: ExtendsFile; error?: string; issues: ComposeIssue[] } => {
      const display = displayPath(absolute);
      const text = readText(absolute);
      if (typeof text !== "string") return { error: `cannot read ${display}: ${text.reason}`, issues: [] };
      const parsed = parseComposeText(display, path.dirname(absolute), text);
      if (!parsed.source) return { issues: parsed.issues };
      const source = parsed.source;
      const interpolated = interpolate(source, env);
      if (interpolated.issues.length > 0) return { issues: interpolated.issues };
      const rawServices = treeOrEmpty(treeOrEmpty(interpolated.data).services);
      const services: Tree = {};
      const problems = new Map<string, ComposeIssue[]>();
      for (const [name, raw] of Object.entries(rawServices)) {
        const validated = validateComposeFile(source, { services: { [name]: raw } });
        if (validated.file) services[name] = treeOrEmpty(validated.file.services)[name];
        else problems.set(name, validated.issues);
      }
      const model = resolveModelPaths({ services }, { baseDir: path.dirname(absolute), homeDir: this.homeDir, fillBuildContext: false });
      const issuesFor = (name: string) => problems.get(name) ?? [];
      // A service that failed validation still exists for "not found" checks: its problems are reported instead.
      for (const name of problems.keys()) treeOrEmpty(model.services)[name] = {};
      const context = { baseDir: path.dirname(absolute), homeDir: this.homeDir, fillBuildContext: false };
      const file: ExtendsFile = {
        path: absolute,
        source,
        model,
        issuesFor,
        directives: mergeDirectives(source),
        resolvePath: (relative) => resolvePath(relative, context),
      };
      return { file, issues: [] };
    })();
    cache.set(absolute, result);
    return result;
  }

  private loadIncluded(request: IncludeRequest, parent: Scope): IncludedProject {
    const envFiles = request.envFiles?.map((file) => ({ absolute: file, display: displayPath(file), required: true })) ?? [
      { absolute: path.join(request.projectDirectory, ".env"), display: displayPath(path.join(request.projectDirectory, ".env")), required: false },
    ];
    const before = this.issues.length;
    const fromFiles = this.readEnvFiles(envFiles, parent.env);
    // Variables already set for the including project keep their value.
    const env = { ...fromFiles, ...parent.env };
    const scope = this.loadScope(
      request.files.map((file) => ({ absolute: file, display: displayPath(file) })),
      { workingDir: request.projectDirectory, env, chain: request.chain },
    );
    if (this.issues.length > before) return { issues: [] };
    return { model: scope.model, origins: scope.origins, issues: [] };
  }
}

function definedOnly(environment: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(environment)) if (value !== undefined) out[key] = value;
  return out;
}

function readText(file: string): string | { error: string; reason: string; exists: boolean } {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String((error as Error).message);
    return { error: `cannot read file: ${reason}`, reason, exists: code !== "ENOENT" };
  }
}

function readTextIfExists(file: string): string | undefined {
  const text = readText(file);
  return typeof text === "string" ? text : undefined;
}
