/**
 * Scalars spelled the way compose-go v2.9.1 marshals them, so `config` output can be
 * compared with `docker compose config` byte for byte.
 */

const NS_PER_MICRO = 1_000n;
const NS_PER_MILLI = 1_000_000n;
const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_MINUTE = 60n * NS_PER_SECOND;
const NS_PER_HOUR = 60n * NS_PER_MINUTE;

/** Go's `time.Duration.String()`: "0s", "500ms", "1.5s", "1m0s", "1h2m3.5s". */
export function formatGoDuration(nanoseconds: number): string {
  let value = BigInt(Math.round(nanoseconds));
  if (value === 0n) return "0s";
  const sign = value < 0n ? "-" : "";
  if (value < 0n) value = -value;
  if (value < NS_PER_SECOND) {
    if (value < NS_PER_MICRO) return `${sign}${value}ns`;
    if (value < NS_PER_MILLI) return `${sign}${withFraction(value, NS_PER_MICRO)}µs`;
    return `${sign}${withFraction(value, NS_PER_MILLI)}ms`;
  }
  let out = `${withFraction(value % NS_PER_MINUTE, NS_PER_SECOND)}s`;
  if (value >= NS_PER_MINUTE) {
    out = `${(value / NS_PER_MINUTE) % 60n}m${out}`;
    if (value >= NS_PER_HOUR) out = `${value / NS_PER_HOUR}h${out}`;
  }
  return `${sign}${out}`;
}

function withFraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return whole.toString();
  const digits = unit.toString().length - 1;
  const fraction = rest.toString().padStart(digits, "0").replace(/0+$/, "");
  return `${whole}.${fraction}`;
}

/** compose-go `FileMode`: octal with a leading zero ("0440"). */
export function formatFileMode(mode: number): string {
  return `0${mode.toString(8)}`;
}

/**
 * Go's encoding/json escapes `<`, `>`, `&`, U+2028 and U+2029 inside strings; JSON.stringify
 * does not. Those characters can only occur inside strings in JSON text, so a textual
 * replacement is exact.
 */
export function escapeLikeGoJson(json: string): string {
  return json
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Go's `strconv.ParseBool`, which compose uses for boolean settings such as COMPOSE_DISABLE_ENV_FILE. */
export function parseGoBool(value: string): boolean | undefined {
  if (["1", "t", "T", "true", "TRUE", "True"].includes(value)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(value)) return false;
  return undefined;
}

/**
 * The order go-yaml (yaml.v3 `keyList.Less`) writes a map's string keys in, which is not
 * byte order: letters sort after other characters except right after a digit, and runs of
 * digits compare as numbers ("a2" before "a10"). encoding/json sorts bytes instead.
 */
export function compareYamlKeys(a: string, b: string): number {
  if (a === b) return 0;
  return yamlKeyLess(a, b) ? -1 : 1;
}

const isLetter = (rune: string) => /^\p{L}$/u.test(rune);
const isDigit = (rune: string) => /^\p{Nd}$/u.test(rune);
const runeValue = (rune: string) => rune.codePointAt(0)!;

function yamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]);
      continue;
    }
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return runeValue(ar[i]) < runeValue(br[i]);
    if (al || bl) return digits ? al : bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === "0" || br[i] === "0") {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== "0") {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(runeValue(ar[ai]) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(runeValue(br[bi]) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return runeValue(ar[i]) < runeValue(br[i]);
  }
  return ar.length < br.length;
}
