/**
 * A compose file after parsing: its plain data plus a way back to line and column, so
 * that any later stage can position its issues without carrying YAML nodes around.
 */
import type { PathSegment } from "./errors.ts";

export interface Position {
  line: number;
  col: number;
}

export interface SourceFile {
  /** The file as the user named it; used verbatim in messages. */
  file: string;
  /** Absolute directory of the file; relative paths in it resolve against this. */
  dir: string;
  /** Plain JSON-like data (maps, arrays, strings, numbers, booleans, null). */
  data: unknown;
  /**
   * Position of the node at `path` (for a map entry: its key; for a list item: the item).
   * When the full path does not exist, the position of its deepest existing ancestor.
   */
  locate(path: readonly PathSegment[]): Position | undefined;
}
