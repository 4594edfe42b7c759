/**
 * Durations as compose writes them ("1h2m3.5s", "10ms", "1us", "2d"): Go's
 * time.ParseDuration grammar plus the day and week units of str2duration, which
 * compose-go uses. Results are integer nanoseconds, like Go's time.Duration.
 */

export class DurationError extends Error {
  readonly input: string;
  readonly reason: string;

  constructor(input: string, reason: string) {
    super(`invalid duration "${input}": ${reason}`);
    this.input = input;
    this.reason = reason;
    this.name = "DurationError";
  }
}

const NANOS_PER_UNIT: ReadonlyMap<string, bigint> = new Map([
  ["ns", 1n],
  ["us", 1_000n],
  ["\u00b5s", 1_000n], // micro sign
  ["\u03bcs", 1_000n], // Greek mu
  ["ms", 1_000_000n],
  ["s", 1_000_000_000n],
  ["m", 60_000_000_000n],
  ["h", 3_600_000_000_000n],
  ["d", 86_400_000_000_000n],
  ["w", 604_800_000_000_000n],
]);

const MAX_NANOS = (1n << 63n) - 1n;

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

/** Nanoseconds in `text`; throws DurationError. A bare number other than "0" has no unit and is refused, as in Go. */
export function parseDuration(text: string): number {
  let rest = text;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest.startsWith("-");
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") throw new DurationError(text, "expected a number followed by a unit such as \"10s\"");

  let total = 0n;
  while (rest !== "") {
    if (!(rest[0] === "." || isDigit(rest[0]))) {
      throw new DurationError(text, "expected a number followed by a unit such as \"10s\"");
    }
    let i = 0;
    while (isDigit(rest[i])) i++;
    const whole = rest.slice(0, i);
    let fraction = "";
    if (rest[i] === ".") {
      const start = ++i;
      while (isDigit(rest[i])) i++;
      fraction = rest.slice(start, i);
    }
    if (whole === "" && fraction === "") {
      throw new DurationError(text, "expected a number followed by a unit such as \"10s\"");
    }
    const unitStart = i;
    while (i < rest.length && rest[i] !== "." && !isDigit(rest[i])) i++;
    const unit = rest.slice(unitStart, i);
    if (unit === "") throw new DurationError(text, "missing unit (one of ns, us, ms, s, m, h, d, w)");
    const perUnit = NANOS_PER_UNIT.get(unit);
    if (perUnit === undefined) {
      throw new DurationError(text, `unknown unit "${unit}" (one of ns, us, ms, s, m, h, d, w)`);
    }
    let amount = BigInt(whole === "" ? "0" : whole) * perUnit;
    if (fraction !== "") {
      // Go truncates sub-nanosecond digits; integer arithmetic keeps it exact.
      amount += (BigInt(fraction) * perUnit) / 10n ** BigInt(fraction.length);
    }
    total += amount;
    if (total > MAX_NANOS) throw new DurationError(text, "out of range");
    rest = rest.slice(i);
  }
  return Number(negative ? -total : total);
}

/** Go's time.Duration.String(): "1m0s", "1h2m3.5s", "1.5ms", "0s". */
export function formatDuration(nanoseconds: number): string {
  if (!Number.isFinite(nanoseconds)) throw new RangeError(`not a duration: ${nanoseconds}`);
  const value = BigInt(Math.trunc(nanoseconds));
  if (value === 0n) return "0s";
  const sign = value < 0n ? "-" : "";
  const u = value < 0n ? -value : value;
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${fraction(u, 3)}\u00b5s`;
  if (u < 1_000_000_000n) return `${sign}${fraction(u, 6)}ms`;
  const seconds = u / 1_000_000_000n;
  const subsecond = u % 1_000_000_000n;
  const secondsText = `${seconds % 60n}${decimals(subsecond, 9)}s`;
  const minutes = seconds / 60n;
  if (minutes === 0n) return `${sign}${secondsText}`;
  const hours = minutes / 60n;
  const minutesText = `${minutes % 60n}m`;
  return hours === 0n ? `${sign}${minutesText}${secondsText}` : `${sign}${hours}h${minutesText}${secondsText}`;
}

function fraction(value: bigint, digits: number): string {
  const scale = 10n ** BigInt(digits);
  return `${value / scale}${decimals(value % scale, digits)}`;
}

function decimals(remainder: bigint, digits: number): string {
  if (remainder === 0n) return "";
  return "." + remainder.toString().padStart(digits, "0").replace(/0+$/, "");
}
