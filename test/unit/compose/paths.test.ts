import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRemoteContext, resolveModelPaths, resolvePath } from "../../../infra/compose/paths.ts";

const context = { baseDir: "/project", homeDir: "/home/me", fillBuildContext: true };

describe("paths", () => {
  it("resolves relative paths and ~, cleaning them like filepath.Join", () => {
    assert.equal(resolvePath("./a/../b/", context), "/project/b");
    assert.equal(resolvePath(".", context), "/project");
    assert.equal(resolvePath("~/x", context), "/home/me/x");
    assert.equal(resolvePath("~", context), "/home/me");
    assert.equal(resolvePath("/abs/./kept", context), "/abs/./kept");
  });

  it("recognizes contexts the builder fetches itself", () => {
    for (const remote of ["https://github.com/a/b.git", "git@github.com:a/b.git", "github.com/a/b", "docker-image://alpine", "service:base"]) {
      assert.equal(isRemoteContext(remote), true, remote);
    }
    assert.equal(isRemoteContext("./src"), false);
  });

  it("resolves every path-valued field of a model, and only those", () => {
    const resolved = resolveModelPaths(
      {
        services: {
          web: {
            build: { context: "./web", additional_contexts: { lib: "../lib", img: "docker-image://x" } },
            env_file: [{ path: "a.env", required: true }],
            label_file: ["l.properties"],
            volumes: [
              { type: "bind", source: "./data", target: "/data" },
              { type: "volume", source: "named", target: "/named" },
            ],
            extends: { service: "base", file: "base.yaml" },
            working_dir: "relative/stays",
          },
          inline: { build: { dockerfile_inline: "FROM x" } },
        },
        secrets: { s: { file: "./s.txt" } },
        configs: { c: { file: "~/c.conf" } },
        volumes: {
          bound: { driver: "local", driver_opts: { type: "none", o: "bind", device: "./host" } },
          here: { driver: "local", driver_opts: { o: "bind", device: "" } },
          // compose-go resolves a device only for a driver named "local", not an absent one.
          unnamed: { driver_opts: { o: "bind", device: "./kept" } },
          other: { driver: "nfs", driver_opts: { o: "bind", device: "./kept" } },
        },
      },
      context,
    );
    assert.deepEqual(resolved, {
      services: {
        web: {
          build: { context: "/project/web", additional_contexts: { lib: "/lib", img: "docker-image://x" } },
          env_file: [{ path: "/project/a.env", required: true }],
          label_file: ["/project/l.properties"],
          volumes: [
            { type: "bind", source: "/project/data", target: "/data" },
            { type: "volume", source: "named", target: "/named" },
          ],
          extends: { service: "base", file: "/project/base.yaml" },
          working_dir: "relative/stays",
        },
        inline: { build: { dockerfile_inline: "FROM x", context: "/project" } },
      },
      secrets: { s: { file: "/project/s.txt" } },
      configs: { c: { file: "/home/me/c.conf" } },
      volumes: {
        bound: { driver: "local", driver_opts: { type: "none", o: "bind", device: "/project/host" } },
        here: { driver: "local", driver_opts: { o: "bind", device: "/project" } },
        unnamed: { driver_opts: { o: "bind", device: "./kept" } },
        other: { driver: "nfs", driver_opts: { o: "bind", device: "./kept" } },
      },
    });
  });

  it("leaves a missing build context for the extending project when asked to", () => {
    const resolved = resolveModelPaths({ services: { a: { build: { target: "t" } } } }, { ...context, fillBuildContext: false });
    assert.deepEqual(resolved, { services: { a: { build: { target: "t" } } } });
  });
});
