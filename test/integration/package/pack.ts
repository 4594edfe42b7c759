/**
 * The package as users get it: `npm pack` of this repository (which builds it first), and
 * the tarball installed into a project folder with npm, as `npm install <tarball>` does.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { repoRoot } from "../pulumi-toolchain.ts";

const exec = promisify(execFile);

export interface PackedPackage {
  tarball: string;
  files: string[];
  /** Bytes of the tarball. */
  size: number;
  unpackedSize: number;
  seconds: number;
}

export async function packPackage(destination: string, env: NodeJS.ProcessEnv): Promise<PackedPackage> {
  const started = performance.now();
  const { stdout } = await exec("npm", ["pack", "--json", "--pack-destination", destination], { cwd: repoRoot, env, maxBuffer: 64 << 20 });
  // `npm pack --json` prints the build's output (prepack) before its JSON.
  const report = JSON.parse(stdout.slice(stdout.indexOf("[\n"))) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  const [packed] = report;
  return {
    tarball: `${destination}/${packed.filename}`,
    files: packed.files.map((file) => file.path).sort(),
    size: packed.size,
    unpackedSize: packed.unpackedSize,
    seconds: (performance.now() - started) / 1000,
  };
}
