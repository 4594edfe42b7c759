#!/usr/bin/env node
/**
 * The package's bin, `compose-pulumi` (bundled with what it loads into dist/infra/cli.js
 * by scripts/build-bin.ts). Before the command line loads, it turns on Node's module
 * compile cache, so that every run after the first reuses V8's compiled code for the
 * bundle instead of compiling it again: compiling was the largest part of a `config`
 * run's start-up. The cache lives where Node puts it by default (NODE_COMPILE_CACHE,
 * else node-compile-cache in the OS's temporary directory).
 */
import module from "node:module";

try {
  module.enableCompileCache();
} catch {
  // Only an optimization (Node reports a cache it cannot use instead of throwing; an
  // older Node may lack the call): the command runs the same without it.
}

// Imported, not a static import, so that it is compiled with the cache on.
const { runAsProcess } = await import("./cli.ts");
runAsProcess();
