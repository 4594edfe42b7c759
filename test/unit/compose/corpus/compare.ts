/**
 * Comparing this project's output with the reference on one corpus entry: the outcome
 * class, and the findings that explain it, one string per finding so that the listed
 * differences (differences.ts) can name them by pattern:
 *   `ENTRY: PATH: OURS vs COMPOSE`   a leaf where both models differ
 *   `ENTRY: only ours failed: LINE`  one line of our error, compose printed a model
 *   `ENTRY: only compose failed: MESSAGE`
 */
import type { Reference } from "./entries.ts";

export const OUTCOMES = ["same", "differ", "both-error", "only-ours-error", "only-compose-error"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Comparison {
  entry: string;
  outcome: Outcome;
  findings: string[];
}

export function compare(entry: string, ours: Reference, compose: Reference): Comparison {
  if ("error" in ours && "error" in compose) return { entry, outcome: "both-error", findings: [] };
  if ("error" in ours) {
    return { entry, outcome: "only-ours-error", findings: ours.error.split("\n").map((line) => `${entry}: only ours failed: ${line}`) };
  }
  if ("error" in compose) {
    return { entry, outcome: "only-compose-error", findings: [`${entry}: only compose failed: ${compose.error.replace(/\n/g, " ")}`] };
  }
  const leaves = differences(ours.config, compose.config).map((leaf) => `${entry}: ${leaf}`);
  return { entry, outcome: leaves.length === 0 ? "same" : "differ", findings: leaves };
}

/** Every leaf where two JSON values differ, as "path: ours vs compose"; key order does not count. */
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
