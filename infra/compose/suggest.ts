/**
 * "Did you mean" hints for near misses: a misspelt key or enum value is far more often a
 * typo than a new feature, so the closest allowed spelling is worth showing.
 */

/** Optimal string alignment distance: edits, plus swaps of two adjacent letters ("iamge"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0][j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[rows - 1][cols - 1];
}

/**
 * The allowed word closest to `word`, if it is close enough to be a plausible typo:
 * one edit for words of up to three letters, otherwise two edits or a third of the
 * letters, whichever is more; case differences count as no edit. Ties go to the earlier
 * candidate.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `unknown key "imagee" (did you mean "image"?)`, or without the hint when nothing is close. */
export function unknownKeyMessage(key: string, allowed: Iterable<string>): string {
  const hint = suggest(key, allowed);
  return hint === undefined ? `unknown key "${key}"` : `unknown key "${key}" (did you mean "${hint}"?)`;
}
