// The docker CLI reaches a cluster's manager with the same ssh flags as the docker
// provider: checked here with a stand-in `ssh` on PATH that records its arguments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { dockerCliEnvironment, dockerCliProcessEnvironment, missingSshOptionsHint, SSH_OPTIONS_VARIABLE, withSshWrapper } from "../../../infra/graph/docker-cli.ts";

const exec = promisify(execFile);
const FLAGS = ["-o", "UserKnownHostsFile=/keys/known hosts", "-o", "StrictHostKeyChecking=yes", "-i", "/keys/id"];

/** A folder with an `ssh` that writes each argument on its own line to `log`. */
async function recordingSsh(): Promise<{ dir: string; log: string }> {
  const dir = await mkdtemp(join(tmpdir(), "cp-fake-ssh-"));
  const log = join(dir, "log");
  await writeFile(join(dir, "ssh"), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > ${log}\n`);
  await chmod(join(dir, "ssh"), 0o755);
  return { dir, log };
}

test("the environment carries ssh flags only for an ssh:// host", () => {
  assert.deepEqual(dockerCliEnvironment(undefined, FLAGS), {});
  assert.deepEqual(dockerCliEnvironment("unix:///run/docker.sock", FLAGS), { DOCKER_HOST: "unix:///run/docker.sock" });
  assert.deepEqual(dockerCliEnvironment("ssh://root@10.0.0.1:22"), { DOCKER_HOST: "ssh://root@10.0.0.1:22" });
  assert.equal(
    dockerCliEnvironment("ssh://root@10.0.0.1:22", FLAGS)[SSH_OPTIONS_VARIABLE],
    "-o 'UserKnownHostsFile=/keys/known hosts' -o StrictHostKeyChecking=yes -i /keys/id",
  );
});

test("a script with the prelude runs ssh with the flags before the docker CLI's own arguments", async () => {
  const fake = await recordingSsh();
  try {
    const script = withSshWrapper("ssh -l root 10.0.0.1 docker system dial-stdio", FLAGS);
    await exec("/bin/sh", ["-c", script], {
      env: { PATH: `${fake.dir}:/usr/bin:/bin`, TMPDIR: fake.dir, ...dockerCliEnvironment("ssh://root@10.0.0.1:22", FLAGS) },
    });
    assert.deepEqual((await readFile(fake.log, "utf8")).trim().split("\n"), [...FLAGS, "-l", "root", "10.0.0.1", "docker", "system", "dial-stdio"]);
    assert.equal(withSshWrapper("docker ps", []), "docker ps", "no flags: the script is unchanged");
  } finally {
    await rm(fake.dir, { recursive: true, force: true });
  }
});

test("a process environment puts the same wrapper first on PATH", async () => {
  const fake = await recordingSsh();
  try {
    const env = await dockerCliProcessEnvironment({ PATH: `${fake.dir}:/usr/bin:/bin` }, "ssh://root@10.0.0.1:22", FLAGS);
    await exec("ssh", ["-T", "host"], { env });
    assert.deepEqual((await readFile(fake.log, "utf8")).trim().split("\n"), [...FLAGS, "-T", "host"]);
    const plain = await dockerCliProcessEnvironment({ PATH: "/usr/bin" }, "unix:///run/docker.sock", FLAGS);
    assert.equal(plain.PATH, "/usr/bin");
  } finally {
    await rm(fake.dir, { recursive: true, force: true });
  }
});

test("a CLI step refused by an ssh host without the provider's flags says to pass dockerSshOptions", () => {
  const refused = "error during connect: ... stderr=Host key verification failed.";
  assert.match(missingSshOptionsHint("ssh://root@10.0.0.1:22", undefined, refused), /give ComposeProject dockerSshOptions/);
  assert.equal(missingSshOptionsHint("ssh://root@10.0.0.1:22", ["-o", "UserKnownHostsFile=/k"], refused), "");
  assert.equal(missingSshOptionsHint("unix:///var/run/docker.sock", undefined, refused), "");
  assert.equal(missingSshOptionsHint("ssh://root@10.0.0.1:22", undefined, "no such service: x"), "");
});
