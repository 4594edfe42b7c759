/** Service hooks (post_start, pre_stop) and develop.watch rules. */
import * as z from "zod";
import { commandSchema } from "./command.ts";
import { bool, composeObject, envMap, oneOf, str, stringOrList } from "./primitives.ts";

export const serviceHookSchema = composeObject({
  command: commandSchema,
  user: str.optional(),
  privileged: bool.optional(),
  working_dir: str.optional(),
  environment: envMap.optional(),
});

export const developSchema = z.union(
  [
    z.null(),
    composeObject({
      watch: z
        .array(
          composeObject({
            path: str,
            action: oneOf("watch action", ["rebuild", "sync", "restart", "sync+restart", "sync+exec"] as const),
            target: str.optional(),
            ignore: stringOrList.optional(),
            include: stringOrList.optional(),
            initial_sync: bool.optional(),
            exec: serviceHookSchema.optional(),
          }),
        )
        .optional(),
    }),
  ],
  { error: "expected a mapping" },
);
