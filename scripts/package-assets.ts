/**
 * The second half of `npm run build` (after tsc): what the compiled package needs besides
 * JavaScript.
 *
 * - The bootstrap scripts SwarmNode runs on hosts (infra/hosts/bootstrap/*.sh), which the
 *   compiled code reads from beside itself.
 * - The policy pack as a directory Pulumi can run from node_modules
 *   (`pulumi preview --policy-pack node_modules/compose-pulumi/dist/policy`): its
 *   PulumiPolicy.yaml and a package.json whose `main` Pulumi's policy runner require()s.
 *   Node never strips types under node_modules, so the pack there is the compiled
 *   JavaScript, and PulumiPolicy.yaml needs no nodeargs (which the official language
 *   host would not pass to node for a policy pack anyway).
 */
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist");
const version = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;

const bootstrap = path.join(root, "infra/hosts/bootstrap");
for (const name of readdirSync(bootstrap).filter((file) => file.endsWith(".sh"))) {
  copyFileSync(path.join(bootstrap, name), path.join(dist, "infra/hosts/bootstrap", name));
}

const pack = path.join(dist, "policy");
writeFileSync(
  path.join(pack, "PulumiPolicy.yaml"),
  `description: Rules for compose applications deployed with compose-pulumi (secrets, pinned images, limits, swarm quorum, healthchecks)
runtime:
  name: nodejs
  options:
    typescript: false
`,
);
writeFileSync(
  path.join(pack, "package.json"),
  `${JSON.stringify({ name: "compose-pulumi-policy", version, private: true, type: "module", main: "index.cjs" }, null, 2)}\n`,
);
// The policy runner require()s the pack; the rules are an ES module.
writeFileSync(path.join(pack, "index.cjs"), 'module.exports = () => import("./pack.js");\n');
