/** Inline YAML in, validated file or formatted issues out: the shape of every schema test. */
import assert from "node:assert/strict";
import { formatIssue } from "../../../infra/compose/errors.ts";
import { parseComposeText } from "../../../infra/compose/parse.ts";
import { validateComposeFile, type ComposeFile, type ComposeFileService } from "../../../infra/compose/schema/index.ts";

export function validate(yaml: string) {
  const parsed = parseComposeText("compose.yaml", "/project", yaml);
  assert.deepEqual(parsed.issues, [], "the test YAML itself must parse");
  assert.ok(parsed.source);
  return validateComposeFile(parsed.source, parsed.source.data);
}

/** The validated file; fails the test with the issues when there are any. */
export function loadFile(yaml: string): ComposeFile {
  const result = validate(yaml);
  assert.deepEqual(result.issues.map(formatIssue), []);
  assert.ok(result.file);
  return result.file;
}

/** The one service `web` of a file whose only content is that service's body (indented by 4). */
export function loadService(body: string): ComposeFileService {
  const file = loadFile(`services:\n  web:\n${indent(body, 4)}`);
  return file.services!.web;
}

/** The printed issues (`compose.yaml:LINE:COL: path: message`) of an invalid file. */
export function issuesOf(yaml: string): string[] {
  const result = validate(yaml);
  assert.equal(result.file, undefined, "an invalid file yields no model");
  return result.issues.map(formatIssue);
}

/** Issues for a service body, as for loadService. Lines count from the `services:` line (1). */
export function serviceIssues(body: string): string[] {
  return issuesOf(`services:\n  web:\n${indent(body, 4)}`);
}

function indent(text: string, spaces: number): string {
  const pad = " ".repeat(spaces);
  return text
    .replace(/^\n+|\s+$/g, "")
    .split("\n")
    .map((line) => (line.trim() === "" ? line : pad + line))
    .join("\n") + "\n";
}
