/** command / entrypoint: a string (split into words like a shell would), a list, or null. */
import * as z from "zod";
import { splitShellWords } from "../shell-words.ts";
import { guarded } from "./primitives.ts";

export const commandSchema = z.union(
  [
    z.null(),
    z.string().transform(guarded((line: string) => splitShellWords(line))),
    z.array(z.string({ error: "expected a string" })),
  ],
  { error: "expected a command string or a list of strings" },
);

export const CanonicalCommandSchema = z.union([z.null(), z.array(z.string())], {
  error: "expected a list of strings or null",
});
