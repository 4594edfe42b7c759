// Pulumi's policy runner loads a pack with require(). The pack is an ES module written in
// TypeScript (pack.ts): import it, and let the runner wait for it to start serving.
module.exports = () => import("./pack.ts");
