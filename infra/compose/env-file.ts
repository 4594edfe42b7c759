/**
 * `.env` and `env_file` parsing with compose-go's dotenv semantics:
 *
 * - `KEY=value`, `KEY: value`, an optional leading `export `, blank lines and `#` comments;
 * - unquoted values run to the end of the line, lose a trailing ` # comment` and trailing
 *   whitespace, and are interpolated;
 * - single-quoted values are literal (only `\'` is unescaped);
 * - double-quoted values may span lines, understand `\n \r \t \" \\ \$`, octal `\0ddd`, and
 *   are interpolated;
 * - interpolation sees `lookup` first, then the variables defined earlier in the file;
 * - a bare `KEY` takes its value from `lookup`, or is left out when lookup has none.
 *
 * Messages never quote a value: env files usually hold credentials.
 */
import type { ComposeIssue } from "./errors.ts";
import { InterpolationError, interpolateString, type Lookup } from "./interpolate.ts";

export function parseEnvFile(file: string, text: string, lookup?: Lookup): { vars: Record<string, string>; issues: ComposeIssue[] } {
  const parser = new EnvFileParser(file, text.startsWith("\uFEFF") ? text.slice(1) : text, lookup ?? (() => undefined));
  parser.parse();
  return { vars: parser.vars, issues: parser.issues };
}

class EnvFileParser {
  readonly vars: Record<string, string> = {};
  readonly issues: ComposeIssue[] = [];
  private readonly lineStarts: number[] = [0];
  private pos = 0;

  private readonly file: string;
  private readonly src: string;
  private readonly lookup: Lookup;

  constructor(
    file: string,
    src: string,
    lookup: Lookup,
  ) {
    this.file = file;
    this.src = src;
    this.lookup = lookup;
    for (let index = 0; index < src.length; index++) if (src[index] === "\n") this.lineStarts.push(index + 1);
  }

  parse(): void {
    while (this.skipToStatement()) {
      if (!this.statement()) return;
    }
  }

  /** Moves past blank space and comment lines; false at the end of the text. */
  private skipToStatement(): boolean {
    for (;;) {
      while (this.pos < this.src.length && isGoSpace(this.src.codePointAt(this.pos) as number)) this.pos++;
      if (this.pos >= this.src.length) return false;
      if (this.src[this.pos] !== "#") return true;
      const newline = this.src.indexOf("\n", this.pos);
      if (newline < 0) return false;
      this.pos = newline;
    }
  }

  /** Parses one statement; false when the rest of the text cannot be parsed. */
  private statement(): boolean {
    const exported = /^export[\t\n\f\r ]+/.exec(this.src.slice(this.pos, this.pos + 64));
    if (exported) {
      this.pos += "export".length;
      while (this.pos < this.src.length && isLineSpace(this.src.charCodeAt(this.pos))) this.pos++;
    }
    const keyStart = this.pos;
    let keyEnd = this.src.length;
    let terminator = "";
    for (let index = this.pos; index < this.src.length; ) {
      const code = this.src.codePointAt(index) as number;
      const char = String.fromCodePoint(code);
      if (!isLineSpace(code)) {
        if (char === "=" || char === ":" || char === "\n") {
          keyEnd = index;
          terminator = char;
          break;
        }
        if (!isKeyChar(char)) {
          this.report(index, `unexpected character ${JSON.stringify(char)} in variable name ${JSON.stringify(intendedName(this.src, keyStart))}`);
          this.skipLine(index);
          return true;
        }
      }
      index += char.length;
    }
    const key = trimEndGoSpace(this.src.slice(keyStart, keyEnd));
    // A name on the last line with no `=` is a bare name, like one followed by a newline.
    const inherited = terminator === "\n" || terminator === "";
    this.pos = Math.min(keyEnd + 1, this.src.length);
    if (key.includes(" ")) {
      this.report(keyStart, "key cannot contain a space");
      if (!inherited) this.skipLine(this.pos);
      return true;
    }
    if (inherited) {
      const value = this.lookup(key);
      if (value !== undefined) setVar(this.vars, key, value);
      return true;
    }
    while (this.pos < this.src.length && isLineSpace(this.src.charCodeAt(this.pos))) this.pos++;
    return this.value(key);
  }

  private value(key: string): boolean {
    const valueStart = this.pos;
    const quote = this.src[this.pos];
    if (quote !== '"' && quote !== "'") {
      const newline = this.src.indexOf("\n", this.pos);
      const end = newline < 0 ? this.src.length : newline;
      const raw = trimEndGoSpace(cutAt(this.src.slice(this.pos, end), " #"));
      this.pos = newline < 0 ? this.src.length : newline + 1;
      this.assign(key, raw, valueStart);
      return true;
    }
    let chars = "";
    let escaped = false;
    for (let index = this.pos + 1; index < this.src.length; index++) {
      const char = this.src[index];
      if (escaped) {
        escaped = false;
        // An escaped quote loses its backslash; any other escape keeps it for expandEscapes.
        chars += char === quote ? char : `\\${char}`;
      } else if (char === "\\") {
        escaped = true;
      } else if (char === quote) {
        this.pos = index + 1;
        if (quote === "'") setVar(this.vars, key, chars);
        else this.assign(key, expandEscapes(chars), valueStart);
        return true;
      } else {
        chars += char;
      }
    }
    this.report(valueStart, "unterminated quoted value");
    return false;
  }

  private assign(key: string, raw: string, at: number): void {
    try {
      const value = interpolateString(raw, (name) => this.lookup(name) ?? (Object.hasOwn(this.vars, name) ? this.vars[name] : undefined));
      setVar(this.vars, key, value);
    } catch (error) {
      if (!(error instanceof InterpolationError)) throw error;
      this.report(at, error.message, key);
    }
  }

  private skipLine(from: number): void {
    const newline = this.src.indexOf("\n", from);
    this.pos = newline < 0 ? this.src.length : newline + 1;
  }

  private report(offset: number, message: string, path = ""): void {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    this.issues.push({ file: this.file, line: low + 1, col: offset - this.lineStarts[low] + 1, path, message });
  }
}

function setVar(vars: Record<string, string>, key: string, value: string): void {
  if (key === "__proto__") Object.defineProperty(vars, key, { value, enumerable: true, writable: true, configurable: true });
  else vars[key] = value;
}

/** The name part of a statement, for messages: up to `=` or `:` on its line, without the value. */
function intendedName(src: string, start: number): string {
  const line = src.slice(start, indexOrEnd(src, "\n", start));
  return line.slice(0, Math.min(indexOrEnd(line, "=", 0), indexOrEnd(line, ":", 0))).trim();
}

function indexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index < 0 ? text.length : index;
}

function cutAt(text: string, separator: string): string {
  const index = text.indexOf(separator);
  return index < 0 ? text : text.slice(0, index);
}

/** Letters, digits (any script), `_ . - [ ]`. */
function isKeyChar(char: string): boolean {
  return /^[_.\-[\]\p{L}\p{N}]$/u.test(char);
}

/** Go's unicode.IsSpace. */
function isGoSpace(code: number): boolean {
  switch (code) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return code >= 0x2000 && code <= 0x200a;
  }
}

/** Blank characters that do not end a line. */
function isLineSpace(code: number): boolean {
  return code === 0x09 || code === 0x0b || code === 0x0c || code === 0x0d || code === 0x20 || code === 0x85 || code === 0xa0;
}

function trimEndGoSpace(text: string): string {
  let end = text.length;
  while (end > 0 && isGoSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  c: "\\c",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  '"': '"',
  "\\": "\\",
};

/** Escape sequences of double-quoted values; `\$` becomes `$$` so that interpolation leaves a literal `$`. */
function expandEscapes(text: string): string {
  return text.replace(/\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g, (match) => {
    const body = match.slice(1);
    if (body === "$") return "$$";
    if (body.startsWith("0")) {
      const digits = body.slice(1);
      if (!/^[0-7]{3}$/.test(digits)) return match;
      const code = parseInt(digits, 8);
      return code > 255 ? match : String.fromCharCode(code);
    }
    return SIMPLE_ESCAPES[body];
  });
}
