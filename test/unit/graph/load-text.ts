/** Loads compose text through the real adapter, from a temporary project directory. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadProject } from "../../../infra/compose/load.ts";
import type { Project } from "../../../infra/compose/schema/index.ts";

const dirs: string[] = [];
process.on("exit", () => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** The project directory stays until the process exits: secret files are read when deploying. */
export function loadComposeText(text: string, files: Record<string, string> = {}): Project {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "graph-test-"));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, "compose.yaml"), text);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  return loadProject({ files: [path.join(dir, "compose.yaml")], environment: {}, projectName: "demo" });
}

/** One service `app` with the given YAML lines indented under it. */
export function serviceText(lines: string): string {
  const body = lines
    .trim()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
  return `services:\n  app:\n    image: example/app:1\n${body}\n`;
}
