/** Rewrites README.md's "Compose keys per target" tables from the capability table. */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { withCapabilityTables } from "../infra/graph/capabilities/readme-table.ts";

const readme = fileURLToPath(new URL("../README.md", import.meta.url));
const before = readFileSync(readme, "utf8");
const after = withCapabilityTables(before);
if (after !== before) writeFileSync(readme, after);
console.log(after === before ? "README.md is up to date" : "README.md updated");
