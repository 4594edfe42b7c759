/**
 * Keys a one-shot job used to drop without a word: each now reaches the docker CLI line
 * that runs the job, or is a warning naming why it cannot.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadComposeText } from "./load-text.ts";
import { checkProject, formatGraphIssue } from "../../../infra/graph/warnings.ts";
import { commonRunFlags } from "../../../infra/graph/targets/shared/run-flags.ts";
import { engineJobFlags } from "../../../infra/graph/targets/engine/job-flags.ts";
import { swarmJobFlags } from "../../../infra/graph/targets/swarm/job-flags.ts";

const JOB = `
services:
  migrate:
    image: example/migrate:1
    deploy: {mode: replicated-job}
    privileged: true
    mem_limit: 64m
    ulimits: {nofile: {soft: 1024, hard: 2048}}
    dns: [10.0.0.2]
    dns_search: example.internal
    tty: true
    stdin_open: true
    gpus: [{driver: nvidia, device_ids: ["0", "1"], capabilities: [gpu, compute]}]
    sysctls: {net.core.somaxconn: 1024}
    tmpfs: [/scratch]
`;

const project = () => loadComposeText(JOB);

/** The values that follow each occurrence of `flag`. */
function valuesOf(words: string[], flag: string): string[] {
  return words.flatMap((word, index) => (word === flag ? [words[index + 1]] : []));
}

describe("one-shot job keys", () => {
  test("engine: docker create gets privileged, memory, ulimits, dns, tty, gpus, sysctls and tmpfs", () => {
    const service = project().services.migrate;
    const words = [...commonRunFlags(service), ...engineJobFlags(service)];
    assert.ok(words.includes("--privileged"));
    assert.ok(words.includes("--tty"));
    assert.deepEqual(valuesOf(words, "--memory"), ["64m"]);
    assert.deepEqual(valuesOf(words, "--memory-swap"), ["128m"]);
    assert.deepEqual(valuesOf(words, "--ulimit"), ["nofile=1024:2048"]);
    assert.deepEqual(valuesOf(words, "--dns"), ["10.0.0.2"]);
    assert.deepEqual(valuesOf(words, "--dns-search"), ["example.internal"]);
    assert.deepEqual(valuesOf(words, "--gpus"), ['driver=nvidia,"device=0,1","capabilities=gpu,compute"']);
    assert.deepEqual(valuesOf(words, "--sysctl"), ["net.core.somaxconn=1024"]);
    assert.deepEqual(valuesOf(words, "--tmpfs"), ["/scratch"]);
  });

  test("swarm: docker service create gets ulimits, dns, tty, sysctls and the tmpfs mount", () => {
    const service = project().services.migrate;
    const words = [...commonRunFlags(service), ...swarmJobFlags(service)];
    assert.ok(!words.includes("--privileged"));
    assert.deepEqual(valuesOf(words, "--ulimit"), ["nofile=1024:2048"]);
    assert.deepEqual(valuesOf(words, "--dns"), ["10.0.0.2"]);
    assert.ok(words.includes("--tty"));
    assert.deepEqual(valuesOf(words, "--mount"), ["type=tmpfs,target=/scratch"]);
  });

  test("engine: what docker create cannot take is warned, naming the job's key", () => {
    const warnings = checkProject(project(), { target: "engine" }).warnings.map(formatGraphIssue);
    assert.deepEqual(warnings, ["services.migrate.stdin_open: a job runs without its input attached; ignored"]);
  });

  test("swarm: the container-only keys are warned with docker service create's reason", () => {
    const warnings = checkProject(project(), { target: "swarm" }).warnings.map(formatGraphIssue);
    const reason = "is not supported by a one-shot job on the swarm target (docker service create cannot express it); ignored";
    assert.deepEqual([...warnings].sort(), [
      "services.migrate.gpus: " + reason,
      "services.migrate.mem_limit: is not supported on the swarm target (use deploy.resources; docker stack deploy ignores it too); ignored",
      "services.migrate.privileged: " + reason,
      "services.migrate.stdin_open: a job runs without its input attached; ignored",
    ]);
  });
});

describe("gpus on the engine target", () => {
  const warningsFor = (gpus: string) =>
    checkProject(loadComposeText(`services:\n  app:\n    image: example/app:1\n    gpus: ${gpus}\n`), { target: "engine" }).warnings.map(formatGraphIssue);

  test("`all` and one request for every GPU are converted without a warning", () => {
    assert.deepEqual(warningsFor("all"), []);
    assert.deepEqual(warningsFor("[{count: all}]"), []);
    assert.deepEqual(warningsFor("[{count: -1, capabilities: [gpu]}]"), []);
  });

  test("a device list the provider's container cannot take is a warning, not dropped", () => {
    assert.deepEqual(warningsFor("[{device_ids: ['0']}]"), [
      "services.app.gpus: a device list cannot be expressed on the engine target (the docker provider's container takes only `all`); ignored",
    ]);
  });
});
