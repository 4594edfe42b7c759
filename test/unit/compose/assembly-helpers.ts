/**
 * Helpers for the assembly-stage tests: compose projects written to temporary
 * directories, loaded through the real pipeline, with errors as printed lines.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ComposeError, formatIssue } from "../../../infra/compose/errors.ts";
import { loadModel, loadProject, type LoadOptions } from "../../../infra/compose/load.ts";

const created: string[] = [];
process.on("exit", () => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new temporary directory (its real path), removed when the test process exits. */
export function temporaryDirectory(prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.push(dir);
  return dir;
}

/** Writes `files` (relative path -> text) under a new temporary directory; returns its real path. */
export function writeProject(files: Record<string, string>): string {
  const dir = temporaryDirectory("compose-assembly-");
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return dir;
}

/** The environment tests load with: nothing from the machine running them. */
export const TEST_ENV = { HOME: "/home/tester" };

export function load(dir: string, files: string[], options: Partial<LoadOptions> = {}) {
  return loadProject({ environment: TEST_ENV, ...options, files: files.map((file) => path.join(dir, file)) });
}

export function loadUnchecked(dir: string, files: string[], options: Partial<LoadOptions> = {}) {
  return loadModel(
    { environment: TEST_ENV, ...options, files: files.map((file) => path.join(dir, file)) },
    { checkReferences: false, normalize: false },
  ).model;
}

/** The printed issues of a load that must fail, with the temporary directory shown as `<dir>`. */
export function errorsOf(dir: string, run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ComposeError)) throw error;
    return error.issues.map((issue) => formatIssue(issue).split(dir).join("<dir>"));
  }
  assert.fail("expected the load to fail");
}
