/**
 * Byte sizes as compose writes them ("1gb", "512m", "1.5k", "20M", 10000): the
 * RAMInBytes rules of docker/go-units, where every unit is binary (k = 1024).
 */

export class ByteSizeError extends Error {
  readonly input: string;
  readonly reason: string;

  constructor(input: string, reason: string) {
    super(`invalid size "${input}": ${reason}`);
    this.input = input;
    this.reason = reason;
    this.name = "ByteSizeError";
  }
}

const MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Bytes in `input`. Numbers pass through when integral (negative ones too: `memswap_limit: -1`
 * means unlimited); strings are a non-negative decimal, an optional space and an optional
 * unit k/m/g/t/p, optionally followed by "b" or "ib", any case. Fractions truncate.
 */
export function parseByteSize(input: string | number): number {
  if (typeof input === "number") {
    if (!Number.isInteger(input)) throw new ByteSizeError(String(input), "a number of bytes must be a whole number");
    return input;
  }
  const split = lastIndexOfAny(input, "0123456789. ");
  if (split === -1) throw new ByteSizeError(input, "expected a number with an optional unit such as \"512m\" or \"1g\"");
  const number = input[split] === " " ? input.slice(0, split) : input.slice(0, split + 1);
  const suffix = input.slice(split + 1).toLowerCase();
  if (!NUMBER.test(number)) {
    throw new ByteSizeError(input, "expected a number with an optional unit such as \"512m\" or \"1g\"");
  }
  let size = Number(number);
  if (suffix !== "" && suffix !== "b") {
    const multiplier = MULTIPLIERS[suffix[0]];
    const tailOk = suffix.length === 1 || suffix.slice(1) === "b" || suffix.slice(1) === "ib";
    if (multiplier === undefined || !tailOk || suffix.length > 3) {
      throw new ByteSizeError(input, `unknown unit "${input.slice(split + 1)}" (use b, k, m, g, t or p, optionally followed by "b" or "ib")`);
    }
    size *= multiplier;
  }
  if (!Number.isFinite(size) || size > Number.MAX_SAFE_INTEGER) throw new ByteSizeError(input, "too large");
  return Math.trunc(size);
}

function lastIndexOfAny(text: string, chars: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (chars.includes(text[i])) return i;
  return -1;
}
