/**
 * The last part of `npm run build`: the package's bin, infra/bin.ts and everything it
 * loads (its own modules, yaml, zod, the Pulumi SDK for `graph`), bundled by esbuild into
 * dist/infra/cli.js and the chunks beside it in dist/infra/cli-chunks/. Library users
 * import tsc's output (package.json `exports`); only the command line runs from here.
 *
 * Why a bundle: a command used to load about 250 files (ours, yaml's, zod's), and Node
 * resolved, read and compiled each one; start-up was mostly that. Each command's code is
 * its own chunk, loaded when the command runs, so `config` never reads the Pulumi SDK.
 *
 * Node's built-in modules are taken with process.getBuiltinModule() instead of being
 * imported: Node's ES module wrapper of a built-in reads every export up front, which
 * loads parts a command never uses (fs.promises and readline, all of util) and cost a
 * `config` run about 6 MiB of its peak memory.
 */
import { rmSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { build, type Plugin } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");

const builtinsOnDemand: Plugin = {
  name: "builtins-on-demand",
  setup(bundler) {
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    bundler.onResolve({ filter: /^[a-z0-9_:/]+$/ }, (args) =>
      builtins.has(args.path) ? { path: args.path.replace(/^node:/, ""), namespace: "builtin" } : undefined,
    );
    // A CommonJS module to esbuild: importers read its exports through getters, when used.
    bundler.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => ({
      contents: `module.exports = process.getBuiltinModule(${JSON.stringify(`node:${args.path}`)});`,
      loader: "js",
    }));
  },
};

rmSync(path.join(root, "dist/infra/cli-chunks"), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { "infra/cli": "infra/bin.ts" },
  outdir: "dist",
  chunkNames: "infra/cli-chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  // The Pulumi SDK and providers stay in node_modules: they read files beside their own
  // modules (__dirname), which a bundle would move.
  external: ["@pulumi/*"],
  plugins: [builtinsOnDemand],
  logLevel: "warning",
});
