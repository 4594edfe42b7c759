/**
 * `npm run cli -- …` from another folder: the command's own options reach the CLI, not
 * Node. Node reads `--env-file` anywhere before a `--` (and stops when the file is not
 * found from the repository, where npm runs scripts), so the script puts `--` first.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";
import { REPO_ROOT } from "../compose/fixture-paths.ts";
import { writeProject } from "../compose/assembly-helpers.ts";

const run = promisify(execFile);

test("a relative --env-file is read from the folder npm was run in", async () => {
  const dir = writeProject({ "compose.yaml": "services:\n  web:\n    image: web:${TAG}\n", "ci.env": "TAG=from-ci-env\n" });
  const { stdout } = await run("npm", ["--prefix", REPO_ROOT, "run", "-s", "cli", "--", "config", "--env-file", "ci.env", "--format", "json"], { cwd: dir, env: { ...process.env, TAG: undefined } });
  assert.equal((JSON.parse(stdout) as { services: { web: { image: string } } }).services.web.image, "web:from-ci-env");
});
