/**
 * What the command-line benchmarks share: running a command under GNU time for its wall
 * time and peak RSS, ours and a peer's in paired, interleaved runs, medians, the peer
 * (the docker compose CLI that scripts/compose-reference.sh builds), the compiled bin
 * (built when missing or older than its sources), and a table of the figures.
 *
 * The machine may be busy with other work, so every figure is a median of runs in which
 * ours and the peer's alternate (each pair in the other order than the one before), and
 * both sides see the same load.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { referenceBinary } from "../unit/compose/corpus/reference-cli.ts";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
/** The package's bin, as package.json names it. */
export const BIN = path.join(REPO_ROOT, "dist/infra/cli.js");
const GNU_TIME = "/usr/bin/time";

export interface Invocation {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

export interface Sample {
  wallSeconds: number;
  peakRssMiB: number;
}

/** One run under GNU time; its output is discarded. A failing command is an error: its figures would mean nothing. */
export function measure(invocation: Invocation): Sample {
  const report = path.join(os.tmpdir(), `compose-pulumi-bench-${process.pid}.time`);
  // GNU time's own %e counts hundredths of a second, too coarse for a 40 ms command: the
  // wall time is taken here, around it; %M is the peak RSS in KiB.
  const started = process.hrtime.bigint();
  const result = spawnSync(GNU_TIME, ["-f", "%M", "-o", report, invocation.command, ...invocation.args], {
    cwd: invocation.cwd,
    env: invocation.env ?? benchEnvironment(),
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 << 20,
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${invocation.command} ${invocation.args.join(" ")} (in ${invocation.cwd}) exited with ${result.status}: ${result.stderr.toString().trim()}`);
  }
  const kib = Number(fs.readFileSync(report, "utf8").trim().split("\n").pop());
  fs.rmSync(report, { force: true });
  return { wallSeconds, peakRssMiB: kib / 1024 };
}

/** What a command prints on stdout, for checking that ours and the peer's agree before timing them. */
export function output(invocation: Invocation): string {
  return execFileSync(invocation.command, invocation.args, { cwd: invocation.cwd, env: invocation.env ?? benchEnvironment(), maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "ignore"] }).toString();
}

/** A small, fixed environment: the user's compose variables and NODE_OPTIONS would otherwise change what is measured. */
export function benchEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: os.homedir(), ...extra };
}

export interface Paired {
  ours: Sample[];
  peer: Sample[];
}

/** `runs` pairs, alternating which side goes first, after one unmeasured pair that warms caches. */
export function pairedRuns(ours: Invocation, peer: Invocation, runs: number): Paired {
  measure(ours);
  measure(peer);
  const paired: Paired = { ours: [], peer: [] };
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      paired.ours.push(measure(ours));
      paired.peer.push(measure(peer));
    } else {
      paired.peer.push(measure(peer));
      paired.ours.push(measure(ours));
    }
  }
  return paired;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface Medians {
  ours: Sample;
  peer: Sample;
}

export function medians(paired: Paired): Medians {
  const of = (samples: Sample[]): Sample => ({
    wallSeconds: median(samples.map((sample) => sample.wallSeconds)),
    peakRssMiB: median(samples.map((sample) => sample.peakRssMiB)),
  });
  return { ours: of(paired.ours), peer: of(paired.peer) };
}

/** Why GNU time cannot be used, or undefined once it is there (installed from Debian when this runs as root). */
export function gnuTimeMissing(): string | undefined {
  if (fs.existsSync(GNU_TIME)) return undefined;
  if (process.getuid?.() !== 0) return `${GNU_TIME} is missing; install Debian's package \`time\` (as root: apt-get install time)`;
  const install = spawnSync(
    "bash",
    ["-c", '. scripts/lib/log.sh && . scripts/lib/paths.sh && . scripts/lib/apt.sh && apt_install_missing "$LOG_DIR/apt-time.log" time'],
    { cwd: REPO_ROOT, stdio: ["ignore", "inherit", "inherit"] },
  );
  if (install.status !== 0 || !fs.existsSync(GNU_TIME)) return `${GNU_TIME} is missing and installing Debian's package \`time\` failed`;
  return undefined;
}

/** The docker compose CLI the loader is compared with, or why it is not there. */
export function peerCompose(): { binary: string } | { missing: string } {
  const binary = referenceBinary();
  return fs.existsSync(binary) ? { binary } : { missing: `docker compose is not built at ${binary} (run: bash scripts/compose-reference.sh)` };
}

/** What the build reads; the bin is stale when any of them is newer. */
const BUILD_INPUTS = ["infra", "components", "stacks", "policy", "scripts/package-assets.ts", "scripts/build-bin.ts", "scripts/bin-bundle.ts", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];

function newestInput(): number {
  let newest = 0;
  for (const input of BUILD_INPUTS) {
    const full = path.join(REPO_ROOT, input);
    if (!fs.existsSync(full)) continue;
    const stat = fs.statSync(full);
    const files = stat.isDirectory()
      ? fs.readdirSync(full, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && !entry.parentPath.includes("node_modules")).map((entry) => path.join(entry.parentPath, entry.name))
      : [full];
    for (const file of files) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` when dist/ has no bin or an older one than the sources. */
export function ensureBuilt(): void {
  const built = fs.existsSync(BIN) ? fs.statSync(BIN).mtimeMs : 0;
  if (built >= newestInput()) return;
  console.log(built === 0 ? "dist/ has no bin: npm run build..." : "dist/ is older than the sources: npm run build...");
  execFileSync("npm", ["run", "-s", "build"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

/** Our bin as a user runs it: the compiled package on this Node, with the command's arguments. */
export function ourBin(args: string[], cwd: string): Invocation {
  return { command: process.execPath, args: [BIN, ...args], cwd };
}

/** Prints rows under a heading, each column as wide as its widest cell; the first column left-aligned, the others right-aligned. */
export function printTable(heading: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = heading.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ").trimEnd();
  console.log(line(heading));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}

export const seconds = (value: number) => `${value.toFixed(3)} s`;
export const mebibytes = (value: number) => `${value.toFixed(1)} MiB`;
export const ratio = (ours: number, peer: number) => `${(ours / peer).toFixed(2)}x`;
