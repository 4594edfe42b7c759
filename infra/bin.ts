#!/usr/bin/env node
/**
 * The package's bin, `compose-pulumi` (bundled with what it loads into dist/infra/cli.js
 * by scripts/bin-bundle.ts). Before the command line loads, it sets how V8 sizes its
 * young generation and turns on Node's module compile cache.
 */
import module from "node:module";
import v8 from "node:v8";

// V8 doubles the young generation whenever a scavenge finds much of it still alive, up to
// three 32 MiB semi-spaces. Loading compose files keeps most of what it allocates (the
// parsed documents, the model), so the space grew to its maximum and made most of the
// peak memory: 300 MiB for a 1,000-service file, against docker compose's 230. Kept at
// its first size (growth factor 1), it is scavenged more often, which measured no slower
// (paired runs: 1.37 s against 1.45 s), with a peak of 175 MiB there and 3 MiB less for
// an ordinary file. The flag is read each time the space would grow, so setting it here,
// before anything is loaded, takes effect; its command-line counterpart
// (--max-semi-space-size) would need a second process.
v8.setFlagsFromString("--semi-space-growth-factor=1");

try {
  // Every run after the first reuses V8's compiled code for the bundle instead of
  // compiling it again; compiling was the largest part of a `config` run's start-up. The
  // cache lives where Node puts it by default (NODE_COMPILE_CACHE, else
  // node-compile-cache in the OS's temporary directory).
  module.enableCompileCache();
} catch {
  // Only an optimization (Node reports a cache it cannot use instead of throwing; an
  // older Node may lack the call): the command runs the same without it.
}

// Imported, not a static import, so that it is compiled with the cache on.
const { runAsProcess } = await import("./cli.ts");
runAsProcess();
