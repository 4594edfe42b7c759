/**
 * The local shell around each bootstrap step, run for real against a stand-in `ssh`
 * (and `ssh-keyscan`) that records every call and plays back the answers of hosts that
 * are up, down, or present the wrong key: which host each script reaches, with the
 * pinned-key options, and the decisions of a node's removal.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { bootstrapScript } from "../../../infra/hosts/bootstrap/index.ts";
import { deriveHostKey, publicKeyWithoutComment } from "../../../infra/hosts/host-key.ts";
import { dockerSshHost, dockerSshOptions, knownHostsLines, pinnedHostKeyOptions, sshOptions, type SshTarget } from "../../../infra/hosts/ssh.ts";
import {
  nodeRemovalCommand,
  parseRecordedHostKeys,
  recordHostKeysCommand,
  scriptOnTargetCommand,
  SWARM_PROBE_COMMAND,
} from "../../../infra/hosts/swarm-steps.ts";

const KEY = (name: string) => publicKeyWithoutComment(deriveHostKey("s".repeat(40), name).publicKey);

function target(name: string, address: string, extra: Partial<SshTarget> = {}): SshTarget {
  return {
    name,
    address,
    port: 22,
    user: "root",
    auth: { kind: "keyFile", path: "/keys/id" },
    hostKeys: [`${KEY(name)} ${name}@example`],
    connectTimeoutSeconds: 0,
    ...extra,
  };
}

const NODE = target("node4", "10.0.0.14");
const M1 = target("node1", "10.0.0.11");
const M2 = target("node2", "10.0.0.12");

// Stand-in ssh: records `<address> <what ran>`; behaviour per address from the environment.
const FAKE_SSH = `#!/bin/sh
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  [ "$1" = "-i" ] && printf '%s\\n' "$2" >>"$FAKE_DIR/identity-files" && [ -f "$2" ] && cat "$2" >>"$FAKE_DIR/identity-contents"
  printf '%s\\n' "$1" >>"$FAKE_DIR/args"
  shift
done
shift
addr=$1
shift
key=$(printf '%s' "$addr" | tr '.' '_')
eval "down=\\\${DOWN_$key:-}"
eval "badkey=\\\${BADKEY_$key:-}"
eval "probe=\\\${PROBE_$key:-}"
eval "fail=\\\${FAIL_$key:-}"
if [ -n "$badkey" ]; then echo "Host key verification failed." >&2; exit 255; fi
if [ -n "$down" ]; then echo "ssh: connect to host $addr port 22: Connection refused" >&2; exit 255; fi
case "$*" in
  true) echo "$addr login" >>"$FAKE_DIR/log"; exit 0 ;;
  "sh -s")
    script=$(cat)
    name=$(printf '%s\\n' "$script" | sed -n 's/^# bootstrap: //p')
    inputs=$(printf '%s\\n' "$script" | grep -E '^SWARM_(NODE|LEAVE_FORCE|NODE_RM_FORCE|NODE_LABELS)=' | tr '\\n' ' ')
    echo "$addr $name $inputs" | sed 's/ *$//' >>"$FAKE_DIR/log"
    case " $fail " in *" $name "*) echo '{"ok":false,"error":"stand-in failure"}'; exit 1 ;; esac
    echo "{\\"ok\\":true,\\"ran\\":\\"$name\\"}" ;;
  *)
    if [ "$*" = "$PROBE_COMMAND" ]; then
      echo "$addr probe" >>"$FAKE_DIR/log"
      [ -n "$probe" ] || exit 1
      echo "$probe"
    else
      echo "$addr run $*" >>"$FAKE_DIR/log"
    fi ;;
esac
`;

const FAKE_KEYSCAN = `#!/bin/sh
echo "# $* SSH-2.0-OpenSSH" >&2
[ -n "\${SCAN_KEYS:-}" ] || exit 1
printf '%s\\n' "$SCAN_KEYS"
`;

let dir = "";
before(() => {
  dir = mkdtempSync(join(tmpdir(), "swarm-steps-"));
  writeFileSync(join(dir, "ssh"), FAKE_SSH);
  writeFileSync(join(dir, "ssh-keyscan"), FAKE_KEYSCAN);
  chmodSync(join(dir, "ssh"), 0o755);
  chmodSync(join(dir, "ssh-keyscan"), 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function runLocal(script: string, options: { stdin?: string; env?: Record<string, string> } = {}) {
  for (const file of ["log", "args", "identity-files", "identity-contents"]) rmSync(join(dir, file), { force: true });
  const r = spawnSync("/bin/sh", ["-c", script], {
    input: options.stdin ?? "",
    encoding: "utf8",
    env: { PATH: `${dir}:/usr/bin:/bin`, FAKE_DIR: dir, PROBE_COMMAND: SWARM_PROBE_COMMAND, ...options.env },
    timeout: 30_000,
  });
  const read = (file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8").trimEnd().split("\n") : []);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, log: read("log"), args: read("args"), identityFiles: read("identity-files"), identityContents: read("identity-contents") };
}

describe("ssh options", () => {
  it("pin the inventory's keys under the host's alias and switch off every other source of known hosts", () => {
    assert.deepEqual(knownHostsLines(M1), [`node1 ${KEY("node1")}`]);
    assert.deepEqual(pinnedHostKeyOptions(M1), [
      "-o", "StrictHostKeyChecking=yes",
      "-o", "UserKnownHostsFile=/dev/null",
      "-o", "GlobalKnownHostsFile=/dev/null",
      "-o", "CheckHostIP=no",
      "-o", "HostKeyAlias=node1",
      "-o", `KnownHostsCommand=/usr/bin/printf %%s\\n 'node1 ${KEY("node1")}'`,
    ]);
    assert.deepEqual(sshOptions(M1).slice(-8), ["-o", "IdentitiesOnly=yes", "-i", "/keys/id", "-p", "22", "-l", "root"]);
    assert.ok(!sshOptions({ ...M1, auth: { kind: "agent" } }).includes("-i"));
  });

  it("refuse a host without a key to pin, or a key that is not one", () => {
    assert.throws(() => pinnedHostKeyOptions({ name: "x", hostKeys: [] }), /^Error: host x: no host key to pin$/);
    assert.throws(() => knownHostsLines({ name: "x", hostKeys: ["ssh-ed25519 AAAA\$\$"] }), /is not a public key of the form "type base64"/);
  });

  it("give the docker provider an ssh:// host and the same pinning; a key given as text is refused", () => {
    assert.equal(dockerSshHost(M1), "ssh://root@10.0.0.11:22");
    assert.equal(dockerSshHost({ address: "2001:db8::1", port: 2222, user: "ops" }), "ssh://ops@[2001:db8::1]:2222");
    const opts = dockerSshOptions(M1);
    assert.ok(opts.includes("StrictHostKeyChecking=yes") && opts.includes("HostKeyAlias=node1"));
    assert.deepEqual(opts.slice(-4), ["-o", "IdentitiesOnly=yes", "-i", "/keys/id"]);
    assert.throws(() => dockerSshOptions({ ...M1, auth: { kind: "key", envVar: "K" } }), /give this host privateKeyPath or agent: true instead of privateKey/);
  });
});

describe("a bootstrap step", () => {
  it("waits for SSH, runs the readiness command, then the script from stdin, passing its result through", () => {
    const r = runLocal(scriptOnTargetCommand([M1], 0, "cloud-init status --wait"), { stdin: bootstrapScript("install-docker", {}) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '{"ok":true,"ran":"install-docker"}\n');
    assert.deepEqual(r.log, ["10.0.0.11 login", "10.0.0.11 run cloud-init status --wait", "10.0.0.11 install-docker"]);
    assert.ok(r.args.includes(`KnownHostsCommand=/usr/bin/printf %%s\\n 'node1 ${KEY("node1")}'`));
  });

  it("runs on the target it is given (a manager), not the first one", () => {
    const r = runLocal(scriptOnTargetCommand([NODE, M1], 1), { stdin: bootstrapScript("swarm-node-config", { SWARM_NODE: "abc", SWARM_NODE_LABELS: "zone=a" }) });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.log, ["10.0.0.11 login", "10.0.0.11 swarm-node-config SWARM_NODE='abc' SWARM_NODE_LABELS='zone=a'"]);
  });

  it("writes a key given as text to a private file only while it runs", () => {
    const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nstand-in\n-----END OPENSSH PRIVATE KEY-----";
    const r = runLocal(scriptOnTargetCommand([{ ...M1, auth: { kind: "key", envVar: "SWARM_SSH_KEY_0" } }], 0), {
      stdin: bootstrapScript("install-docker", {}),
      env: { SWARM_SSH_KEY_0: privateKey },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.identityFiles.length, 2, "the login check and the script both use the key");
    assert.deepEqual(r.identityContents.slice(0, 3), privateKey.split("\n"));
    for (const file of r.identityFiles) assert.equal(existsSync(file), false, `${file} is removed afterwards`);
  });

  it("stops at once on a refused host key, and after the timeout on an unreachable host", () => {
    const refused = runLocal(scriptOnTargetCommand([M1], 0), { env: { BADKEY_10_0_0_11: "1" } });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Host key verification failed\.\nswarm: refusing node1: its host key or our credentials were not accepted\n$/);
    assert.deepEqual(refused.log, []);
    const down = runLocal(scriptOnTargetCommand([M1], 0), { env: { DOWN_10_0_0_11: "1" } });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /Connection refused\nswarm: cannot reach node1 over SSH after 0 s\n$/);
  });

  it("fails with the script's failure", () => {
    const r = runLocal(scriptOnTargetCommand([M1], 0), { stdin: bootstrapScript("install-docker", {}), env: { FAIL_10_0_0_11: "install-docker" } });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '{"ok":false,"error":"stand-in failure"}\n');
  });
});

describe("removing a node", () => {
  const removal = (targets: SshTarget[]) => nodeRemovalCommand(targets, { nodeId: "n4id", waitSeconds: "30" });

  it("drains through the first manager that answers, then leaves, then node rm on that manager", () => {
    const r = runLocal(removal([NODE, M1, M2]), { env: { DOWN_10_0_0_11: "1", PROBE_10_0_0_12: "active true 3" } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.log, [
      "10.0.0.12 probe",
      "10.0.0.12 swarm-drain SWARM_NODE='n4id'",
      "10.0.0.14 swarm-leave",
      "10.0.0.12 swarm-node-rm SWARM_NODE='n4id'",
    ]);
    assert.match(r.stderr, /swarm: removing node4 from the swarm: drain, leave, node rm/);
  });

  it("skips a manager that answers but is not an active manager", () => {
    const r = runLocal(removal([NODE, M1, M2]), { env: { PROBE_10_0_0_11: "active false 0", PROBE_10_0_0_12: "active true 3" } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.log.slice(0, 3), ["10.0.0.11 probe", "10.0.0.12 probe", "10.0.0.12 swarm-drain SWARM_NODE='n4id'"]);
  });

  it("removes a host that no longer answers with node rm --force", () => {
    const r = runLocal(removal([NODE, M1]), { env: { PROBE_10_0_0_11: "active true 3", DOWN_10_0_0_14: "1" } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.log, [
      "10.0.0.11 probe",
      "10.0.0.11 swarm-drain SWARM_NODE='n4id'",
      "10.0.0.11 swarm-node-rm SWARM_NODE='n4id' SWARM_NODE_RM_FORCE='1'",
    ]);
    assert.match(r.stderr, /swarm: node4 does not answer over SSH; removing it from the node list without it leaving/);
  });

  it("stops when the node refuses to leave for another reason", () => {
    const r = runLocal(removal([NODE, M1]), { env: { PROBE_10_0_0_11: "active true 3", FAIL_10_0_0_14: "swarm-leave" } });
    assert.equal(r.code, 1);
    assert.deepEqual(r.log, ["10.0.0.11 probe", "10.0.0.11 swarm-drain SWARM_NODE='n4id'", "10.0.0.14 swarm-leave"]);
  });

  it("lets the last manager leave with --force, ending the swarm", () => {
    const r = runLocal(removal([M1]), { env: { PROBE_10_0_0_11: "active true 1" } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.log, ["10.0.0.11 probe", "10.0.0.11 swarm-leave SWARM_LEAVE_FORCE='1'"]);
    assert.match(r.stderr, /swarm: node1 is the last manager: the swarm ends with it/);
  });

  it("refuses to remove a manager while other managers exist but none answers", () => {
    const r = runLocal(removal([M1, M2]), { env: { DOWN_10_0_0_12: "1", PROBE_10_0_0_11: "active true 3" } });
    assert.equal(r.code, 1);
    assert.deepEqual(r.log, ["10.0.0.11 probe"]);
    assert.match(r.stderr, /no other manager of the swarm of node1 answers over SSH \(its state: active true 3\); it is not removed without being drained and demoted first/);
  });

  it("has nothing to do for a node in no swarm, and fails when nobody answers", () => {
    const inactive = runLocal(removal([NODE]), { env: { PROBE_10_0_0_14: "inactive false 0" } });
    assert.equal(inactive.code, 0, inactive.stderr);
    assert.match(inactive.stderr, /swarm: node4 is in no swarm; nothing to remove/);
    const nobody = runLocal(removal([NODE, M1]), { env: { DOWN_10_0_0_14: "1", DOWN_10_0_0_11: "1" } });
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /swarm: neither node4 nor any other manager answers over SSH; cannot remove node4 from its swarm/);
  });
});

describe("recording a host key at first use", () => {
  it("keeps the keys ssh-keyscan prints, and fails when none arrive in time", () => {
    const keys = `10.0.0.11 ${KEY("node1")}\n10.0.0.11 ${KEY("other")}`;
    const r = runLocal(recordHostKeysCommand("10.0.0.11", 22, 0), { env: { SCAN_KEYS: keys } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(parseRecordedHostKeys(r.stdout), [KEY("node1"), KEY("other")]);
    const none = runLocal(recordHostKeysCommand("10.0.0.11", 22, 0));
    assert.equal(none.code, 1);
    assert.match(none.stderr, /swarm: 10\.0\.0\.11 presented no SSH host key within 0 s/);
  });
});
