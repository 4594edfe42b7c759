// The pull-request workflow's shell steps (scripts/ci): which stack is previewed where,
// with the skip reason in the job summary, and the SSH set-up of a prod preview.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "./actionlint.ts";

function withDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "ci-scripts-"));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs preview-gate.sh as the workflow does; returns its exit, output file, summary and stdout. */
function gate(stack: string, env: Record<string, string>) {
  return withDir((dir) => {
    const output = join(dir, "output");
    const summary = join(dir, "summary");
    writeFileSync(output, "");
    writeFileSync(summary, "");
    const result = spawnSync("bash", [join(repoRoot, "scripts/ci/preview-gate.sh"), stack], {
      env: { PATH: process.env.PATH ?? "", GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, ...env },
      encoding: "utf8",
    });
    return { code: result.status, output: readFileSync(output, "utf8"), summary: readFileSync(summary, "utf8"), stdout: result.stdout };
  });
}

test("dev is previewed for every pull request, forks included, without a passphrase secret", () => {
  for (const fork of ["true", "false"]) {
    const result = gate("dev", { FORK: fork, HAS_PASSPHRASE: "false", HAS_SSH_KEY: "false" });
    assert.equal(result.code, 0);
    assert.equal(result.output, "run=true\n");
    assert.equal(result.summary, "");
  }
});

test("staging and prod are skipped for forks, with the reason in the summary and a notice", () => {
  for (const stack of ["staging", "prod"]) {
    const result = gate(stack, { FORK: "true", HAS_PASSPHRASE: "true", HAS_SSH_KEY: "true", PROD_RUNNER: "prod-net" });
    assert.equal(result.code, 0);
    assert.equal(result.output, "run=false\n");
    assert.match(result.summary, new RegExp(`^### \`${stack}\` preview skipped\\n\\nPull requests from forks get no repository secrets and a read-only token`));
    assert.match(result.stdout, new RegExp(`^::notice title=${stack} preview skipped::Pull requests from forks`, "m"));
  }
});

test("a stack of this repository without its passphrase secret fails the job, naming the secret", () => {
  const result = gate("staging", { FORK: "false", HAS_PASSPHRASE: "false" });
  assert.equal(result.code, 1);
  assert.equal(result.output, "", "no run= output: the job stops");
  assert.match(result.stdout, /^::error title=staging preview::the repository secret PULUMI_CONFIG_PASSPHRASE_STAGING is not set/m);
  assert.match(result.summary, /`PULUMI_CONFIG_PASSPHRASE_STAGING` is not set/);
});

test("prod runs with a self-hosted runner or an SSH key, and is skipped with the reason without either", () => {
  const base = { FORK: "false", HAS_PASSPHRASE: "true" };
  assert.equal(gate("prod", { ...base, HAS_SSH_KEY: "false", PROD_RUNNER: "prod-net" }).output, "run=true\n");
  assert.equal(gate("prod", { ...base, HAS_SSH_KEY: "true", PROD_RUNNER: "" }).output, "run=true\n");
  const neither = gate("prod", { ...base, HAS_SSH_KEY: "false", PROD_RUNNER: "" });
  assert.equal(neither.code, 0);
  assert.equal(neither.output, "run=false\n");
  assert.match(neither.summary, /neither the variable PROD_PREVIEW_RUNNER \(a self-hosted runner inside the network\) nor the secret SSH_PRIVATE_KEY_PROD/);
  // staging never needs either.
  assert.equal(gate("staging", { ...base, HAS_SSH_KEY: "false", PROD_RUNNER: "" }).output, "run=true\n");
});

const bastionKey = "bastion.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIChzZfNGvYKZsAaQ7RkwavR7VIAichaTppPNSAq4KZAe";

function prodSsh(home: string, env: Record<string, string>) {
  return spawnSync("bash", [join(repoRoot, "scripts/ci/prod-ssh.sh")], { env: { PATH: process.env.PATH ?? "", HOME: home, ...env }, encoding: "utf8" });
}

/** OpenSSH's own reading of the config for HOST (`ssh -G`), as the project's ssh commands see it. */
function sshConfig(home: string, host: string): Map<string, string> {
  const result = spawnSync("ssh", ["-F", join(home, ".ssh/config"), "-G", host], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  assert.equal(result.status, 0, result.stderr);
  return new Map(result.stdout.split("\n").filter(Boolean).map((line) => [line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1)]));
}

test("prod SSH: the key lands in the inventory's file, private, and is never printed", () => {
  withDir((home) => {
    const result = prodSsh(home, { SSH_PRIVATE_KEY: "-----BEGIN OPENSSH PRIVATE KEY-----\nplanted-key-text\n-----END OPENSSH PRIVATE KEY-----" });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(readFileSync(join(home, ".ssh/id_ed25519"), "utf8"), "-----BEGIN OPENSSH PRIVATE KEY-----\nplanted-key-text\n-----END OPENSSH PRIVATE KEY-----\n");
    assert.equal(statSync(join(home, ".ssh/id_ed25519")).mode & 0o777, 0o600);
    assert.doesNotMatch(result.stdout + result.stderr, /planted-key-text/);
  });
});

test("prod SSH through a bastion: ProxyJump for the managers, the bastion's key pinned, no prompt", { skip: spawnSync("ssh", ["-V"]).status === 0 ? false : "OpenSSH's ssh client is not installed" }, () => {
  withDir((home) => {
    const result = prodSsh(home, { SSH_BASTION: "jump@bastion.example.com:2222", SSH_BASTION_HOST_KEY: bastionKey });
    assert.equal(result.status, 0, result.stderr);
    const manager = sshConfig(home, "192.0.2.11");
    assert.equal(manager.get("proxyjump"), "jump@bastion.example.com:2222");
    const bastion = sshConfig(home, "bastion.example.com");
    assert.equal(bastion.get("proxyjump"), undefined, "the bastion is reached directly");
    assert.equal(bastion.get("batchmode"), "yes");
    assert.equal(bastion.get("stricthostkeychecking"), "true");
    assert.equal(readFileSync(join(home, ".ssh/known_hosts"), "utf8"), `${bastionKey}\n`);
  });
});

test("prod SSH: a bastion without its host key is refused with what to set", () => {
  withDir((home) => {
    const result = prodSsh(home, { SSH_BASTION: "jump@bastion.example.com" });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /^error: PROD_SSH_BASTION is set without PROD_SSH_BASTION_HOST_KEY$/m);
    assert.match(result.stderr, /next: set the variable PROD_SSH_BASTION_HOST_KEY/);
  });
});
