/**
 * Records the stored reference of the compose corpus: runs the real docker compose CLI
 * (scripts/compose-reference.sh builds it) with `config --format json` and `--format yaml` on every entry of
 * test/fixtures/compose-corpus, in the fixed surroundings of
 * test/unit/compose/corpus/environment.ts, and writes what it printed (or its error) to
 * test/fixtures/compose-corpus-reference/ENTRY.json. References of entries that are
 * gone are removed. Run it after changing the corpus or the reference version:
 *
 *   node scripts/compose-reference-record.ts [--binary PATH]
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { corpusEntries, REFERENCE, referencePath } from "../test/unit/compose/corpus/entries.ts";
import { referenceBinary, referenceMissing, runReference } from "../test/unit/compose/corpus/reference-cli.ts";

const { values } = parseArgs({ options: { binary: { type: "string" } } });
const binary = values.binary ?? referenceBinary();
if (values.binary === undefined && referenceMissing()) {
  process.stderr.write(`error: ${referenceMissing()}\n  next: bash scripts/compose-reference.sh, then run this again\n`);
  process.exit(1);
}

const entries = corpusEntries();
process.stderr.write(`==> recording docker compose config for ${entries.length} corpus entries with ${binary}...\n`);
const started = Date.now();
let failed = 0;
for (const entry of entries) {
  const reference = runReference(entry, binary);
  if ("error" in reference.json) failed += 1;
  const file = referencePath(entry);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(reference, null, 2)}\n`);
}

const kept = new Set(entries.map(referencePath));
const stale: string[] = [];
const sweep = (dir: string) => {
  for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) sweep(full);
    else if (item.name.endsWith(".json") && !kept.has(full)) stale.push(full);
  }
};
if (fs.existsSync(REFERENCE)) sweep(REFERENCE);
for (const file of stale) fs.rmSync(file);

const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stderr.write(`    ${entries.length} recorded in ${seconds}s (${failed} refused by compose), ${stale.length} stale removed\n`);
