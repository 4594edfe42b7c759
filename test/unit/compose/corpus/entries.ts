/**
 * The corpus of public compose files (test/fixtures/compose-corpus) and its stored
 * reference output (test/fixtures/compose-corpus-reference): which files are entries,
 * which are left out and why, and where each entry's reference lives.
 *
 * An entry is one compose file loaded alone (`-f FILE`, project directory = its folder),
 * or, where a project documents a set of files merged with several `-f`, that set
 * (`DIR/A.yaml+B.yaml`, the files of one folder in merge order).
 * A YAML file is an entry when its top level is compose's (services, include, networks,
 * ...); the corpus also holds the files entries refer to and other projects' YAML
 * (Kubernetes manifests, Helm charts) that are not compose files.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";

export const CORPUS = path.resolve(import.meta.dirname, "../../../fixtures/compose-corpus");
export const REFERENCE = path.resolve(import.meta.dirname, "../../../fixtures/compose-corpus-reference");

/** What `docker compose config` reads at the top level of a compose file. */
const TOP_LEVEL = new Set(["name", "version", "services", "networks", "volumes", "secrets", "configs", "include", "models"]);

/**
 * Entries left out, by corpus-relative path, each with the reason: they need what this
 * machine cannot give in a deterministic way, so neither loader's answer would be stable.
 */
export const EXCLUDED: ReadonlyMap<string, string> = new Map([]);

/** File sets the projects document as merged together (`docker compose -f A -f B ...`). */
const MERGED: readonly string[] = [
  "docker-elk/docker-compose.yml+extensions/fleet/fleet-compose.yml+extensions/fleet/agent-apmserver-compose.yml",
  "netbox-docker/docker-compose.yml+docker-compose.test.yml",
  "opentelemetry-demo/compose.yaml+compose.full.yaml",
  "opentelemetry-demo/compose.yaml+compose.full.yaml+compose.observability.yaml",
  "opentelemetry-demo/compose.yaml+compose.full.yaml+compose.observability.yaml+compose.extras.yaml",
  "example-voting-app/docker-compose.yml+result/docker-compose.test.yml",
];

/** The files of an entry, corpus-relative, in merge order. */
export function entryFiles(entry: string): string[] {
  const [first, ...rest] = entry.split("+");
  const dir = path.dirname(first!);
  return [first!, ...rest.map((file) => path.join(dir, file))];
}

/** Corpus-relative names of every entry, sorted. */
export function corpusEntries(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, item.name);
      if (item.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(item.name) && isComposeFile(full)) found.push(path.relative(CORPUS, full));
    }
  };
  walk(CORPUS);
  return [...found, ...MERGED].filter((entry) => !EXCLUDED.has(entry)).sort();
}

function isComposeFile(file: string): boolean {
  let document: unknown;
  try {
    // Tags compose knows (!reset, !override) and Helm templates only need to parse here.
    document = parse(fs.readFileSync(file, "utf8"), { logLevel: "silent" });
  } catch {
    // A compose file that is not valid YAML is still an entry: both loaders must refuse it.
    return /compose/.test(path.basename(file));
  }
  if (document === null || document === undefined) return true;
  if (typeof document !== "object" || Array.isArray(document)) return false;
  const keys = Object.keys(document).filter((key) => !key.startsWith("x-"));
  return keys.length > 0 && keys.every((key) => TOP_LEVEL.has(key));
}

/**
 * A stored reference: the text `docker compose config` printed in each format, or the
 * error it printed instead (a format may fail alone: compose cannot print some models as
 * JSON).
 */
export type Printed = { text: string } | { error: string };
export interface Reference {
  json: Printed;
  yaml: Printed;
}

export function referencePath(entry: string): string {
  return path.join(REFERENCE, `${entry}.json`);
}

export function readReference(entry: string): Reference | undefined {
  const file = referencePath(entry);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Reference) : undefined;
}
