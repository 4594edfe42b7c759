// scripts/lib/apt.sh: which Debian packages the scripts would install. A package named
// with `:COMMAND` is not needed when that command is already on PATH (a dockerd from
// Docker's own packages serves as well as Debian's docker.io).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const scripts = resolve(import.meta.dirname, "../../../scripts");

function missing(packages: string[], path: string): string[] {
  const script = `. "${scripts}/lib/log.sh"; . "${scripts}/lib/apt.sh"; debian_missing "$@"`;
  const result = spawnSync("bash", ["-c", script, "apt", ...packages], { env: { PATH: path }, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split("\n").filter(Boolean);
}

test("a missing package is listed unless its command is on PATH", () => {
  const bin = mkdtempSync(join(tmpdir(), "apt-path-"));
  try {
    const path = `${bin}:/usr/bin:/bin`;
    const absent = ["compose-pulumi-no-such-package", "compose-pulumi-no-such-tool:compose-pulumi-no-such-command"];
    assert.deepEqual(missing(absent, path), ["compose-pulumi-no-such-package", "compose-pulumi-no-such-tool"]);
    symlinkSync("/bin/true", join(bin, "compose-pulumi-no-such-command"));
    assert.deepEqual(missing(absent, path), ["compose-pulumi-no-such-package"]);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});
