// scripts/lib/stack-env.sh: which backend and passphrase the project's scripts give the
// pulumi processes they start. Never a login; the dev passphrase for dev only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const scripts = resolve(import.meta.dirname, "../../../scripts");

/** Sources the library, runs `use_project_backend; use_stack_secrets STACK FILE`, prints the result. */
function stackEnv(stack: string, stackFile: string, env: Record<string, string>) {
  const script = `. "${scripts}/lib/log.sh"; . "${scripts}/lib/paths.sh"; . "${scripts}/lib/stack-env.sh"
use_project_backend; use_stack_secrets "$1" "$2"
printf 'backend=%s\\npassphrase=%s\\n' "$PULUMI_BACKEND_URL" "\${PULUMI_CONFIG_PASSPHRASE-unset}"`;
  const result = spawnSync("bash", ["-c", script, "stack-env", stack, stackFile], { env: { PATH: process.env.PATH ?? "", HOME: tmpdir(), ...env }, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test("dev gets the public passphrase when none is set; a set one wins", () => {
  const dir = mkdtempSync(join(tmpdir(), "stack-env-"));
  try {
    const file = join(dir, "Pulumi.dev.yaml");
    writeFileSync(file, "config: {}\n");
    const dev = stackEnv("dev", file, {});
    assert.equal(dev.code, 0, dev.stderr);
    assert.match(dev.stdout, /^backend=file:\/\/.*\/\.state\/pulumi-backend$/m);
    assert.match(dev.stdout, /^passphrase=compose-pulumi-dev$/m);
    const own = stackEnv("dev", file, { PULUMI_CONFIG_PASSPHRASE: "mine", PULUMI_BACKEND_URL: "s3://team-state" });
    assert.match(own.stdout, /^backend=s3:\/\/team-state$/m);
    assert.match(own.stdout, /^passphrase=mine$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("another stack without a passphrase is refused with what to set, and the public one is refused too", () => {
  const dir = mkdtempSync(join(tmpdir(), "stack-env-"));
  try {
    const file = join(dir, "Pulumi.staging.yaml");
    writeFileSync(file, "config: {}\nencryptionsalt: v1:abc\n");
    const none = stackEnv("staging", file, {});
    assert.equal(none.code, 1);
    assert.equal(none.stdout, "", "nothing ran after the refusal");
    assert.match(none.stderr, /^error: stack staging has no passphrase/m);
    assert.match(none.stderr, /next: export PULUMI_CONFIG_PASSPHRASE=<stack staging's passphrase> \(or PULUMI_CONFIG_PASSPHRASE_FILE/);
    const publicOne = stackEnv("staging", file, { PULUMI_CONFIG_PASSPHRASE: "compose-pulumi-dev" });
    assert.equal(publicOne.code, 1);
    assert.match(publicOne.stderr, /^error: stack staging: PULUMI_CONFIG_PASSPHRASE is the public passphrase of the dev stack/m);
    const own = stackEnv("staging", file, { PULUMI_CONFIG_PASSPHRASE_FILE: join(dir, "pass") });
    assert.equal(own.code, 0, own.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a stack whose secrets provider needs no passphrase (a key service, or Pulumi Cloud's) runs without one", () => {
  const dir = mkdtempSync(join(tmpdir(), "stack-env-"));
  try {
    const kms = join(dir, "Pulumi.prod.yaml");
    writeFileSync(kms, "secretsprovider: awskms://alias/deploy?region=eu-west-1\nconfig: {}\n");
    assert.equal(stackEnv("prod", kms, {}).code, 0);
    const cloud = join(dir, "Pulumi.eu.yaml");
    writeFileSync(cloud, "config: {}\n");
    assert.equal(stackEnv("eu", cloud, { PULUMI_BACKEND_URL: "https://api.pulumi.com" }).code, 0);
    assert.equal(stackEnv("eu", cloud, { PULUMI_BACKEND_URL: "s3://team-state" }).code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
