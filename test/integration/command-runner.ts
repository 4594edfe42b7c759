/**
 * Runs a program's `command.local.Command` resources for real without the Pulumi engine,
 * for machines where @pulumi/command's provider plugin cannot be installed (it is not
 * buildable offline). The program runs under the mock runtime (test/unit/graph/recorder.ts);
 * each command is executed the way the provider does it (interpreter + create or
 * update, stdin, the process environment plus `environment`, stdout and stderr with
 * one trailing newline removed) at the moment the runtime registers it, which is after
 * everything it depends on. Between runs it keeps the engine's bookkeeping: unchanged
 * inputs run nothing, changed inputs run the update, and resources that left the
 * program are deleted (their `delete` command) dependents first, as `pulumi up` and
 * `pulumi destroy` do.
 */
import { spawnSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
import { ResourceRecorder } from "../unit/graph/recorder.ts";

const COMMAND = "command:local:Command";

interface CommandState {
  inputs: Record<string, any>;
  outputs: { stdout: string; stderr: string };
  /** Names of the commands it depends on. */
  dependsOn: string[];
}

export interface RunSummary {
  created: string[];
  updated: string[];
  same: string[];
  deleted: string[];
  failed: { name: string; stderr: string }[];
}

export interface CommandRunnerOptions {
  project?: string;
  stack?: string;
  timeoutMs?: number;
  /** Sees each command's stderr as it finishes (scripts log their steps there). */
  onLog?: (name: string, stderr: string) => void;
}

export class CommandRunner {
  private readonly state = new Map<string, CommandState>();
  private readonly options: CommandRunnerOptions;

  constructor(options: CommandRunnerOptions = {}) {
    this.options = options;
  }

  get resources(): string[] {
    return [...this.state.keys()].sort();
  }

  inputsOf(name: string): Record<string, any> | undefined {
    return this.state.get(name)?.inputs;
  }

  private execute(name: string, command: string, inputs: Record<string, any>): { ok: boolean; stdout: string; stderr: string } {
    const [program, ...args] = (inputs.interpreter as string[] | undefined) ?? ["/bin/sh", "-c"];
    const stdin = typeof inputs.stdin === "string" && inputs.stdin.length > 0 ? inputs.stdin : "";
    const result = spawnSync(program, [...args, command], {
      input: stdin,
      encoding: "utf8",
      env: { ...process.env, ...(inputs.environment ?? {}) },
      timeout: this.options.timeoutMs ?? 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const stderr = (result.stderr ?? "").replace(/\n$/, "");
    this.options.onLog?.(name, stderr);
    return { ok: result.status === 0, stdout: (result.stdout ?? "").replace(/\n$/, ""), stderr };
  }

  /**
   * Runs `program` (which creates the resources and resolves once the outputs it needs
   * are known) and applies its commands; then deletes what the program no longer has.
   */
  async up(program: () => Promise<unknown>): Promise<RunSummary> {
    const summary: RunSummary = { created: [], updated: [], same: [], deleted: [], failed: [] };
    const seen = new Set<string>();
    const recorder = ResourceRecorder.install({
      project: this.options.project,
      stack: this.options.stack,
      outputs: (type, name, inputs) => {
        if (type !== COMMAND) return {};
        seen.add(name);
        const previous = this.state.get(name);
        if (previous && isDeepStrictEqual(previous.inputs, inputs)) {
          summary.same.push(name);
          return previous.outputs;
        }
        const command = previous && inputs.update ? inputs.update : inputs.create;
        const run = command === undefined ? { ok: true, stdout: "", stderr: "" } : this.execute(name, command, inputs);
        if (!run.ok) {
          summary.failed.push({ name, stderr: run.stderr });
          // A failed create is not recorded; a failed update keeps the previous state.
          return { stdout: "", stderr: run.stderr };
        }
        const outputs = { stdout: run.stdout, stderr: run.stderr };
        this.state.set(name, { inputs, outputs, dependsOn: previous?.dependsOn ?? [] });
        (previous ? summary.updated : summary.created).push(name);
        return outputs;
      },
    });
    // A failed step fails the outputs that depend on it, as it would stop `pulumi up`.
    const onRejection = (reason: unknown) => summary.failed.push({ name: "program", stderr: String((reason as Error)?.message ?? reason) });
    process.on("unhandledRejection", onRejection);
    try {
      await program().catch(onRejection);
      await recorder.settle();
      for (const resource of recorder.ofType(COMMAND)) {
        const state = this.state.get(resource.name);
        if (!state) continue;
        state.dependsOn = resource.dependencies
          .map((urn) => recorder.resources.find((r) => r.urn === urn))
          .filter((r) => r?.type === COMMAND)
          .map((r) => r!.name);
      }
    } finally {
      recorder.dispose();
      process.off("unhandledRejection", onRejection);
    }
    if (summary.failed.length === 0) {
      const gone = [...this.state.keys()].filter((name) => !seen.has(name));
      summary.deleted = this.delete(gone, summary);
    }
    return summary;
  }

  /** Deletes every resource, dependents first, as `pulumi destroy` does. */
  destroy(): RunSummary {
    const summary: RunSummary = { created: [], updated: [], same: [], deleted: [], failed: [] };
    summary.deleted = this.delete([...this.state.keys()], summary);
    return summary;
  }

  private delete(names: string[], summary: RunSummary): string[] {
    const pending = new Set(names);
    const deleted: string[] = [];
    while (pending.size > 0) {
      // Ready: no other pending resource depends on it.
      const ready = [...pending].filter((name) => ![...pending].some((other) => this.state.get(other)!.dependsOn.includes(name)));
      if (ready.length === 0) throw new Error(`dependency cycle among ${[...pending].join(", ")}`);
      for (const name of ready.sort()) {
        const state = this.state.get(name)!;
        if (state.inputs.delete !== undefined) {
          const run = this.execute(name, state.inputs.delete, state.inputs);
          if (!run.ok) {
            summary.failed.push({ name, stderr: run.stderr });
            return deleted;
          }
        }
        this.state.delete(name);
        pending.delete(name);
        deleted.push(name);
      }
    }
    return deleted;
  }
}
