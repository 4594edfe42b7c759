/**
 * Compose file text -> plain data plus positions, with the YAML semantics of the reference
 * loader (compose-go decodes with gopkg.in/yaml.v3 into `interface{}`):
 *
 * - plain scalars resolve as yaml.v3 does, which is YAML 1.2 except that integers keep
 *   Go's base prefixes: `0440` is octal (288), `0x1F`, `0b101`, `1_000` are integers;
 *   `yes`/`on` stay strings; `80:80` stays a string (no base-60);
 * - aliases are expanded into independent copies, merge keys (`<<`) apply with explicit
 *   keys winning over merged ones and earlier merged mappings over later ones;
 * - duplicate keys, non-string keys, a non-mapping root, unknown anchors and alias cycles
 *   are errors, each reported at its line and column;
 * - compose's `!reset` tag drops the value from the data and `!override` keeps it; both
 *   paths are recorded for merging (see `mergeDirectives`).
 *
 * A file with no document at all (empty or comments only) parses to an empty mapping, as
 * compose-go skips it; the loader reports "empty compose file" only when nothing at all
 * was loaded.
 */
import {
  Alias,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  visit,
  type Document,
  type Node as YamlNode,
  type Scalar,
  type YAMLMap,
} from "yaml";
import type { ComposeIssue, PathSegment } from "./errors.ts";
import { formatPath } from "./errors.ts";
import type { Position, SourceFile } from "./source.ts";

export function parseComposeText(file: string, dir: string, text: string): { source?: SourceFile; issues: ComposeIssue[] } {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    // Scalars are resolved here with yaml.v3 rules, so the library keeps them as text.
    schema: "failsafe",
    merge: false,
    uniqueKeys: false,
    prettyErrors: false,
  });
  const issues = new IssueList(file, lineCounter);

  if (!Array.isArray(documents) || documents.length === 0) {
    return { source: makeSource(file, dir, {}, { at: 0 }, lineCounter), issues: [] };
  }
  for (const document of documents) {
    for (const error of document.errors) issues.add(error.pos[0], [], `invalid YAML: ${firstLine(error.message)}`);
  }
  if (documents.length > 1) {
    issues.add(documents[1].range[0], [], "a compose file must hold a single YAML document; split the documents into separate files");
  }
  if (issues.length > 0) return { issues: issues.list() };

  const document = documents[0];
  const root = document.contents;
  if (!isMap(root)) {
    issues.add(root?.range?.[0] ?? 0, [], "top-level object must be a mapping");
    return { issues: issues.list() };
  }
  const builder = new DataBuilder(document, issues, text.length);
  const built = builder.build(root, DocPath.root);
  if (issues.length > 0) return { issues: issues.list() };
  const data = built.value === DROPPED ? {} : built.value;
  const source = makeSource(file, dir, data, built.tree, lineCounter);
  directivesBySource.set(source, builder.directives);
  return { source, issues: [] };
}

/** Paths tagged `!reset` (remove the value from the files merged before) and `!override` (replace it, no merge). */
export interface TagDirectives {
  reset: PathSegment[][];
  override: PathSegment[][];
}

const directivesBySource = new WeakMap<SourceFile, TagDirectives>();

/** The `!reset` and `!override` paths of a parsed file, in document order (empty for other sources). */
export function mergeDirectives(source: SourceFile): TagDirectives {
  return directivesBySource.get(source) ?? { reset: [], override: [] };
}

/**
 * Position of the value at `path` (where `locate` gives a map entry's key). Interpolation
 * uses it so that an error points at the offending text itself.
 */
export function locateValue(source: SourceFile, path: readonly PathSegment[]): Position | undefined {
  const index = valueIndexes.get(source);
  if (!index) return source.locate(path);
  const found = walk(index.tree, path);
  return found.complete ? index.position(found.tree.at) : source.locate(path);
}

/** Where a built value came from: its own offset, and the offsets of its keys or items. */
interface PositionTree {
  at: number;
  keys?: Map<string, { keyAt: number; tree: PositionTree }>;
  items?: PositionTree[];
}

const valueIndexes = new WeakMap<SourceFile, { tree: PositionTree; position(offset: number): Position }>();

function makeSource(file: string, dir: string, data: unknown, tree: PositionTree, lineCounter: LineCounter): SourceFile {
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  const source: SourceFile = {
    file,
    dir,
    data,
    locate(path) {
      const found = walk(tree, path);
      return position(found.at);
    },
  };
  valueIndexes.set(source, { tree, position });
  return source;
}

/** Follows `path` as far as it exists; `at` is the key of the last map entry or the last item reached. */
function walk(root: PositionTree, path: readonly PathSegment[]): { tree: PositionTree; at: number; complete: boolean } {
  let tree = root;
  let at = root.at;
  for (const segment of path) {
    if (typeof segment === "number") {
      const item = tree.items?.[segment];
      if (!item) return { tree, at, complete: false };
      tree = item;
      at = item.at;
    } else {
      const entry = tree.keys?.get(segment);
      if (!entry) return { tree, at, complete: false };
      tree = entry.tree;
      at = entry.keyAt;
    }
  }
  return { tree, at, complete: true };
}

/** A path into the document, shared between siblings so that building it costs nothing per node. */
class DocPath {
  static readonly root = new DocPath(null, "");

  private readonly parent: DocPath | null;
  private readonly segment: PathSegment;

  private constructor(parent: DocPath | null, segment: PathSegment) {
    this.parent = parent;
    this.segment = segment;
  }

  child(segment: PathSegment): DocPath {
    return new DocPath(this, segment);
  }

  segments(): PathSegment[] {
    const out: PathSegment[] = [];
    for (let at: DocPath | null = this; at && at.parent; at = at.parent) out.push(at.segment);
    return out.reverse();
  }
}

class IssueList {
  private readonly issues: ComposeIssue[] = [];
  private readonly seen = new Set<string>();

  private readonly file: string;
  private readonly lineCounter: LineCounter;

  constructor(
    file: string,
    lineCounter: LineCounter,
  ) {
    this.file = file;
    this.lineCounter = lineCounter;
  }

  get length(): number {
    return this.issues.length;
  }

  add(offset: number, path: DocPath | readonly PathSegment[], message: string): void {
    const { line, col } = this.lineCounter.linePos(offset);
    const segments = path instanceof DocPath ? path.segments() : path;
    const issue: ComposeIssue = { file: this.file, line, col, path: formatPath(segments), message };
    // The same anchored text can be reached through several aliases; report it once.
    const key = `${line}:${col}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.issues.push(issue);
  }

  /** In the order they appear in the file. */
  list(): ComposeIssue[] {
    return [...this.issues].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
  }

  lineOf(offset: number): number {
    return this.lineCounter.linePos(offset).line;
  }
}

const STR = "tag:yaml.org,2002:str";
const NULL = "tag:yaml.org,2002:null";
const BOOL = "tag:yaml.org,2002:bool";
const INT = "tag:yaml.org,2002:int";
const FLOAT = "tag:yaml.org,2002:float";
const MAP = "tag:yaml.org,2002:map";
const SEQ = "tag:yaml.org,2002:seq";

const RESET = "!reset";
const OVERRIDE = "!override";

/** The value of a node tagged `!reset`: the entry or item is left out. */
const DROPPED = Symbol("dropped by !reset");

type Built = { value: unknown; tree: PositionTree };

class DataBuilder {
  /** yaml.v3 refuses documents whose aliases multiply the decoded size; so does this. */
  private budget: number;
  private readonly expanding = new Set<YamlNode>();
  private readonly aliasTargets = new Map<Alias, YamlNode | undefined>();
  private exhausted = false;
  readonly directives: TagDirectives = { reset: [], override: [] };

  private readonly document: Document.Parsed;
  private readonly issues: IssueList;

  constructor(
    document: Document.Parsed,
    issues: IssueList,
    textLength: number,
  ) {
    this.document = document;
    this.issues = issues;
    this.budget = 100_000 + 10 * textLength;
    // An alias refers to the closest anchor of that name before it. Resolving them all in
    // one pass keeps large files linear (the library's own lookup scans the whole document).
    const anchors = new Map<string, YamlNode>();
    visit(document, {
      Node: (_key, node) => {
        if (isAlias(node)) this.aliasTargets.set(node, anchors.get(node.source));
        else if (node.anchor) anchors.set(node.anchor, node);
      },
    });
  }

  private resolveAlias(alias: Alias): YamlNode | undefined {
    return this.aliasTargets.get(alias);
  }

  build(node: YamlNode | null, path: DocPath): Built {
    if (node === null) return { value: null, tree: { at: 0 } };
    if (--this.budget < 0) {
      if (!this.exhausted) this.issues.add(nodeStart(node), path, "document contains excessive aliasing");
      this.exhausted = true;
      return { value: null, tree: { at: nodeStart(node) } };
    }
    if (isAlias(node)) return this.buildAlias(node, path);
    if (node.tag === RESET) {
      this.directives.reset.push(path.segments());
      return { value: DROPPED, tree: { at: nodeStart(node) } };
    }
    if (node.tag === OVERRIDE) this.directives.override.push(path.segments());
    if (isMap(node)) return this.buildMap(node, path);
    if (isSeq(node)) {
      if (!this.checkCollectionTag(node, SEQ, path)) return { value: null, tree: { at: nodeStart(node) } };
      const value: unknown[] = [];
      const items: PositionTree[] = [];
      this.expanding.add(node);
      node.items.forEach((item, index) => {
        const built = this.build(item as YamlNode | null, path.child(index));
        if (built.value === DROPPED) return;
        value.push(built.value);
        items.push(built.tree);
      });
      this.expanding.delete(node);
      return { value, tree: { at: nodeStart(node), items } };
    }
    if (isScalar(node)) return { value: this.scalar(node, path), tree: { at: nodeStart(node) } };
    return { value: null, tree: { at: nodeStart(node) } };
  }

  private buildAlias(alias: Alias, path: DocPath): Built {
    const target = this.resolveAlias(alias);
    const at = nodeStart(alias);
    if (!target) {
      this.issues.add(at, path, `unknown anchor "${alias.source}" referenced`);
      return { value: null, tree: { at } };
    }
    if (this.expanding.has(target)) {
      this.issues.add(at, path, `cycle detected: alias "*${alias.source}" is inside the node it refers to`);
      return { value: null, tree: { at } };
    }
    this.expanding.add(target);
    const built = this.build(target, path);
    this.expanding.delete(target);
    return { value: built.value, tree: { ...built.tree, at } };
  }

  private buildMap(node: YAMLMap, path: DocPath): Built {
    const value: Record<string, unknown> = {};
    const keys = new Map<string, { keyAt: number; tree: PositionTree }>();
    if (this.checkCollectionTag(node, MAP, path)) {
      this.checkDuplicateKeys(node, path);
      this.expanding.add(node);
      this.fillMap(node, path, value, keys);
      this.expanding.delete(node);
    }
    return { value, tree: { at: nodeStart(node), keys } };
  }

  /** Sets the entries of `node` that are not set yet, then those of its merged mappings. */
  private fillMap(
    node: YAMLMap,
    path: DocPath,
    value: Record<string, unknown>,
    keys: Map<string, { keyAt: number; tree: PositionTree }>,
  ): void {
    const merges: YamlNode[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      if (isMergeKey(keyNode)) {
        if (pair.value) merges.push(pair.value as YamlNode);
        continue;
      }
      const key = this.keyName(keyNode, path, nodeStart(node));
      if (key === undefined || keys.has(key)) continue;
      const built = this.build(pair.value as YamlNode | null, path.child(key));
      // compose-go removes a reset entry before decoding, so a merge key may still supply it.
      if (built.value === DROPPED) continue;
      setEntry(value, key, built.value);
      keys.set(key, { keyAt: keyNode ? nodeStart(keyNode) : nodeStart(node), tree: built.tree });
    }
    for (const merge of merges) {
      for (const source of this.mergeSources(merge, path)) {
        this.expanding.add(source);
        this.fillMap(source, path, value, keys);
        this.expanding.delete(source);
      }
    }
  }

  private mergeSources(merge: YamlNode, path: DocPath): YAMLMap[] {
    const candidates = isSeq(merge) ? (merge.items as YamlNode[]) : [merge];
    const sources: YAMLMap[] = [];
    for (const candidate of candidates) {
      const target = isAlias(candidate) ? this.resolveAlias(candidate) : candidate;
      if (isAlias(candidate) && !target) {
        this.issues.add(nodeStart(candidate), path, `unknown anchor "${candidate.source}" referenced`);
      } else if (!isMap(target)) {
        this.issues.add(nodeStart(candidate), path, "map merge requires map or sequence of maps as the value");
      } else if (this.expanding.has(target)) {
        this.issues.add(nodeStart(candidate), path, "cycle detected: a merged mapping includes the mapping it is merged into");
      } else {
        sources.push(target);
      }
    }
    return sources;
  }

  private checkDuplicateKeys(node: YAMLMap, path: DocPath): void {
    const firstLine = new Map<string, number>();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const identity = keyIdentity(keyNode);
      if (identity === undefined || !keyNode) continue;
      const line = this.issues.lineOf(nodeStart(keyNode));
      const earlier = firstLine.get(identity.id);
      if (earlier !== undefined) {
        this.issues.add(nodeStart(keyNode), path, `mapping key ${JSON.stringify(identity.text)} already defined at line ${earlier}`);
      } else {
        firstLine.set(identity.id, line);
      }
    }
  }

  private keyName(keyNode: YamlNode | null, path: DocPath, mapAt: number): string | undefined {
    let resolvedNode = keyNode;
    if (isAlias(keyNode)) resolvedNode = this.resolveAlias(keyNode) ?? null;
    const at = keyNode ? nodeStart(keyNode) : mapAt;
    if (resolvedNode !== null && isScalar(resolvedNode)) {
      const key = this.scalar(resolvedNode, path);
      if (typeof key === "string") return key;
      this.issues.add(at, path, `non-string key ${describeScalarKey(resolvedNode, key)}; quote it to use it as a name`);
      return undefined;
    }
    this.issues.add(at, path, resolvedNode === null ? "non-string key null; a mapping key is missing" : "non-string key: a mapping key must be a plain name");
    return undefined;
  }

  private checkCollectionTag(node: YamlNode, standard: string, path: DocPath): boolean {
    const tag = ownTag(node);
    if (tag === undefined || tag === standard || tag === "!") return true;
    this.issues.add(nodeStart(node), path, unsupportedTag(tag));
    return false;
  }

  private scalar(node: Scalar, path: DocPath): unknown {
    const text = typeof node.value === "string" ? node.value : String(node.value);
    const tag = ownTag(node);
    if (tag === undefined) return node.type === "PLAIN" ? resolvePlainScalar(text) : text;
    if (tag === STR || tag === "!") return text;
    const expected = { [NULL]: "null", [BOOL]: "boolean", [INT]: "number", [FLOAT]: "number" }[tag];
    if (expected === undefined) {
      this.issues.add(nodeStart(node), path, unsupportedTag(tag));
      return null;
    }
    const resolved = resolvePlainScalar(text);
    const kind = resolved === null ? "null" : typeof resolved;
    const integral = typeof resolved === "number" && Number.isInteger(resolved) && !/[.eE]/.test(text);
    if (kind !== expected || (tag === INT && !integral)) {
      this.issues.add(nodeStart(node), path, `cannot decode ${JSON.stringify(text)} as ${shortTag(tag)}`);
      return null;
    }
    return resolved;
  }
}

function nodeStart(node: YamlNode): number {
  return node.range?.[0] ?? 0;
}

function firstLine(message: string): string {
  return message.split("\n")[0].trim();
}

function setEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  // A key named "__proto__" must become an own entry, not replace the object's prototype.
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** `<<` written plainly (not quoted, not tagged) is the YAML merge key. */
function isMergeKey(node: YamlNode | null): boolean {
  return node !== null && isScalar(node) && node.type === "PLAIN" && node.tag === undefined && node.value === "<<";
}

/** yaml.v3 compares keys by node kind and raw text: `1` and `"1"` collide, `true` and `True` do not. */
function keyIdentity(node: YamlNode | null): { id: string; text: string } | undefined {
  if (node === null) return { id: "scalar:", text: "" };
  if (isScalar(node)) {
    const text = typeof node.value === "string" ? node.value : String(node.value);
    return { id: `scalar:${text}`, text };
  }
  if (isAlias(node)) return { id: `alias:${node.source}`, text: node.source };
  return undefined;
}

function describeScalarKey(node: Scalar, resolved: unknown): string {
  if (resolved === null) return "null";
  return typeof node.value === "string" ? node.value : String(resolved);
}

function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
}

function unsupportedTag(tag: string): string {
  return `unsupported YAML tag ${shortTag(tag)}`;
}

/** A node's tag apart from compose's `!override`, which only marks the value for merging. */
function ownTag(node: YamlNode): string | undefined {
  return node.tag === OVERRIDE ? undefined : node.tag;
}

const NULL_WORDS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUE_WORDS = new Set(["true", "True", "TRUE"]);
const FALSE_WORDS = new Set(["false", "False", "FALSE"]);
const SPECIAL_FLOATS = new Map<string, number>([
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((word) => [word, Infinity] as [string, number]),
  ...["-.inf", "-.Inf", "-.INF"].map((word) => [word, -Infinity] as [string, number]),
  ...[".nan", ".NaN", ".NAN"].map((word) => [word, NaN] as [string, number]),
]);
/** Go's strconv.ParseInt(s, 0, 64) grammar: sign, then a 0x/0o/0b prefix, a leading-0 octal, or decimal. */
const GO_INTEGER = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** The value yaml.v3 gives an untagged plain scalar when decoding into `interface{}`. */
export function resolvePlainScalar(text: string): unknown {
  if (NULL_WORDS.has(text)) return null;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return special;
  const first = text[0];
  if (first === ".") return DOT_FLOAT.test(text) ? Number(text) : text;
  if (!"+-0123456789".includes(first)) return text;
  const plain = text.replaceAll("_", "");
  const integer = parseGoInteger(plain);
  if (integer !== undefined) return integer;
  if (YAML_STYLE_FLOAT.test(plain)) {
    const number = Number(plain);
    if (Number.isFinite(number)) return number;
  }
  return text;
}

function parseGoInteger(plain: string): number | undefined {
  const match = GO_INTEGER.exec(plain);
  if (!match) return undefined;
  const [, sign, digits] = match;
  let magnitude: bigint;
  if (/^0[xXoObB]/.test(digits)) magnitude = BigInt(`0${digits[1].toLowerCase()}${digits.slice(2)}`);
  else if (digits.length > 1 && digits.startsWith("0")) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits);
  const value = sign === "-" ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return Number(value);
  // ParseUint takes no sign at all.
  if (sign === "" && value <= UINT64_MAX) return Number(value);
  return undefined;
}
