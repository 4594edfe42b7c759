/**
 * Comparing this project's output with the reference on one corpus entry: the outcome
 * class (from the JSON model), whether each format's text is byte for byte the same, and
 * the findings that explain any difference, one string per finding so that the listed
 * differences (differences.ts) can name them by pattern:
 *   `ENTRY: PATH: OURS vs COMPOSE`           a leaf where both models differ
 *   `ENTRY: only ours failed: LINE`          one line of our error, compose printed a model
 *   `ENTRY: only compose failed: MESSAGE`
 *   `ENTRY: FORMAT text line N: OURS vs COMPOSE`  the first line where the texts differ
 */
import type { Printed, Reference } from "./entries.ts";

export const OUTCOMES = ["same", "differ", "both-error", "only-ours-error", "only-compose-error"] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const FORMATS = ["json", "yaml"] as const;

export interface Comparison {
  entry: string;
  outcome: Outcome;
  /** Formats both printed, with identical text. */
  identical: (typeof FORMATS)[number][];
  findings: string[];
}

export function compare(entry: string, ours: Reference, compose: Reference): Comparison {
  const identical = FORMATS.filter((format) => "text" in ours[format] && "text" in compose[format] && textOf(ours[format]) === textOf(compose[format]));
  const textFindings = FORMATS.flatMap((format) => textDifference(entry, format, ours[format], compose[format]));
  const theirs = compose.json;
  const mine = ours.json;
  if ("error" in mine && "error" in theirs) return { entry, outcome: "both-error", identical, findings: [] };
  if ("error" in mine) {
    return { entry, outcome: "only-ours-error", identical, findings: mine.error.split("\n").map((line) => `${entry}: only ours failed: ${line}`) };
  }
  if ("error" in theirs) {
    return { entry, outcome: "only-compose-error", identical, findings: [`${entry}: only compose failed: ${theirs.error.replace(/\n/g, " ")}`, ...textFindings] };
  }
  const leaves = differences(JSON.parse(mine.text), JSON.parse(theirs.text)).map((leaf) => `${entry}: ${leaf}`);
  return { entry, outcome: leaves.length === 0 ? "same" : "differ", identical, findings: [...leaves, ...textFindings] };
}

const textOf = (printed: Printed) => ("text" in printed ? printed.text : undefined);

/** The first line where both texts differ, when both printed one. */
function textDifference(entry: string, format: string, ours: Printed, compose: Printed): string[] {
  if (!("text" in ours) || !("text" in compose) || ours.text === compose.text) return [];
  const mine = ours.text.split("\n");
  const theirs = compose.text.split("\n");
  const line = mine.findIndex((text, index) => text !== theirs[index]);
  const at = line === -1 ? mine.length : line;
  return [`${entry}: ${format} text line ${at + 1}: ${JSON.stringify(mine[at] ?? "(end)")} vs ${JSON.stringify(theirs[at] ?? "(end)")}`];
}

/** Every leaf where two JSON values differ, as "path: ours vs theirs"; key order does not count. Also used against the reference loaders' golden files. */
export function differences(actual: unknown, expected: unknown, at = ""): string[] {
  if (JSON.stringify(actual) === JSON.stringify(expected)) return [];
  const bothObjects = typeof actual === "object" && actual !== null && typeof expected === "object" && expected !== null;
  if (bothObjects && Array.isArray(actual) === Array.isArray(expected)) {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const out: string[] = [];
    if (Array.isArray(actual) && actual.length !== (expected as unknown[]).length) {
      out.push(`${at}: ${actual.length} entries vs ${(expected as unknown[]).length}`);
    }
    for (const key of new Set([...Object.keys(a), ...Object.keys(e)])) {
      const next = Array.isArray(actual) ? `${at}[${key}]` : at === "" ? key : `${at}.${key}`;
      out.push(...differences(a[key], e[key], next));
    }
    return out;
  }
  return [`${at}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`];
}

/** How many entries fall in each outcome, in OUTCOMES order. */
export function figures(comparisons: readonly Comparison[]): Record<Outcome, number> {
  const counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  for (const { outcome } of comparisons) counts[outcome] += 1;
  return counts;
}

export function formatFigures(counts: Record<Outcome, number>): string {
  const total = OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);
  return `${total} entries: ${OUTCOMES.map((outcome) => `${outcome} ${counts[outcome]}`).join(", ")}`;
}

/** How many entries print byte for byte the same text as compose, per format. */
export function formatIdentical(comparisons: readonly Comparison[]): string {
  return `identical text: ${FORMATS.map((format) => `${format} ${comparisons.filter((comparison) => comparison.identical.includes(format)).length}`).join(", ")}`;
}
