/**
 * The stored reference of the corpus is still what docker compose prints: runs the real
 * docker compose v2.40.3 (scripts/compose-reference.sh) on every entry and compares with
 * test/fixtures/compose-corpus-reference. Opt-in (COMPOSE_PULUMI_CORPUS_LIVE=1): it takes
 * half a minute and needs the Go build; the corpus test itself reads the stored reference.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { compare, figures, formatFigures } from "./corpus/compare.ts";
import { corpusEntries, readReference } from "./corpus/entries.ts";
import { referenceMissing, runReference } from "./corpus/reference-cli.ts";

const skip =
  process.env.COMPOSE_PULUMI_CORPUS_LIVE !== "1"
    ? "opt-in: set COMPOSE_PULUMI_CORPUS_LIVE=1 to run the real docker compose on the corpus"
    : referenceMissing();

it("the stored corpus reference is what docker compose prints now", { skip }, (t) => {
  const stale: string[] = [];
  const comparisons = corpusEntries().map((entry) => {
    const stored = readReference(entry);
    const live = runReference(entry);
    if (stored === undefined) {
      stale.push(`${entry}: no stored reference`);
      return compare(entry, live, live);
    }
    // Error messages may name another of several problems (compose walks Go maps): only failing counts.
    const comparison = compare(entry, live, stored);
    if (comparison.findings.length > 0 || (comparison.outcome !== "same" && comparison.outcome !== "both-error")) {
      stale.push(...comparison.findings, `${entry}: ${comparison.outcome}`);
    }
    return comparison;
  });
  t.diagnostic(`live vs stored: ${formatFigures(figures(comparisons))}`);
  assert.deepEqual(stale, [], "the stored reference is out of date: run node scripts/compose-reference-record.ts");
});
