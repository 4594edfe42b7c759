// The command plugin the toolchain builds (scripts/toolchain/command-provider), driven by
// the real engine through @pulumi/command's own SDK: what runs when, what the outputs
// are, and that secrets stay secret in the state and in errors.
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { inlineStack, projectEnv, toolchainMissing } from "./pulumi-toolchain.ts";

interface Inputs {
  create: string;
  update?: string;
  trigger: string;
  secret: string;
}

/** Every file under the backend's stacks folder, concatenated: the stored state. */
async function storedState(backendDir: string): Promise<string> {
  const files = await readdir(backendDir, { recursive: true });
  const texts = await Promise.all(
    files.filter((f) => f.endsWith(".json")).map((f) => readFile(join(backendDir, f), "utf8").catch(() => "")),
  );
  return texts.join("\n");
}

/**
 * Runs `body` against a stack on a temporary backend whose program is `program(marks)`;
 * `marks` is a folder commands touch files in, so the test sees what ran. Skips when the
 * command plugin is missing; removes everything afterwards.
 */
async function withStack(
  t: TestContext,
  stackName: string,
  program: (marks: string) => () => Promise<Record<string, unknown> | void>,
  body: (stack: Stack, backendDir: string, marks: string) => Promise<void>,
): Promise<void> {
  const env = await projectEnv();
  const reason = await toolchainMissing(env, ["command"]);
  if (reason) {
    t.skip(reason);
    return;
  }
  const backendDir = await mkdtemp(join(tmpdir(), "cp-command-backend-"));
  const marks = await mkdtemp(join(tmpdir(), "cp-command-marks-"));
  const stack = await inlineStack(env, backendDir, "command-provider", stackName, program(marks));
  try {
    await body(stack, backendDir, marks);
  } finally {
    await stack.workspace.removeStack(stackName, { force: true }).catch(() => undefined);
    await rm(backendDir, { recursive: true, force: true });
    await rm(marks, { recursive: true, force: true });
  }
}

test("command:local:Command runs create, update, replace on trigger and delete through the engine", { timeout: 300_000 }, async (t) => {
  const secret = `s3cret-${randomBytes(6).toString("hex")}`;
  let inputs: Inputs = { create: "echo created-marker; printf %s \"$TOKEN\" | wc -c", trigger: "a", secret };
  const program = (marks: string) => async () => {
    const run = new command.local.Command("run", {
      create: inputs.create,
      update: inputs.update,
      delete: `touch ${marks}/deleted-$PULUMI_COMMAND_STDOUT_LINE1`,
      environment: { TOKEN: pulumi.secret(inputs.secret), PULUMI_COMMAND_STDOUT_LINE1: "run" },
      triggers: [inputs.trigger],
    });
    const plain = new command.local.Command("plain", { create: "echo plain-marker", interpreter: ["/bin/sh", "-c"] });
    return { stdout: run.stdout, runId: run.id, plain: plain.stdout };
  };
  await withStack(t, "test", program, async (stack, backendDir, marks) => {
    let output = "";
    const first = await stack.up({ onOutput: (line) => (output += line) });
    // Progress is streamed, except the stdout of a command with secret inputs.
    assert.match(output, /plain-marker/);
    assert.doesNotMatch(output, /created-marker/);
    assert.deepEqual(first.summary.resourceChanges, { create: 3 });
    // stdout is secret because an input is, and the trailing newline is trimmed.
    assert.equal(first.outputs.stdout.secret, true);
    assert.equal(first.outputs.stdout.value, `created-marker\n${secret.length}`);
    assert.equal(first.outputs.plain.secret, false);
    assert.equal(first.outputs.plain.value, "plain-marker");
    assert.ok(!(await storedState(backendDir)).includes(secret), "the secret is stored only encrypted");

    const again = await stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 3 }, "no input changed: nothing runs");

    // A changed command updates in place and sees the previous stdout.
    inputs = { ...inputs, update: "echo \"before: $PULUMI_COMMAND_STDOUT\" | head -n1" };
    const updated = await stack.up();
    assert.deepEqual(updated.summary.resourceChanges, { same: 2, update: 1 });
    assert.equal(updated.outputs.stdout.value, "before: created-marker");
    assert.equal(updated.outputs.runId.value, first.outputs.runId.value);

    // A changed trigger replaces: a new id, the old one's delete command runs.
    inputs = { ...inputs, trigger: "b" };
    const replaced = await stack.up();
    assert.equal(replaced.summary.resourceChanges?.replace, 1);
    assert.notEqual(replaced.outputs.runId.value, first.outputs.runId.value);
    assert.ok((await readdir(marks)).includes("deleted-run"), "the replaced command's delete ran");

    // A failing command fails the update with its output, with the secret redacted.
    inputs = { ...inputs, update: "echo \"token is $TOKEN\" >&2; exit 3" };
    await assert.rejects(stack.up(), (error: Error) => {
      assert.match(error.message, /exit status 3/);
      assert.match(error.message, /token is \[secret\]/);
      assert.ok(!error.message.includes(secret), "the secret does not reach the error");
      return true;
    });

    await rm(join(marks, "deleted-run"));
    await stack.destroy();
    assert.ok((await readdir(marks)).includes("deleted-run"), "destroy ran the delete command");
  });
});

test("a preview leaves stdout unknown and runs nothing", { timeout: 300_000 }, async (t) => {
  const program = (marks: string) => async () => {
    const run = new command.local.Command("run", { create: `touch ${marks}/ran; echo ran` });
    // An apply on an unknown stdout does not run in a preview.
    run.stdout.apply((out) => {
      if (!pulumi.runtime.isDryRun()) return out;
      throw new Error(`stdout known in preview: ${out}`);
    });
  };
  await withStack(t, "preview", program, async (stack, _backendDir, marks) => {
    const preview = await stack.preview();
    assert.equal(preview.changeSummary.create, 2);
    assert.deepEqual(await readdir(marks), [], "the preview ran no command");
  });
});
