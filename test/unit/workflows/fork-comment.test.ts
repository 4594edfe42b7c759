// scripts/ci/fork-comment.cjs: the comment preview-comment.yml posts for a fork's dev
// preview. It edits the comment pulumi/actions would (same heading and summary), keeps
// the fork's text inert, and finds the pull request from the event, never the artifact.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { repoRoot } from "./actionlint.ts";

const { commentBody, main } = createRequire(import.meta.url)(join(repoRoot, "scripts/ci/fork-comment.cjs"));

const run = {
  head_sha: "abc123",
  head_branch: "feature",
  head_repository: { owner: { login: "contributor" }, full_name: "contributor/compose-pulumi" },
  html_url: "https://github.com/owner/compose-pulumi/actions/runs/7",
};

/** The REST calls the script makes, recorded, answering from the given pull requests and comments. */
function recorder(pulls: object[], comments: object[]) {
  const calls: [string, Record<string, unknown>][] = [];
  const record = (name: string, answer: unknown) => async (args: Record<string, unknown>) => {
    calls.push([name, args]);
    return { data: answer };
  };
  const rest = {
    pulls: { list: record("pulls.list", pulls) },
    issues: { listComments: record("issues.listComments", comments), updateComment: record("issues.updateComment", {}), createComment: record("issues.createComment", {}) },
  };
  const github = { rest, paginate: async (method: (args: object) => Promise<{ data: unknown }>, args: object) => (await method(args)).data };
  return { github, calls };
}

const context = { repo: { owner: "owner", repo: "compose-pulumi" }, payload: { workflow_run: run } };
const core = { notices: [] as string[], notice(message: string) { this.notices.push(message); }, info() {} };

function artifact(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "fork-comment-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test("the body has pulumi/actions' heading and summary, the fork's text escaped inside <pre>", () => {
  const body = commentBody({ project: "compose-pulumi", stack: "dev", output: "+ 2 to create</pre><img src=x>&", outcome: "success", runUrl: run.html_url });
  assert.equal(
    body,
    ["#### :tropical_drink: `preview` on compose-pulumi/dev", "", "<details>", "<summary>Pulumi report</summary>", "", "<pre>", "+ 2 to create&lt;/pre&gt;&lt;img src=x&gt;&amp;", "</pre>", "</details>"].join("\n"),
  );
});

test("a failed preview points at the run's log; an overlong one is trimmed to 64,000 characters", () => {
  const failed = commentBody({ project: "compose-pulumi", stack: "dev", output: "", outcome: "failure", runUrl: run.html_url });
  assert.match(failed, /:x: The preview failed \(an error or a violated policy\); the messages are in the \[run's log\]\(https:\/\/github\.com\/owner\/compose-pulumi\/actions\/runs\/7\)\./);
  assert.doesNotMatch(failed, /<pre>/);
  const long = commentBody({ project: "compose-pulumi", stack: "dev", output: "x".repeat(70_000), outcome: "success", runUrl: run.html_url });
  assert.equal(long.match(/x+/)![0].length, 64_000);
  assert.match(long, /:warning: \*\*Warn\*\*: The output was too long and trimmed\./);
});

test("edits the existing comment of the pull request whose head is the run's commit", async () => {
  const dir = artifact({ "preview.txt": "Resources:\n    + 19 to create\n", outcome: "success\n" });
  try {
    const { github, calls } = recorder(
      [{ number: 3, head: { sha: "old" } }, { number: 4, head: { sha: "abc123" } }],
      [{ id: 11, body: "#### :tropical_drink: `preview` on compose-pulumi/staging\n\n<details>\n<summary>Pulumi report</summary>" },
       { id: 12, body: "#### :tropical_drink: `preview` on compose-pulumi/dev\n\n<details>\n<summary>Pulumi report</summary>" }],
    );
    await main({ github, context, core, dir, project: "compose-pulumi", stack: "dev" });
    assert.deepEqual(calls[0], ["pulls.list", { owner: "owner", repo: "compose-pulumi", state: "open", head: "contributor:feature" }]);
    assert.deepEqual(calls[1], ["issues.listComments", { owner: "owner", repo: "compose-pulumi", issue_number: 4 }]);
    assert.equal(calls[2]![0], "issues.updateComment");
    assert.equal(calls[2]![1].comment_id, 12);
    assert.match(String(calls[2]![1].body), /<pre>\nResources:\n {4}\+ 19 to create\n\n<\/pre>/);
    assert.equal(calls.length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("creates the comment when none exists, and comments nowhere when no open pull request has the commit", async () => {
  const dir = artifact({});
  try {
    const first = recorder([{ number: 4, head: { sha: "abc123" } }], []);
    await main({ github: first.github, context, core, dir, project: "compose-pulumi", stack: "dev" });
    assert.equal(first.calls[2]![0], "issues.createComment");
    assert.equal(first.calls[2]![1].issue_number, 4);
    assert.match(String(first.calls[2]![1].body), /:x: The preview failed/, "no artifact: the run failed before its preview");
    const none = recorder([{ number: 4, head: { sha: "pushed-since" } }], []);
    await main({ github: none.github, context, core, dir, project: "compose-pulumi", stack: "dev" });
    assert.deepEqual(none.calls.map(([name]) => name), ["pulls.list"]);
    assert.match(core.notices.at(-1)!, /no open pull request has head abc123/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
