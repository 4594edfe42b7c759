/**
 * Where a stack configuration value is written in `Pulumi.<stack>.yaml`, so that a
 * configuration error points at its line and column like a compose error does.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { PathSegment } from "../infra/compose/errors.ts";
import type { Position } from "../infra/compose/source.ts";

export interface StackConfigFile {
  /** The file as shown in messages, e.g. `stacks/Pulumi.dev.yaml`. */
  display: string;
  text: string;
}

export type Locate = (path: readonly PathSegment[]) => Position | undefined;

/**
 * A lookup from a path under `config:` (first segment: the full key such as
 * `compose-pulumi:services`) to the position of the deepest existing node on it: a map
 * entry's key, or a list item.
 */
export function configLocator(file: StackConfigFile | undefined): Locate {
  if (file === undefined) return () => undefined;
  const lineCounter = new LineCounter();
  const document = parseDocument(file.text, { lineCounter, keepSourceTokens: false });
  if (document.errors.length > 0) return () => undefined;
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col };
  };
  return (path) => {
    let node: unknown = document.contents;
    let found: Position | undefined;
    for (const segment of ["config", ...path]) {
      if (isMap(node) && typeof segment === "string") {
        const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
        if (pair === undefined) break;
        const key = pair.key as Node;
        if (key.range) found = at(key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment] as Node | undefined;
        if (item === undefined) break;
        if (item.range) found = at(item.range[0]);
        node = item;
      } else {
        break;
      }
    }
    return found;
  };
}
