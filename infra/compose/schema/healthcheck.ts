/** services.*.healthcheck; a string test is run by the shell (["CMD-SHELL", test]). */
import * as z from "zod";
import { bool, composeObject, describeKind, duration, integer, parsed, type Syntax, ValueProblem } from "./primitives.ts";

const healthTest = parsed((value): string[] => {
  if (typeof value === "string") return ["CMD-SHELL", value];
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      if (typeof item !== "string") throw new ValueProblem(`expected a string, got ${describeKind(item)}`, [index]);
      return item;
    });
  }
  throw new ValueProblem(`expected a command string or a list such as ["CMD", "curl", "-f", "http://localhost"], got ${describeKind(value)}`);
});

export function healthcheckSchema(syntax: Syntax) {
  return composeObject({
    test: healthTest.optional(),
    interval: duration(syntax).optional(),
    timeout: duration(syntax).optional(),
    start_period: duration(syntax).optional(),
    start_interval: duration(syntax).optional(),
    retries: integer({ min: 0 }).optional(),
    disable: bool.optional(),
  });
}

export type HealthcheckConfig = z.output<ReturnType<typeof healthcheckSchema>>;
