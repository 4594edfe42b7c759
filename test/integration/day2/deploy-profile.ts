/**
 * Where a `pulumi up` spends its time, from the engine's events as they appeared: when
 * the CLI first spoke, when the program registered its stack and its first compose
 * resource, and per resource type how many steps ran, when the first began and the last
 * ended, and how long one took (median and longest). Waits for other resources (a
 * service waiting for its network) show as a late first start.
 */
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";

interface Step {
  type: string;
  op: string;
  start?: number;
  end?: number;
}

export class DeployProfile {
  private readonly started: number;
  private readonly steps = new Map<string, Step>();
  private firstEvent?: number;
  private lastEvent?: number;
  private exited?: number;

  constructor(started = performance.now()) {
    this.started = started;
  }

  record(event: EngineEvent, seenAt: number): void {
    const at = (seenAt - this.started) / 1000;
    this.firstEvent ??= at;
    this.lastEvent = at;
    const begun = event.resourcePreEvent?.metadata;
    const done = event.resOutputsEvent?.metadata;
    const metadata = begun ?? done;
    if (!metadata) return;
    const step = this.steps.get(metadata.urn) ?? { type: metadata.type, op: metadata.op };
    if (begun) step.start = at;
    else step.end = at;
    this.steps.set(metadata.urn, step);
  }

  /** The command has exited. */
  finish(exitedAt = performance.now()): void {
    this.exited = (exitedAt - this.started) / 1000;
  }

  lines(): string[] {
    const seconds = (value: number | undefined) => (value === undefined ? "-" : `${value.toFixed(2)}s`);
    const byType = new Map<string, Step[]>();
    for (const step of this.steps.values()) byType.set(step.type, [...(byType.get(step.type) ?? []), step]);
    const stack = [...this.steps.values()].find((step) => step.type === "pulumi:pulumi:Stack");
    const firstCompose = Math.min(...[...this.steps.values()].filter((step) => step.type.startsWith("compose:")).map((step) => step.start ?? Infinity));
    const rows = [["resource type", "steps", "first start", "last end", "median", "longest"]];
    const ordered = [...byType.entries()].sort(([, a], [, b]) => Math.min(...a.map((s) => s.start ?? Infinity)) - Math.min(...b.map((s) => s.start ?? Infinity)));
    for (const [type, steps] of ordered) {
      const durations = steps.filter((s) => s.start !== undefined && s.end !== undefined).map((s) => s.end! - s.start!).sort((a, b) => a - b);
      const ops = [...new Set(steps.map((s) => s.op))].join("/");
      rows.push([
        type,
        `${steps.length} ${ops}`,
        seconds(Math.min(...steps.map((s) => s.start ?? Infinity))),
        seconds(Math.max(...steps.map((s) => s.end ?? -Infinity))),
        seconds(durations[Math.floor(durations.length / 2)]),
        seconds(durations.at(-1)),
      ]);
    }
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
    return [
      `CLI's first event ${seconds(this.firstEvent)}, stack registered ${seconds(stack?.start)}, first compose resource ${seconds(Number.isFinite(firstCompose) ? firstCompose : undefined)}, last event ${seconds(this.lastEvent)}, CLI exited ${seconds(this.exited)}`,
      ...rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ")),
    ];
  }
}
