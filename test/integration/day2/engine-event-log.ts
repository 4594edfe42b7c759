/**
 * Follows the engine's event log (`pulumi up --event-log FILE`, one JSON event per line,
 * as the Automation API reads it) while the command runs, handing each event on with the
 * moment it appeared: the events' own timestamps are whole seconds, too coarse to
 * profile a deployment with.
 */
import { open } from "node:fs/promises";
import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";

export type TimedEventSink = (event: EngineEvent, seenAt: number) => void;

const POLL_MILLISECONDS = 20;

export interface EventLogFollower {
  /** Reads what is left (the command has exited) and stops. */
  stop(): Promise<void>;
}

export function followEventLog(file: string, sink: TimedEventSink): EventLogFollower {
  let offset = 0;
  let pending = "";
  let stopped = false;
  const readNew = async () => {
    const handle = await open(file, "r").catch(() => undefined);
    if (!handle) return;
    try {
      for (;;) {
        const buffer = Buffer.alloc(64 * 1024);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        pending += buffer.subarray(0, bytesRead).toString("utf8");
      }
    } finally {
      await handle.close();
    }
    const now = performance.now();
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.trim() !== "") sink(JSON.parse(line) as EngineEvent, now);
  };
  const loop = (async () => {
    while (!stopped) {
      await readNew();
      await new Promise((resolve) => setTimeout(resolve, POLL_MILLISECONDS));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await readNew();
    },
  };
}
