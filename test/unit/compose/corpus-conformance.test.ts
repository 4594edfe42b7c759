/**
 * Conformance with docker compose on a corpus of public compose files
 * (test/fixtures/compose-corpus, see its README): this project's `config` must print the
 * same model as the stored output of the real docker compose v2.40.3
 * (test/fixtures/compose-corpus-reference, recorded by scripts/compose-reference-record.ts),
 * compared as parsed JSON, and the same text byte for byte in JSON and in YAML. Every
 * entry is classified (same, differ, both error, only ours failed, only compose failed)
 * and the figures are printed. Only the differences listed
 * in corpus/differences.ts with a reason may remain, and each listed one must still occur.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compare, figures, formatFigures, formatIdentical, type Comparison } from "./corpus/compare.ts";
import { LISTED_DIFFERENCES } from "./corpus/differences.ts";
import { corpusEntries, readReference } from "./corpus/entries.ts";
import { runOurs } from "./corpus/ours.ts";

describe("conformance with docker compose on the public corpus", () => {
  const entries = corpusEntries();
  const comparisons: Comparison[] = [];

  it("has a stored reference for every entry", () => {
    assert.ok(entries.length >= 200, `the corpus has ${entries.length} entries`);
    assert.deepEqual(entries.filter((entry) => readReference(entry) === undefined), [], "entries without a reference: run scripts/compose-reference-record.ts");
  });

  it("prints the same model and the same text as docker compose, except where listed", async (t) => {
    for (const entry of entries) {
      const reference = readReference(entry);
      if (reference !== undefined) comparisons.push(compare(entry, await runOurs(entry), reference));
    }
    t.diagnostic(formatFigures(figures(comparisons)));
    t.diagnostic(formatIdentical(comparisons));
    const findings = comparisons.flatMap((comparison) => comparison.findings);
    const unexplained = findings.filter((finding) => !LISTED_DIFFERENCES.some(({ pattern }) => pattern.test(finding)));
    assert.deepEqual(unexplained, [], "differences from docker compose that are not listed with a reason");
    const stale = LISTED_DIFFERENCES.filter(({ pattern }) => !findings.some((finding) => pattern.test(finding)));
    assert.deepEqual(stale.map(({ pattern, reason }) => `${pattern} (${reason})`), [], "listed differences that no longer occur");
  });
});
