/**
 * A command written as one string ("bundle exec thin -p 3000") split into words the way
 * compose-go does (go-shellwords without environment or backtick expansion): spaces
 * separate words, single and double quotes group, a backslash escapes the next character
 * outside single quotes. Unquoted shell operators (; & | < >) are refused: compose-go
 * silently drops everything from the first one on, which would run a different command
 * from the one written.
 */

export class ShellWordsError extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.reason = reason;
    this.name = "ShellWordsError";
  }
}

export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let escaped = false;
  let singleQuoted = false;
  let doubleQuoted = false;
  let dollarParen = false;

  for (const ch of line) {
    if (escaped) {
      escaped = false;
      word += ch;
      inWord = true;
      continue;
    }
    if (ch === "\\" && !singleQuoted) {
      escaped = true;
      continue;
    }
    if (ch === "\\") {
      word += ch;
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r" || ch === "\n") {
      if (singleQuoted || doubleQuoted || dollarParen) word += ch;
      else if (inWord) {
        words.push(word);
        word = "";
        inWord = false;
      }
      continue;
    }
    const quoted = singleQuoted || doubleQuoted;
    if (ch === '"' && !singleQuoted && !dollarParen) {
      doubleQuoted = !doubleQuoted;
      inWord = true;
      continue;
    }
    if (ch === "'" && !doubleQuoted && !dollarParen) {
      singleQuoted = !singleQuoted;
      inWord = true;
      continue;
    }
    if (ch === "(" && !quoted) {
      if (dollarParen || !word.endsWith("$")) throw new ShellWordsError('unexpected "(" (quote it, or use the list form)');
      dollarParen = true;
    } else if (ch === ")" && !quoted) {
      if (!dollarParen) throw new ShellWordsError('unexpected ")" (quote it, or use the list form)');
      dollarParen = false;
    } else if (";&|<>".includes(ch) && !quoted && !dollarParen) {
      throw new ShellWordsError(
        `unquoted "${ch}" is a shell operator; write the command as a list, e.g. ["sh", "-c", "..."]`,
      );
    }
    word += ch;
    inWord = true;
  }
  if (escaped) throw new ShellWordsError("ends with an unfinished backslash escape");
  if (singleQuoted || doubleQuoted) throw new ShellWordsError("has an unclosed quote");
  if (dollarParen) throw new ShellWordsError('has an unclosed "$("');
  if (inWord) words.push(word);
  return words;
}
