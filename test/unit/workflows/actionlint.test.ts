// Every workflow in .github/workflows passes actionlint (with shellcheck on its `run:`
// scripts), and a planted mistake is reported, so the clean result is not vacuous.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { actionlintBinary, lint, repoRoot } from "./actionlint.ts";

const workflows = readdirSync(join(repoRoot, ".github/workflows"))
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => `.github/workflows/${name}`);

test("actionlint v1.7.12 is built and runs shellcheck", (t) => {
  const { path, seconds } = actionlintBinary();
  t.diagnostic(`actionlint at ${path} in ${seconds.toFixed(1)} s`);
  const version = spawnSync(path, ["-version"], { encoding: "utf8" });
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^v1\.7\.12$/m);
  // actionlint skips the shell checks silently when shellcheck is missing.
  assert.equal(spawnSync("shellcheck", ["--version"]).status, 0, "shellcheck is on PATH (scripts/actionlint.sh installs it)");
});

test("every workflow in .github/workflows is clean", () => {
  assert.ok(workflows.includes(".github/workflows/preview.yml"), `workflows found: ${workflows.join(", ")}`);
  assert.ok(workflows.includes(".github/workflows/preview-comment.yml"), `workflows found: ${workflows.join(", ")}`);
  const { findings, linted } = lint(repoRoot, workflows);
  assert.deepEqual(linted, workflows, "actionlint read every workflow");
  assert.deepEqual(
    findings.map((finding) => `${finding.filepath}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`),
    [],
  );
});

test("a planted mistake of each kind is reported: undefined matrix key, shell, untrusted input", () => {
  const dir = mkdtempSync(join(tmpdir(), "actionlint-"));
  try {
    mkdirSync(join(dir, ".github/workflows"), { recursive: true });
    writeFileSync(
      join(dir, ".github/workflows/planted.yml"),
      [
        "name: planted",
        "on: pull_request",
        "jobs:",
        "  preview:",
        "    runs-on: ubuntu-latest",
        "    strategy:",
        "      matrix:",
        "        stack: [dev]",
        "    steps:",
        '      - run: echo "${{ matrix.nope }}"',
        "      - run: cp $RUNNER_TEMP/a b",
        '      - run: echo "${{ github.event.pull_request.title }}"',
        "",
      ].join("\n"),
    );
    const { findings, linted } = lint(dir, [".github/workflows/planted.yml"]);
    assert.deepEqual(linted, [".github/workflows/planted.yml"]);
    const seen = findings.map((finding) => `${finding.line} ${finding.kind}: ${finding.message}`);
    assert.equal(seen.length, 3, seen.join("\n"));
    assert.match(seen[0]!, /^10 expression: property "nope" is not defined in object type \{stack: string\}$/);
    assert.match(seen[1]!, /^11 shellcheck: shellcheck reported issue in this script: SC2086:/);
    assert.match(seen[2]!, /^12 expression: "github\.event\.pull_request\.title" is potentially untrusted/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
