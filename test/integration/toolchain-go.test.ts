// The Go unit tests of our own toolchain builds (scripts/toolchain/*/..._test.go), run
// with the module settings the set-up builds them with.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./pulumi-toolchain.ts";

const run = promisify(execFile);
const toolchain = join(repoRoot, "scripts/toolchain");

for (const module of readdirSync(toolchain)) {
  const dir = join(toolchain, module);
  const hasTests = readdirSync(dir, { recursive: true }).some((file) => String(file).endsWith("_test.go"));
  if (!hasTests) continue;
  test(`go test in scripts/toolchain/${module}`, { timeout: 900_000 }, async (t) => {
    try {
      await run("go", ["version"]);
    } catch {
      return t.skip("no go on PATH (the set-up needs it to build the toolchain)");
    }
    const { stdout } = await run("go", ["test", "-tags", "grpcnotrace", "./..."], {
      cwd: dir,
      env: { ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: "local" },
      maxBuffer: 16 << 20,
    });
    assert.match(stdout, /^ok\s/m);
    assert.doesNotMatch(stdout, /^FAIL/m);
  });
}
