/**
 * How the checks of an application's settings (overrides, configured secrets) report a
 * problem: a path under the setting and a message. The caller positions it: in a stack
 * file (stacks/config.ts), or under the argument of a ComposeApp.
 */
import { formatPath, type ComposeIssue, type PathSegment } from "../compose/errors.ts";

export type ReportIssue = (path: readonly PathSegment[], message: string) => void;

/**
 * Issues about the arguments of one component, each shown as
 * `<where>: <argument path>: <message>` (e.g. `ComposeApp "shop": overrides.wbe: no service "wbe"`).
 */
export class ArgumentIssues {
  readonly list: ComposeIssue[] = [];
  private readonly where: string;

  constructor(where: string) {
    this.where = where;
  }

  /** A reporter for the argument named `argument` (e.g. `overrides`). */
  under(argument: string): ReportIssue {
    return (path, message) => this.add([argument, ...path], message);
  }

  add(path: readonly PathSegment[], message: string): void {
    this.list.push({ file: this.where, path: formatPath(path), message });
  }
}
