/**
 * Which compose files a command reads, the same way in every command and as `docker
 * compose` decides: the `-f` flags; else COMPOSE_FILE, split on COMPOSE_PATH_SEPARATOR
 * (the platform's path list separator by default, ":" on Linux); else the first of
 * compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml in the working
 * directory, then in each parent directory.
 */
import fs from "node:fs";
import path from "node:path";

export const DEFAULT_COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"] as const;

export type ComposeFilesFound = { files: string[]; from: "flags" | "COMPOSE_FILE" | "discovery" } | { error: string };

export function composeFiles(flags: readonly string[] | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): ComposeFilesFound {
  if (flags !== undefined && flags.length > 0) return { files: [...flags], from: "flags" };
  const separator = env.COMPOSE_PATH_SEPARATOR || path.delimiter;
  const listed = env.COMPOSE_FILE?.split(separator).filter((file) => file !== "") ?? [];
  if (listed.length > 0) return { files: listed, from: "COMPOSE_FILE" };
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const found = DEFAULT_COMPOSE_FILES.find((name) => isFile(path.join(dir, name)));
    if (found !== undefined) return { files: [path.relative(cwd, path.join(dir, found)) || found], from: "discovery" };
    if (path.dirname(dir) === dir) break;
  }
  return {
    error: `no compose file: none given with -f, COMPOSE_FILE is not set, and none of ${DEFAULT_COMPOSE_FILES.join(", ")} is in ${path.resolve(cwd)} or its parents`,
  };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
