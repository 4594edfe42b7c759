/** ulimits: `nofile: 65535` (one limit) or `nofile: {soft, hard}`. */
import * as z from "zod";
import { closedObject, composeObject, guarded, integer, type Syntax, ValueProblem } from "./primitives.ts";

const limit = integer();

const softHard = composeObject({ soft: limit, hard: limit }, (value, ctx) => {
  if (typeof value.soft === "number" && typeof value.hard === "number" && value.soft > value.hard) {
    ctx.addIssue({ code: "custom", path: ["soft"], message: `soft limit ${value.soft} is above hard limit ${value.hard}` });
  }
});

export type Ulimit = { single: number } | { soft: number; hard: number };

export function ulimitsSchema(syntax: Syntax) {
  const single = z.union([z.number(), z.string()]).transform(guarded((value: number | string): Ulimit => ({ single: wholeNumber(value) })));
  const branches =
    syntax === "canonical"
      ? [single, closedObject({ single: limit }).transform((value): Ulimit => value), softHard] as const
      : [single, softHard] as const;
  const entry = z.union(branches, { error: "expected a number or a mapping with soft and hard" });
  return z.record(z.string(), entry, { error: "expected a mapping of limit names" });
}

function wholeNumber(value: number | string): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^[-+]?\d+$/.test(value.trim())) return Number(value.trim());
  throw new ValueProblem(`invalid limit ${typeof value === "string" ? `"${value}"` : value}: expected an integer`);
}
