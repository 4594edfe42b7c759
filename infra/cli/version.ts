/**
 * The package's own manifest, found from this file both in the repository (infra/cli/)
 * and in the published package (dist/infra/cli/).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export interface PackageManifest {
  name: string;
  version: string;
  dependencies: Record<string, string>;
}

export function ownManifest(): PackageManifest {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, "utf8")) as Partial<PackageManifest>;
      if (manifest.name === "compose-pulumi" && typeof manifest.version === "string") {
        return { name: manifest.name, version: manifest.version, dependencies: manifest.dependencies ?? {} };
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json of compose-pulumi above ${import.meta.dirname}`);
  }
}
