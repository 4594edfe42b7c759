/**
 * One-shot jobs: what the Job resource runs on each target, that it changes exactly when
 * the job's inputs change, and how the scripts behave when the job succeeds or fails
 * (run against a stand-in `docker` that records its arguments and plays back answers).
 */
import type { Target } from "../../../infra/graph/targets/target.ts";
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadComposeText } from "./load-text.ts";
import { deploy, type Deployed } from "./deploy.ts";
import { defaultProviderOutputs } from "./recorder.ts";
import { contentHash } from "../../../infra/graph/naming.ts";
import { SSH_OPTIONS_VARIABLE, SSH_WRAPPER_PRELUDE } from "../../../infra/graph/docker-cli.ts";

const COMPOSE = `
services:
  db:
    image: example/db:1
    healthcheck:
      test: ["CMD", "true"]
  migrate:
    image: example/migrate:1
    command: ["migrate", "--all"]
    environment:
      DB_HOST: db
    secrets:
      - owner_password
      - source: token
        target: api/token
        uid: "70"
        mode: 0400
    depends_on:
      db:
        condition: service_healthy
  app:
    image: example/app:1
    secrets: [token]
    depends_on:
      migrate:
        condition: service_completed_successfully
secrets:
  owner_password:
    file: ./owner.txt
  token:
    environment: API_TOKEN
`;

function project(owner = "owner-secret") {
  return loadComposeText(COMPOSE, { "owner.txt": owner });
}

async function deployJob(target: Target, owner = "owner-secret", token = "token-secret"): Promise<Deployed> {
  return deploy("demo", project(owner), target, { environment: { API_TOKEN: token } });
}

describe("a job on one engine", () => {
  let d: Deployed;
  before(async () => {
    d = await deployJob("engine");
  });
  const run = () => d.recorder.get("command:local:Command", "demo-migrate");

  test("is a Job component with one command, after db and before app", () => {
    assert.ok(d.children.includes("compose:job:Job demo-migrate"));
    assert.ok(d.recorder.dependencyNames(run()).includes("docker:index/container:Container demo-db-1"));
    assert.ok(d.recorder.dependencyNames(d.recorder.get("docker:index/container:Container", "demo-app-1")).includes("command:local:Command demo-migrate"));
    assert.equal(d.recorder.get("docker:index/container:Container", "demo-db-1").inputs.wait, true);
  });

  test("creates the container compose would, mounts the file secret and copies the other in", () => {
    const create: string = run().inputs.create;
    const dockerCreate = create.split("\n").find((line) => line.startsWith("docker create"))!;
    assert.match(dockerCreate, /^docker create --name demo-migrate-1 --label com\.docker\.compose\.config-hash=[0-9a-f]+ --label com\.docker\.compose\.container-number=1 --label com\.docker\.compose\.depends_on=db:service_healthy:false --label com\.docker\.compose\.oneoff=False --label com\.docker\.compose\.project=demo --label com\.docker\.compose\.service=migrate --network demo_default --network-alias migrate --env DB_HOST=db --mount type=bind,source=\/\S+\/owner\.txt,target=\/run\/secrets\/owner_password,readonly sha256:[0-9a-f]{64} migrate --all >\/dev\/null$/);
    assert.ok(create.startsWith(`set -eu\nIFS= read -r JOB_FILE_0\n`), "the copied content is read from stdin before any command runs");
    assert.ok(create.includes(`printf '%s' "$JOB_FILE_0" | base64 -d > "$files"/run/secrets/api/token`));
    assert.ok(create.includes(`chmod 400 "$files"/run/secrets/api/token`));
    assert.ok(create.includes(`--owner=70 --group=0`));
    assert.ok(create.endsWith(`if docker start -a "$name"; then exit 0; fi\ncode=$(docker inspect --format '{{.State.ExitCode}}' "$name" 2>/dev/null || echo unknown)\necho "job $name failed with exit code $code; its output is above" >&2\nexit 1\n`));
    assert.equal(run().inputs.delete, "docker rm -f demo-migrate-1 >/dev/null 2>&1 || true\n");
  });

  test("the copied secret travels on the command's stdin, which is secret, never in its text or environment", () => {
    assert.deepEqual(run().secretPaths, ["stdin"]);
    assert.equal(run().inputs.stdin, `${Buffer.from("token-secret").toString("base64")}\n`);
    const encoded = Buffer.from("token-secret").toString("base64");
    for (const text of [run().inputs.create, run().inputs.delete, JSON.stringify(run().inputs.environment)]) {
      assert.ok(!text.includes("token-secret"));
      assert.ok(!text.includes(encoded));
    }
  });

  test("re-runs only when its inputs change", async () => {
    const model = project();
    const createOf = async (token: string) =>
      (await deploy("demo", model, "engine", { environment: { API_TOKEN: token } })).recorder.get("command:local:Command", "demo-migrate").inputs;
    const first = await createOf("token-secret");
    const again = await createOf("token-secret");
    assert.equal(again.create, first.create);
    assert.equal(again.stdin, first.stdin);
    fs.writeFileSync(model.secrets!.owner_password.file!, "rotated-owner-secret");
    const rotated = await createOf("token-secret");
    assert.notEqual(rotated.create, first.create);
    assert.ok(rotated.create.includes(`secret.owner_password=${contentHash("rotated-owner-secret")}`));
    const newToken = await createOf("new-token");
    assert.notEqual(newToken.stdin, rotated.stdin);
  });
});

describe("a job on a swarm", () => {
  let d: Deployed;
  before(async () => {
    d = await deployJob("swarm");
  });
  const run = () => d.recorder.get("command:local:Command", "demo-migrate");

  test("is a replicated-job service using the hashed secret names", () => {
    const create: string = run().inputs.create;
    const line = create.split("\n").find((l) => l.startsWith("docker service create"))!;
    const owner = `demo_owner_password-${contentHash("owner-secret")}`;
    const token = `demo_token-${contentHash("token-secret")}`;
    // The manager resolves the tag to a digest, as for a service: the job runs exactly that image.
    const repoDigest = String(defaultProviderOutputs("docker:index/remoteImage:RemoteImage", "demo-migrate", { name: "example/migrate:1" }).repoDigest);
    assert.equal(
      line,
      `docker service create --detach --quiet --name demo_migrate --mode replicated-job --restart-condition none --replicas 1 ` +
        `--label com.docker.stack.image=example/migrate:1 --label com.docker.stack.namespace=demo --container-label com.docker.stack.namespace=demo ` +
        `--network name=demo_default,alias=migrate --env DB_HOST=db ` +
        `--secret source=${owner},target=owner_password,uid=0,gid=0,mode=0444 --secret source=${token},target=api/token,uid=70,gid=0,mode=0400 ` +
        `example/migrate:1@${repoDigest.split("@")[1]} migrate --all >/dev/null`,
    );
    assert.ok(d.recorder.dependencyNames(run()).includes("docker:index/secret:Secret demo-owner_password"));
    assert.ok(d.recorder.dependencyNames(run()).includes("docker:index/secret:Secret demo-token"));
  });
});

describe("a job on a swarm reached over ssh", () => {
  const flags = ["-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=/keys/known_hosts"];
  let d: Deployed;
  before(async () => {
    d = await deploy("demo", project(), "swarm", {
      environment: { API_TOKEN: "token-secret" },
      dockerHost: "ssh://root@10.0.0.11:22",
      dockerSshOptions: flags,
    });
  });

  test("runs the docker CLI with the provider's ssh flags", () => {
    const run = d.recorder.get("command:local:Command", "demo-migrate");
    assert.ok(String(run.inputs.create).startsWith(`${SSH_WRAPPER_PRELUDE}\n`), "the run script starts with the ssh wrapper");
    assert.ok(String(run.inputs.delete).startsWith(`${SSH_WRAPPER_PRELUDE}\n`), "so does the remove script");
    assert.equal(run.inputs.environment.DOCKER_HOST, "ssh://root@10.0.0.11:22");
    assert.equal(run.inputs.environment[SSH_OPTIONS_VARIABLE], "-o StrictHostKeyChecking=yes -o UserKnownHostsFile=/keys/known_hosts");
  });
});

/** A stand-in `docker` on PATH: logs each call, answers from files in its directory. */
function fakeDocker(dir: string, answers: { startExit?: number; psStates?: string[] }): void {
  const script = `#!/bin/sh
echo "$*" >> "${dir}/calls"
case "$1 $2" in
  "start -a") echo "job output line"; exit ${answers.startExit ?? 0} ;;
  "inspect --format") echo ${answers.startExit ?? 0} ;;
  "service inspect") [ -f "${dir}/service-exists" ] && exit 0; exit 1 ;;
  "service create") touch "${dir}/service-exists" ;;
  "service ps")
    case "$3" in --format) n=$(cat "${dir}/polls" 2>/dev/null || echo 0); echo $((n+1)) > "${dir}/polls"
      sed -n "$((n+1))p" "${dir}/states" | tr ',' '\\n' ;; *) echo "ID NAME ERROR task failed: exit 3" ;; esac ;;
  "service logs") echo "swarm job log line" ;;
esac
exit 0
`;
  fs.writeFileSync(path.join(dir, "docker"), script, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, "states"), (answers.psStates ?? []).join("\n") + "\n");
}

function runScript(script: string, answers: { startExit?: number; psStates?: string[] }, env: Record<string, string> = {}, stdin = "") {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-docker-"));
  try {
    fakeDocker(dir, answers);
    const result = spawnSync("/bin/sh", ["-c", script.replace(/sleep \d+/g, "true")], {
      input: stdin,
      env: { ...process.env, ...env, PATH: `${dir}:${process.env.PATH}` },
      encoding: "utf8",
    });
    const calls = fs.existsSync(path.join(dir, "calls")) ? fs.readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n") : [];
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("job scripts against a stand-in docker CLI", () => {
  let engine: Deployed;
  let swarm: Deployed;
  before(async () => {
    engine = await deployJob("engine");
    swarm = await deployJob("swarm");
  });
  const script = (d: Deployed) => d.recorder.get("command:local:Command", "demo-migrate").inputs;

  test("engine: exit 0 succeeds and streams the output", () => {
    const inputs = script(engine);
    const result = runScript(inputs.create, { startExit: 0 }, inputs.environment, inputs.stdin);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /job output line/);
    assert.deepEqual(result.calls.map((c) => c.split(" ").slice(0, 2).join(" ")), ["rm -f", "create --name", "cp -", "start -a"]);
  });

  test("engine: a non-zero exit fails with the output and the exit code", () => {
    const inputs = script(engine);
    const result = runScript(inputs.create, { startExit: 3 }, inputs.environment, inputs.stdin);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /job output line/);
    assert.match(result.stderr, /job demo-migrate-1 failed with exit code 3; its output is above/);
  });

  test("swarm: waits until every task completed, then prints the logs", () => {
    const result = runScript(script(swarm).create, { psStates: ["Preparing", "Running", "Complete"] });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /swarm job log line/);
    assert.equal(result.calls.filter((c) => c.startsWith("service ps --format")).length, 3);
  });

  test("swarm: a failed task fails the job with the task error and the logs", () => {
    const result = runScript(script(swarm).create, { psStates: ["Running", "Failed"] });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /job demo_migrate failed: a task did not complete/);
    assert.match(result.stderr, /task failed: exit 3/);
    assert.match(result.stderr, /swarm job log line/);
  });

  test("the scripts are valid POSIX shell", () => {
    for (const d of [engine, swarm]) execFileSync("/bin/sh", ["-n", "-c", script(d).create]);
  });
});
