/** Top-level models (AI models served next to the application). */
import * as z from "zod";
import { composeObject, integer, str, stringList } from "./primitives.ts";

export const ModelSchema = composeObject({
  name: str.optional(),
  model: str,
  context_size: integer({ min: 0 }).optional(),
  runtime_flags: stringList.optional(),
});

export type ModelConfig = z.output<typeof ModelSchema>;
