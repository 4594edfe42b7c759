/**
 * How the package's bin is bundled: infra/bin.ts and everything it loads (its own
 * modules, yaml, zod, and for `graph` the Pulumi SDK and providers) as esbuild ES module
 * chunks, the entry at infra/cli.js and a chunk per command in infra/cli-chunks/, so that
 * a command loads only its own code (`config` never reads the Pulumi SDK).
 *
 * Why a bundle: a command used to load about 250 files of ours, yaml's and zod's (the
 * Pulumi SDK: about 430 more, TypeScript among them), and Node resolved, read and
 * compiled each one; start-up was mostly that.
 *
 * Two substitutions keep what a command never runs out of its memory and start-up:
 *
 * - Node's built-in modules are taken with process.getBuiltinModule() instead of being
 *   imported: Node's ES module wrapper of a built-in reads every export up front, which
 *   loads parts a command never uses (fs.promises and readline, all of util) and cost a
 *   `config` run about 6 MiB of its peak memory.
 * - @pulumi/pulumi's index loads, besides the resource model, subsystems that `graph`
 *   (components under the SDK's mocks) never calls: the Automation API, provider hosting,
 *   function serialization and the TypeScript compiler behind them, 70% of its start-up
 *   and 50 MiB (and TypeScript cannot be bundled: it reads its own __filename as it
 *   loads). In the bin they are stand-ins whose every function throws, naming what was
 *   left out. Programs that import the package use the whole SDK, as always.
 */
import { rmSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { build, type Metafile, type Plugin } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");

/** Modules of @pulumi/pulumi that the bin replaces: the importing file, the path it requires, and what that is. */
export const PULUMI_PARTS_LEFT_OUT = [
  { importer: "@pulumi/pulumi/index.js", request: "./automation", what: "the Automation API" },
  { importer: "@pulumi/pulumi/index.js", request: "./provider", what: "provider hosting" },
  { importer: "@pulumi/pulumi/runtime/index.js", request: "./closure/serializeClosure", what: "function serialization" },
  { importer: "@pulumi/pulumi/runtime/index.js", request: "./closure/codePaths", what: "function serialization" },
  { importer: "@pulumi/pulumi/", request: "../../typescript-shim", what: "the TypeScript compiler" },
  { importer: "@pulumi/pulumi/", request: "./typescript-shim", what: "the TypeScript compiler" },
] as const;

const builtinsOnDemand: Plugin = {
  name: "builtins-on-demand",
  setup(bundler) {
    const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
    bundler.onResolve({ filter: /^[a-z0-9_:/]+$/ }, (args) =>
      builtins.has(args.path) ? { path: args.path.replace(/^node:/, ""), namespace: "builtin" } : undefined,
    );
    // A CommonJS module to esbuild, whose ES module interop copies every export's
    // descriptor, and reading the descriptor of one of Node's lazily built exports builds
    // it (util's TextDecoder brought in worker_threads). A module object is therefore
    // handed on as a view whose getters and setters reach the built-in when used; a
    // module that is a function (events, stream) as it is, since code extends it.
    bundler.onLoad({ filter: /.*/, namespace: "builtin" }, (args) => {
      const name = JSON.stringify(`node:${args.path}`);
      const isFunction = typeof process.getBuiltinModule(`node:${args.path}`) === "function";
      return {
        contents: isFunction
          ? `module.exports = process.getBuiltinModule(${name});`
          : `const builtin = process.getBuiltinModule(${name});
for (const key of Object.getOwnPropertyNames(builtin)) {
  const enumerable = Object.prototype.propertyIsEnumerable.call(builtin, key);
  Object.defineProperty(exports, key, { enumerable, get: () => builtin[key], set: (value) => { builtin[key] = value; } });
}`,
        loader: "js",
      };
    });
  },
};

const pulumiPartsLeftOut: Plugin = {
  name: "pulumi-parts-left-out",
  setup(bundler) {
    bundler.onResolve({ filter: /^\.\.?\// }, (args) => {
      const importer = args.importer.split(path.sep).join("/");
      const part = PULUMI_PARTS_LEFT_OUT.find((entry) => entry.request === args.path && importer.includes(`/node_modules/${entry.importer}`));
      return part === undefined ? undefined : { path: part.what, namespace: "left-out" };
    });
    // Reading an export gives a function that throws, so the SDK's index can still copy
    // its exports; `__esModule` and `then` stay undefined for the module interop and await.
    bundler.onLoad({ filter: /.*/, namespace: "left-out" }, (args) => ({
      contents: `const what = ${JSON.stringify(args.path)};
module.exports = new Proxy({}, {
  get: (_, key) => typeof key !== "string" || key === "__esModule" || key === "then" ? undefined : () => {
    throw new Error("compose-pulumi's command line leaves " + what + " out of the Pulumi SDK (" + key + " was called)");
  },
});`,
      loader: "js",
    }));
  },
};

/** Writes the bin into `outdir` (infra/cli.js and infra/cli-chunks/); returns esbuild's account of what went where. */
export async function bundleBin(outdir: string): Promise<Metafile> {
  rmSync(path.join(outdir, "infra/cli-chunks"), { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { "infra/cli": "infra/bin.ts" },
    outdir,
    chunkNames: "infra/cli-chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    plugins: [builtinsOnDemand, pulumiPartsLeftOut],
    // The Pulumi SDK require()s a few modules by a computed name: resolved from the chunk,
    // as from an installed package.
    banner: { js: 'const require = process.getBuiltinModule("node:module").createRequire(import.meta.url);' },
    metafile: true,
    logLevel: "warning",
  });
  return result.metafile;
}
