/**
 * Building `sh` command lines for the docker CLI steps that the docker provider cannot
 * express (one-shot jobs, looking up external swarm objects).
 */

/** `value` as one POSIX shell word. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line from words, each quoted. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
