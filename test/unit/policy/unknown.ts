/**
 * The engine's marker for a value not known during preview, as @pulumi/policy receives it
 * (its proxy throws UnknownValueError when a rule reads one). Taken from the SDK itself,
 * which does not export it in its typings.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const proxy = require("@pulumi/policy/proxy.js") as { unknownStringValue: string };

export const UNKNOWN: string = proxy.unknownStringValue;
