// The pull-request comment of a fork's dev preview, posted by preview-comment.yml with
// a write token. Run by actions/github-script from this repository's default branch:
// nothing from the fork is executed, and what the fork's run produced (the artifact) is
// treated as text. The pull request is found from GitHub's own event data, never from
// the artifact.
//
// The comment has pulumi/actions' own heading and summary, so a later preview edits the
// same comment whichever of the two wrote it first.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

// GitHub refuses comments over 65,536 characters; pulumi/actions keeps 64,000 of output.
const MAX_OUTPUT = 64_000;
const SUMMARY = "<summary>Pulumi report</summary>";

function heading(project, stack) {
  return `#### :tropical_drink: \`preview\` on ${project}/${stack}`;
}

// Text inside <pre> is still HTML: a fork's output must not close it or add markup.
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The comment body for a preview's output, or for a failed run without output. */
function commentBody({ project, stack, output, outcome, runUrl }) {
  // eslint-disable-next-line no-control-regex -- ANSI colour codes, as pulumi/actions strips them
  let text = String(output ?? "").replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
  let trimmed = false;
  if (text.length > MAX_OUTPUT) {
    text = text.slice(0, MAX_OUTPUT);
    trimmed = true;
  }
  const lines = [heading(project, stack), "", "<details>", SUMMARY, ""];
  if (outcome !== "success" || text.trim() === "") {
    lines.push(`:x: The preview failed (an error or a violated policy); the messages are in the [run's log](${runUrl}).`, "");
  }
  if (text.trim() !== "") lines.push("<pre>", escapeHtml(text), "</pre>");
  if (trimmed) lines.push(":warning: **Warn**: The output was too long and trimmed.");
  lines.push("</details>");
  return lines.join("\n");
}

/** The open pull request whose head is the run's head commit, from the event's data. */
async function findPullRequest(github, repo, run) {
  const head = `${run.head_repository.owner.login}:${run.head_branch}`;
  const pulls = await github.paginate(github.rest.pulls.list, { ...repo, state: "open", head });
  return pulls.find((pull) => pull.head.sha === run.head_sha);
}

/** Edits the comment that starts with the same heading, or creates one. */
async function upsertComment(github, repo, number, body) {
  const first = body.slice(0, body.indexOf("\n"));
  const comments = await github.paginate(github.rest.issues.listComments, { ...repo, issue_number: number });
  const previous = comments.find((comment) => comment.body?.startsWith(first) && comment.body.includes(SUMMARY));
  if (previous) {
    await github.rest.issues.updateComment({ ...repo, comment_id: previous.id, body });
    return "updated";
  }
  await github.rest.issues.createComment({ ...repo, issue_number: number, body });
  return "created";
}

/** Reads the artifact's directory (may be missing when the run failed before it). */
function readArtifact(dir) {
  const read = (name) => {
    try {
      return fs.readFileSync(path.join(dir, name), "utf8");
    } catch {
      return "";
    }
  };
  const outcome = read("outcome").trim();
  return { output: read("preview.txt"), outcome: outcome === "success" ? "success" : "failure" };
}

/** The github-script entry point. */
async function main({ github, context, core, dir, project, stack }) {
  const run = context.payload.workflow_run;
  const repo = context.repo;
  const pull = await findPullRequest(github, repo, run);
  if (!pull) {
    core.notice(`no open pull request has head ${run.head_sha}: nothing to comment on`);
    return;
  }
  const body = commentBody({ project, stack, ...readArtifact(dir), runUrl: run.html_url });
  const done = await upsertComment(github, repo, pull.number, body);
  core.info(`${done} the ${stack} preview comment on pull request #${pull.number}`);
}

module.exports = { commentBody, findPullRequest, upsertComment, readArtifact, main, heading };
