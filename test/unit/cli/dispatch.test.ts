/**
 * The command line's conventions: --version and --help, exit codes 0/1/2, and a failure
 * that is not the input's fault reported in one line, its stack trace only on request.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { runCli } from "./run-cli.ts";
import { REPO_ROOT } from "../compose/fixture-paths.ts";

const version = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).version as string;

test("--version, -V and version print the package's version on stdout", async () => {
  for (const flag of ["--version", "-V", "version"]) {
    assert.deepEqual(await runCli([flag]), { code: 0, out: `${version}\n`, err: "" }, flag);
  }
});

test("--help lists every command on stdout; no command at all is a usage error on stderr", async () => {
  const help = await runCli(["--help"]);
  assert.equal(help.code, 0);
  for (const command of ["init", "config", "graph"]) assert.match(help.out, new RegExp(`^  ${command} +\\S`, "m"), command);
  assert.match(help.out, /-V, --version/);
  const none = await runCli([]);
  assert.equal(none.code, 2);
  assert.equal(none.out, "");
  assert.match(none.err, /^Usage: compose-pulumi <command>/);
});

test("an unexpected failure: one error line and a hint, the stack trace only with COMPOSE_PULUMI_DEBUG", async () => {
  const failingOut = { out: () => { throw new Error("disk on fire\nsecond line"); } };
  const plain = await runCli(["config", "-f", path.join(REPO_ROOT, "stacks/apps/flask/compose.yaml")], { io: failingOut });
  assert.equal(plain.code, 1);
  assert.equal(
    plain.err,
    "error: disk on fire\n  this is a bug in compose-pulumi, not a problem with your files; run again with COMPOSE_PULUMI_DEBUG=1 for the stack trace\n",
  );
  const debug = await runCli(["config", "-f", path.join(REPO_ROOT, "stacks/apps/flask/compose.yaml")], { io: failingOut, env: { COMPOSE_PULUMI_DEBUG: "1" } });
  assert.equal(debug.code, 1);
  assert.match(debug.err, /^error: disk on fire\nError: disk on fire\nsecond line\n {4}at /);
});

test("the entry point runs when started through a symlink, as npm's bin link starts it", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cli-link-"));
  const link = path.join(dir, "compose-pulumi");
  symlinkSync(path.join(REPO_ROOT, "infra/cli.ts"), link);
  try {
    const result = spawnSync(process.execPath, [link, "--version"], { encoding: "utf8" });
    assert.equal(result.stdout, `${version}\n`, result.stderr);
    assert.equal(result.status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
