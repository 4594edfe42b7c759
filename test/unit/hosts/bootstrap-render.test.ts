import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  BOOTSTRAP_SCRIPT_NAMES,
  bootstrapCommand,
  bootstrapScript,
  parseBootstrapResult,
  shellQuote,
} from "../../../infra/hosts/bootstrap/index.ts";

const lib = readFileSync(new URL("../../../infra/hosts/bootstrap/lib.sh", import.meta.url), "utf8");

/** Runs POSIX sh locally; no docker is involved in anything these tests run. */
function sh(script: string, input?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync("sh", input === undefined ? ["-c", script] : ["-s"], { input: input ?? "", encoding: "utf8" });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

describe("shellQuote", () => {
  it("survives sh for any string without NUL", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }).filter((s) => !s.includes("\0")), (value) => {
        const r = sh(`printf '%s' ${shellQuote(value)}`);
        assert.equal(r.stdout, value);
      }),
      { numRuns: 150 },
    );
  });
});

describe("bootstrapScript", () => {
  it("puts each input before the prelude as a quoted assignment", () => {
    const text = bootstrapScript("swarm-init", { SWARM_ADVERTISE_ADDR: "10.0.0.1", SWARM_LISTEN_ADDR: undefined });
    const [header, assignment] = text.split("\n");
    assert.equal(header, "# bootstrap: swarm-init");
    assert.equal(assignment, "SWARM_ADVERTISE_ADDR='10.0.0.1'");
    assert.ok(!text.includes("SWARM_LISTEN_ADDR="), "undefined inputs are left out");
    assert.ok(text.indexOf(lib) > text.indexOf(assignment));
  });

  it("renders every script so that sh can parse it", () => {
    for (const name of BOOTSTRAP_SCRIPT_NAMES) {
      const r = spawnSync("sh", ["-n"], { input: bootstrapScript(name, {} as never), encoding: "utf8" });
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    }
  });

  it("rejects unknown scripts and bad input names or values", () => {
    assert.throws(() => bootstrapScript("swarm-format" as never, {} as never), /unknown bootstrap script "swarm-format"; known: install-docker, /);
    assert.throws(
      () => bootstrapScript("swarm-leave", { "lower-case": "1" } as never),
      /bootstrap script swarm-leave: input name "lower-case" is not an upper-case shell variable name/,
    );
    assert.throws(
      () => bootstrapScript("swarm-drain", { SWARM_NODE: "a\0b" }),
      /bootstrap script swarm-drain: input SWARM_NODE contains a NUL byte/,
    );
    assert.throws(
      () => bootstrapScript("swarm-drain", { SWARM_NODE: 3 } as never),
      /bootstrap script swarm-drain: input SWARM_NODE must be a string, got number/,
    );
  });

  it("fails a missing required input with a JSON error and exit 1", () => {
    const r = sh("", bootstrapScript("swarm-node-config", {} as never));
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), { ok: false, error: "SWARM_NODE is required" });
    assert.match(r.stderr, /bootstrap error on .*: SWARM_NODE is required/);
  });

  it("checks every label before touching docker", () => {
    const cases: Array<[string, RegExp]> = [
      ["zone", /label 'zone' is not key=value/],
      ["=a", /label '=a' has an empty key/],
      ["zone=a\nzone=b", /label key 'zone' is given twice/],
      ["my zone=a", /label key 'my zone' may only hold letters, digits/],
    ];
    for (const [labels, expected] of cases) {
      const r = sh("", bootstrapScript("swarm-node-config", { SWARM_NODE: "n1", SWARM_NODE_LABELS: labels }));
      assert.equal(r.code, 1, labels);
      const out = JSON.parse(r.stdout) as { ok: boolean; error: string };
      assert.equal(out.ok, false);
      assert.match(out.error, expected);
    }
    const bad = sh("", bootstrapScript("swarm-node-config", { SWARM_NODE: "n1", SWARM_NODE_AVAILABILITY: "off" as never }));
    assert.equal(JSON.parse(bad.stdout).error, "SWARM_NODE_AVAILABILITY must be active, pause or drain, got 'off'");
  });

  it("bootstrapCommand wraps the same script for sh -c", () => {
    const inputs = { SWARM_NODE: "it's" };
    const command = bootstrapCommand("swarm-drain", inputs);
    assert.ok(command.startsWith("sh -c '"));
    const r = spawnSync("sh", ["-c", `printf '%s' ${command.slice("sh -c ".length)}`], { encoding: "utf8" });
    assert.equal(r.stdout, bootstrapScript("swarm-drain", inputs));
  });
});

describe("the script prelude (lib.sh)", () => {
  it("prints one JSON result line on stdout and sends all other output to stderr", () => {
    const r = sh(`${lib}
echo "progress"
result name s 'a "quoted"\\ value
with a newline	and tab' count n 3 flag b true list j '["x"]'`);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.split("\n").length, 2, "exactly one line");
    assert.deepEqual(JSON.parse(r.stdout), {
      ok: true,
      name: 'a "quoted"\\ value\nwith a newline\tand tab',
      count: 3,
      flag: true,
      list: ["x"],
    });
    assert.equal(r.stderr, "progress\n");
  });

  it("adds the default swarm port only where none is given", () => {
    const r = sh(`${lib}
for a in 10.0.0.1 10.0.0.1:4000 manager.example manager.example:2400 fd00::1 '[fd00::1]' '[fd00::1]:2400'; do
  with_swarm_port "$a"; echo
done >&3`);
    assert.deepEqual(r.stdout.trim().split("\n"), [
      "10.0.0.1:2377",
      "10.0.0.1:4000",
      "manager.example:2377",
      "manager.example:2400",
      "[fd00::1]:2377",
      "[fd00::1]:2377",
      "[fd00::1]:2400",
    ]);
  });
});

describe("parseBootstrapResult", () => {
  it("returns the fields of an ok result without ok", () => {
    assert.deepEqual(parseBootstrapResult("swarm-leave", 'noise\n{"ok":true,"changed":false}\n'), { changed: false });
  });

  it("turns a failed result into its error message", () => {
    assert.throws(
      () => parseBootstrapResult("swarm-join", '{"ok":false,"error":"this host already belongs to another swarm"}'),
      /^Error: bootstrap script swarm-join failed: this host already belongs to another swarm$/,
    );
  });

  it("reports output that holds no result", () => {
    assert.throws(() => parseBootstrapResult("swarm-init", "Swarm initialized\n"), /bootstrap script swarm-init printed no JSON result \(last stdout line: "Swarm initialized"\)/);
    assert.throws(() => parseBootstrapResult("swarm-init", "[1]"), /printed a result without "ok"/);
  });
});
