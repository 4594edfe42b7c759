// The command plugin the toolchain builds (scripts/toolchain/command-provider) behaves as
// the published pulumi-command 1.2.1, driven by the real engine through @pulumi/command's
// own SDK:
//   - its schema has exactly the properties, required outputs, enum values and
//     replace-on-change inputs that the published SDK (generated from the published
//     schema) was built for;
//   - what runs when (create, update, replace on trigger, delete, previews run nothing)
//     and the outputs (trimmed stdout, previous outputs in the environment); stdout and
//     stderr are NOT secret because an input is (the environment, say): a command whose
//     output holds a secret asks for it with `additionalSecretOutputs`;
//   - `logging` decides which streams reach the engine's output, and by default both do,
//     secret inputs or not: the published provider hides nothing by itself;
//   - a failed command's error carries the command text and its output as they are,
//     with nothing masked.
// The last two are why the product's secret-bearing steps choose `logging` and keep
// secrets out of command text and output (see the cluster tests).
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import ts from "typescript";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { inlineStack, pluginVersion, projectEnv, repoRoot, toolchainMissing } from "./pulumi-toolchain.ts";

const run = promisify(execFile);

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

/** Property names of an interface or class in a .d.ts, with whether each may be undefined. */
function declaredProperties(file: string, name: string): Map<string, boolean> {
  const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? "", ts.ScriptTarget.Latest, true);
  const properties = new Map<string, boolean>();
  const visit = (node: ts.Node) => {
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === name) {
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) && !ts.isPropertyDeclaration(member)) continue;
        if (member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
        const memberName = member.name.getText(source);
        if (memberName.startsWith("__")) continue;
        const optional = member.questionToken !== undefined || /\|\s*undefined\b/.test(member.type?.getText(source) ?? "");
        properties.set(memberName, optional);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return properties;
}

interface SchemaObject {
  properties?: Record<string, { type?: string; $ref?: string; items?: { type?: string } }>;
  required?: string[];
  inputProperties?: Record<string, { type?: string; $ref?: string; replaceOnChanges?: boolean }>;
  requiredInputs?: string[];
}

test("the schema is the published 1.2.1's: local:Command and local:run with the SDK's properties, required outputs, Logging values and triggers replacing", { timeout: 180_000 }, async (t) => {
  const env = await projectEnv();
  const reason = await toolchainMissing(env, ["command"]);
  if (reason) return t.skip(reason);
  const version = await pluginVersion("@pulumi/command");
  assert.equal(version, "1.2.1");
  const { stdout } = await run("pulumi", ["package", "get-schema", `command@${version}`], { env, maxBuffer: 32 << 20 });
  const schema = JSON.parse(stdout) as {
    name: string;
    version: string;
    resources: Record<string, SchemaObject>;
    functions: Record<string, { inputs: SchemaObject; outputs: SchemaObject }>;
    types: Record<string, { type: string; enum?: { value: string }[] }>;
  };
  assert.equal(schema.name, "command");
  assert.equal(schema.version, version);
  // This build serves the local resource and function; the published one also serves the
  // remote resources (remote:Command, remote:CopyToRemote, remote:CopyFile).
  const published = ["command:local:Command", "command:remote:Command", "command:remote:CopyFile", "command:remote:CopyToRemote"];
  assert.ok(Object.keys(schema.resources).includes("command:local:Command"));
  for (const token of Object.keys(schema.resources)) assert.ok(published.includes(token), `${token} is a published resource`);
  assert.deepEqual(Object.keys(schema.functions), ["command:local:run"]);

  const sdk = join(repoRoot, "node_modules/@pulumi/command/local");
  const commandSchema = schema.resources["command:local:Command"];
  const args = declaredProperties(join(sdk, "command.d.ts"), "CommandArgs");
  assert.deepEqual(Object.keys(commandSchema.inputProperties ?? {}).sort(), [...args.keys()].sort());
  assert.deepEqual(commandSchema.requiredInputs ?? [], [...args].filter(([, optional]) => !optional).map(([name]) => name));
  const outputs = declaredProperties(join(sdk, "command.d.ts"), "Command");
  assert.deepEqual(Object.keys(commandSchema.properties ?? {}).sort(), [...outputs.keys()].sort());
  assert.deepEqual((commandSchema.required ?? []).sort(), [...outputs].filter(([, optional]) => !optional).map(([name]) => name).sort());
  assert.equal(commandSchema.inputProperties?.triggers?.replaceOnChanges, true);
  assert.equal(commandSchema.inputProperties?.logging?.$ref, "#/types/command:local:Logging");
  assert.deepEqual(schema.types["command:local:Logging"].enum?.map((e) => e.value), ["stdout", "stderr", "stdoutAndStderr", "none"]);
  assert.deepEqual(Object.values(command.types.enums.local.Logging).sort(), ["none", "stderr", "stdout", "stdoutAndStderr"]);

  const runSchema = schema.functions["command:local:run"];
  const runArgs = declaredProperties(join(sdk, "run.d.ts"), "RunArgs");
  assert.deepEqual(Object.keys(runSchema.inputs.properties ?? {}).sort(), [...runArgs.keys()].sort());
  assert.deepEqual(runSchema.inputs.required ?? [], [...runArgs].filter(([, optional]) => !optional).map(([name]) => name));
  const runResult = declaredProperties(join(sdk, "run.d.ts"), "RunResult");
  assert.deepEqual(Object.keys(runSchema.outputs.properties ?? {}).sort(), [...runResult.keys()].sort());
  assert.deepEqual((runSchema.outputs.required ?? []).sort(), [...runResult].filter(([, optional]) => !optional).map(([name]) => name).sort());
});

test("command:local:Command runs create, update, replace on trigger and delete through the engine, shows both streams by default and masks nothing in errors", { timeout: 300_000 }, async (t) => {
  const secret = `s3cret-${randomBytes(6).toString("hex")}`;
  let inputs: Inputs = { create: "echo created-marker; echo stderr-marker >&2; printf %s \"$TOKEN\" | wc -c", trigger: "a", secret };
  const program = (marks: string) => async () => {
    const run = new command.local.Command("run", {
      create: inputs.create,
      update: inputs.update,
      delete: `touch ${marks}/deleted-$PULUMI_COMMAND_STDOUT_LINE1`,
      environment: { TOKEN: pulumi.secret(inputs.secret), PULUMI_COMMAND_STDOUT_LINE1: "run" },
      triggers: [inputs.trigger],
    });
    const plain = new command.local.Command("plain", { create: "echo plain-marker", interpreter: ["/bin/sh", "-c"] });
    return { stdout: run.stdout, stderr: run.stderr, runId: run.id, plain: plain.stdout };
  };
  await withStack(t, "test", program, async (stack, backendDir, marks) => {
    let output = "";
    const first = await stack.up({ onOutput: (line) => (output += line) });
    // Both streams of every command reach the engine's output, secret inputs or not.
    assert.match(output, /plain-marker/);
    assert.match(output, /created-marker/);
    assert.match(output, /stderr-marker/);
    assert.deepEqual(first.summary.resourceChanges, { create: 3 });
    // A secret input does not make the outputs secret; one trailing newline is trimmed.
    assert.equal(first.outputs.stdout.secret, false);
    assert.equal(first.outputs.stdout.value, `created-marker\n${secret.length}`);
    assert.equal(first.outputs.stderr.value, "stderr-marker");
    assert.equal(first.outputs.plain.secret, false);
    assert.equal(first.outputs.plain.value, "plain-marker");
    assert.match(String(first.outputs.runId.value), /^run[0-9a-f]{8}$/, "the id is the name and 8 hex digits");
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

    // A failing command fails the update with `<exit>: running "<command>":` and its
    // output, as they are: a secret in either shows in clear.
    const failing = "echo \"token is $TOKEN\" >&2; exit 3";
    inputs = { ...inputs, update: failing };
    await assert.rejects(stack.up(), (error: Error) => {
      assert.ok(error.message.includes(`exit status 3: running ${JSON.stringify(failing)}:`), "the error names the exit status and the command text");
      assert.ok(error.message.includes(`token is ${secret}`), "the error shows the output unmasked (the secret is not printed here)");
      return true;
    });

    await rm(join(marks, "deleted-run"));
    await stack.destroy();
    assert.ok((await readdir(marks)).includes("deleted-run"), "destroy ran the delete command");
  });
});

test("logging chooses the streams shown: none, stdout, stderr", { timeout: 300_000 }, async (t) => {
  const program = () => async () => {
    for (const logging of ["none", "stdout", "stderr"] as const) {
      new command.local.Command(`log-${logging}`, {
        create: `echo ${logging}-out-marker; echo ${logging}-err-marker >&2`,
        logging,
      });
    }
  };
  await withStack(t, "logging", program, async (stack) => {
    let output = "";
    await stack.up({ onOutput: (line) => (output += line) });
    assert.doesNotMatch(output, /none-out-marker|none-err-marker/);
    assert.match(output, /stdout-out-marker/);
    assert.doesNotMatch(output, /stdout-err-marker/);
    assert.match(output, /stderr-err-marker/);
    assert.doesNotMatch(output, /stderr-out-marker/);
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

test("command:local:run runs on every call and returns the trimmed output", { timeout: 300_000 }, async (t) => {
  const program = (marks: string) => async () => {
    const result = await command.local.run({ command: `echo call >> ${marks}/calls; echo run-output`, dir: marks });
    return { stdout: result.stdout };
  };
  await withStack(t, "invoke", program, async (stack, _backendDir, marks) => {
    const up = await stack.up();
    assert.equal(up.outputs.stdout.value, "run-output");
    await stack.up();
    assert.equal((await readFile(join(marks, "calls"), "utf8")).trim().split("\n").length, 2, "each `up` calls it once");
  });
});
