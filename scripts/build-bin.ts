/**
 * The last part of `npm run build`: the package's bin, bundled (scripts/bin-bundle.ts)
 * into dist/infra/cli.js and dist/infra/cli-chunks/. Library users import tsc's output
 * (package.json `exports`); only the command line runs from the bundle.
 */
import path from "node:path";
import { bundleBin } from "./bin-bundle.ts";

await bundleBin(path.resolve(import.meta.dirname, "../dist"));
