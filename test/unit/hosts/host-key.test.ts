/** Host keys derived from a secret seed: stable, distinct per host, and read by OpenSSH. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { deriveHostKey, publicKeyWithoutComment } from "../../../infra/hosts/host-key.ts";
import { keyBlobMatchesType } from "../../../infra/hosts/inventory.ts";

const SEED = "0123456789abcdef0123456789abcdef";

describe("deriveHostKey", () => {
  it("gives the same key for the same seed and host, another for another host or seed", () => {
    const a = deriveHostKey(SEED, "node-1");
    assert.deepEqual(deriveHostKey(SEED, "node-1"), a);
    assert.notEqual(deriveHostKey(SEED, "node-2").publicKey, a.publicKey);
    assert.notEqual(deriveHostKey(`${SEED}x`, "node-1").publicKey, a.publicKey);
    assert.match(a.publicKey, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} node-1$/);
    assert.ok(keyBlobMatchesType(publicKeyWithoutComment(a.publicKey)));
    assert.match(a.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----\n([A-Za-z0-9+/=]{1,70}\n)+-----END OPENSSH PRIVATE KEY-----\n$/);
  });

  it("refuses a short seed", () => {
    assert.throws(() => deriveHostKey("short", "node-1"), /^Error: the host key seed must be at least 32 characters \(e\.g\. `openssl rand -hex 32`\)$/);
  });

  it("writes a private key OpenSSH reads back to the same public key", (t) => {
    if (spawnSync("ssh-keygen", ["-?"]).error) return t.skip("ssh-keygen is not installed");
    const dir = mkdtempSync(join(tmpdir(), "host-key-"));
    try {
      for (const name of ["node-1", "a-much-longer-host-name-that-changes-the-padding"]) {
        const key = deriveHostKey(SEED, name);
        const file = join(dir, name);
        writeFileSync(file, key.privateKey, { mode: 0o600 });
        const r = spawnSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout.trim(), key.publicKey);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
