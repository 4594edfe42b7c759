/** The short-syntax helpers on their own: durations, sizes, port specs, volume specs, shell words, suggestions. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatDuration, parseDuration } from "../../../infra/compose/durations.ts";
import { parseByteSize } from "../../../infra/compose/bytes.ts";
import { parsePortSpec } from "../../../infra/compose/port-spec.ts";
import { parseVolumeSpec } from "../../../infra/compose/volume-spec.ts";
import { splitShellWords } from "../../../infra/compose/shell-words.ts";
import { editDistance, suggest, unknownKeyMessage } from "../../../infra/compose/suggest.ts";

const S = 1_000_000_000;

describe("parseDuration (Go time.ParseDuration plus d and w)", () => {
  const cases: [string, number][] = [
    ["10s", 10 * S],
    ["1h2m3.5s", 3723.5 * S],
    ["10ms", 10_000_000],
    ["1us", 1_000],
    ["1\u00b5s", 1_000],
    ["1\u03bcs", 1_000],
    ["7ns", 7],
    ["1.5m", 90 * S],
    [".5s", 0.5 * S],
    ["1.s", S],
    ["2d", 2 * 86_400 * S],
    ["1w", 7 * 86_400 * S],
    ["0", 0],
    ["-1m", -60 * S],
    ["+3s", 3 * S],
    ["1m30s", 90 * S],
    ["0.000000001s", 1],
    ["0.0000000019s", 1],
  ];
  for (const [text, nanos] of cases) it(`"${text}" is ${nanos}ns`, () => assert.equal(parseDuration(text), nanos));

  const invalid: [string, string][] = [
    ["10", 'invalid duration "10": missing unit (one of ns, us, ms, s, m, h, d, w)'],
    ["10x", 'invalid duration "10x": unknown unit "x" (one of ns, us, ms, s, m, h, d, w)'],
    ["", 'invalid duration "": expected a number followed by a unit such as "10s"'],
    ["s", 'invalid duration "s": expected a number followed by a unit such as "10s"'],
    [".s", 'invalid duration ".s": expected a number followed by a unit such as "10s"'],
    ["1h 2m", 'invalid duration "1h 2m": unknown unit "h " (one of ns, us, ms, s, m, h, d, w)'],
    ["9999999999h", 'invalid duration "9999999999h": out of range'],
  ];
  for (const [text, message] of invalid) it(`rejects "${text}"`, () => assert.throws(() => parseDuration(text), { message }));
});

describe("formatDuration (Go time.Duration.String)", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [60 * S, "1m0s"],
    [120 * S, "2m0s"],
    [10 * S, "10s"],
    [3723.5 * S, "1h2m3.5s"],
    [3600 * S, "1h0m0s"],
    [1_500_000, "1.5ms"],
    [1_000, "1\u00b5s"],
    [999, "999ns"],
    [-90 * S, "-1m30s"],
  ];
  for (const [nanos, text] of cases) it(`${nanos}ns is "${text}"`, () => assert.equal(formatDuration(nanos), text));
  it("round-trips through parseDuration", () => {
    for (const nanos of [1, 999_999, 1_234_567_890, 86_400 * S + 1]) assert.equal(parseDuration(formatDuration(nanos)), nanos);
  });
});

describe("parseByteSize (go-units RAMInBytes)", () => {
  const cases: [string | number, number][] = [
    [10000, 10000],
    [-1, -1],
    ["1024", 1024],
    ["1k", 1024],
    ["1K", 1024],
    ["1kb", 1024],
    ["1KiB", 1024],
    ["512m", 512 * 1024 ** 2],
    ["50M", 52_428_800],
    ["20M", 20_971_520],
    ["1gb", 1024 ** 3],
    ["1.5k", 1536],
    ["1 g", 1024 ** 3],
    ["2t", 2 * 1024 ** 4],
    ["1p", 1024 ** 5],
    ["10b", 10],
    ["0.5", 0],
  ];
  for (const [input, bytes] of cases) it(`${JSON.stringify(input)} is ${bytes} bytes`, () => assert.equal(parseByteSize(input), bytes));

  const invalid: [string | number, string][] = [
    ["1x", 'invalid size "1x": unknown unit "x" (use b, k, m, g, t or p, optionally followed by "b" or "ib")'],
    ["1kk", 'invalid size "1kk": unknown unit "kk" (use b, k, m, g, t or p, optionally followed by "b" or "ib")'],
    ["1kibb", 'invalid size "1kibb": unknown unit "kibb" (use b, k, m, g, t or p, optionally followed by "b" or "ib")'],
    ["-1k", 'invalid size "-1k": expected a number with an optional unit such as "512m" or "1g"'],
    ["gb", 'invalid size "gb": expected a number with an optional unit such as "512m" or "1g"'],
    ["1.2.3m", 'invalid size "1.2.3m": expected a number with an optional unit such as "512m" or "1g"'],
    [1.5, 'invalid size "1.5": a number of bytes must be a whole number'],
  ];
  for (const [input, message] of invalid) it(`rejects ${JSON.stringify(input)}`, () => assert.throws(() => parseByteSize(input), { message }));
});

describe("parsePortSpec (nat.ParsePortSpecs + compose-go ParsePortConfig)", () => {
  it('"80" publishes nothing', () => assert.deepEqual(parsePortSpec("80"), [{ mode: "ingress", target: 80, protocol: "tcp" }]));
  it('"8080:80"', () =>
    assert.deepEqual(parsePortSpec("8080:80"), [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp" }]));
  it('"127.0.0.1:8080:80/udp"', () =>
    assert.deepEqual(parsePortSpec("127.0.0.1:8080:80/udp"), [
      { mode: "ingress", host_ip: "127.0.0.1", target: 80, published: "8080", protocol: "udp" },
    ]));
  it('"[::1]:8080:80" strips the brackets', () =>
    assert.deepEqual(parsePortSpec("[::1]:8080:80"), [{ mode: "ingress", host_ip: "::1", target: 80, published: "8080", protocol: "tcp" }]));
  it('"::1:8080:80" also reads as IPv6 host', () =>
    assert.deepEqual(parsePortSpec("::1:8080:80"), [{ mode: "ingress", host_ip: "::1", target: 80, published: "8080", protocol: "tcp" }]));
  it('"127.0.0.1::80" binds an ephemeral host port', () =>
    assert.deepEqual(parsePortSpec("127.0.0.1::80"), [{ mode: "ingress", host_ip: "127.0.0.1", target: 80, protocol: "tcp" }]));
  it('"3000-3002" expands one entry per port', () =>
    assert.deepEqual(parsePortSpec("3000-3002"), [
      { mode: "ingress", target: 3000, protocol: "tcp" },
      { mode: "ingress", target: 3001, protocol: "tcp" },
      { mode: "ingress", target: 3002, protocol: "tcp" },
    ]));
  it('"9090-9091:8080-8081" pairs the ranges', () =>
    assert.deepEqual(parsePortSpec("9090-9091:8080-8081"), [
      { mode: "ingress", target: 8080, published: "9090", protocol: "tcp" },
      { mode: "ingress", target: 8081, published: "9091", protocol: "tcp" },
    ]));
  it('"8000-8010:80" keeps the host range as a pool', () =>
    assert.deepEqual(parsePortSpec("8000-8010:80"), [{ mode: "ingress", target: 80, published: "8000-8010", protocol: "tcp" }]));
  it("orders a range crossing a digit boundary as text, like compose-go", () =>
    assert.deepEqual(
      parsePortSpec("9998-10001").map((p) => p.target),
      [10000, 10001, 9998, 9999],
    ));
  it('"53/UDP" lower-cases the protocol; "80/" means tcp', () => {
    assert.deepEqual(parsePortSpec("53/UDP"), [{ mode: "ingress", target: 53, protocol: "udp" }]);
    assert.deepEqual(parsePortSpec("80/"), [{ mode: "ingress", target: 80, protocol: "tcp" }]);
    assert.deepEqual(parsePortSpec("5000/sctp"), [{ mode: "ingress", target: 5000, protocol: "sctp" }]);
  });

  const invalid: [string, string][] = [
    ["80:80:80/tcp", 'invalid port "80:80:80/tcp": invalid IP address "80"'],
    ["", 'invalid port "": no container port'],
    ["8080:", 'invalid port "8080:": no container port'],
    ["abc", 'invalid port "abc": invalid container port "abc"'],
    ["70000", 'invalid port "70000": invalid container port "70000"'],
    ["x:80", 'invalid port "x:80": invalid host port "x"'],
    ["81-80", 'invalid port "81-80": invalid container port "81-80"'],
    ["80/foo", 'invalid port "80/foo": unknown protocol "foo" (expected tcp, udp or sctp)'],
    ["9090-9092:8080-8081", 'invalid port "9090-9092:8080-8081": container port range 8080-8081 and host port range 9090-9092 differ in size'],
    ["[::1:8080:80", 'invalid port "[::1:8080:80": invalid IP address "[::1"'],
    ["fe80::1%eth0:80:80", 'invalid port "fe80::1%eth0:80:80": invalid IP address "fe80::1%eth0"'],
  ];
  for (const [spec, message] of invalid) it(`rejects "${spec}"`, () => assert.throws(() => parsePortSpec(spec), { message }));
});

describe("parseVolumeSpec (compose-go format.ParseVolume)", () => {
  it("a lone path is an anonymous volume", () =>
    assert.deepEqual(parseVolumeSpec("/var/lib/anonymous"), { type: "volume", target: "/var/lib/anonymous", volume: {} }));
  it("an absolute host path is a bind that creates the host path", () =>
    assert.deepEqual(parseVolumeSpec("/opt/data:/var/lib/data"), {
      type: "bind",
      source: "/opt/data",
      target: "/var/lib/data",
      bind: { create_host_path: true },
    }));
  it("relative and home paths are binds; the target is cleaned", () => {
    assert.deepEqual(parseVolumeSpec(".:/code"), { type: "bind", source: ".", target: "/code", bind: { create_host_path: true } });
    assert.deepEqual(parseVolumeSpec("~/configs:/etc/configs/:ro"), {
      type: "bind",
      source: "~/configs",
      target: "/etc/configs",
      read_only: true,
      bind: { create_host_path: true },
    });
  });
  it("a name is a named volume; nocopy lands under volume", () => {
    assert.deepEqual(parseVolumeSpec("datavolume:/var/lib/volume"), { type: "volume", source: "datavolume", target: "/var/lib/volume", volume: {} });
    assert.deepEqual(parseVolumeSpec("data:/data:nocopy"), { type: "volume", source: "data", target: "/data", volume: { nocopy: true } });
  });
  it("SELinux labels and propagation are bind options; the last of ro/rw wins", () => {
    assert.deepEqual(parseVolumeSpec("./src:/app:rw,z,rshared"), {
      type: "bind",
      source: "./src",
      target: "/app",
      bind: { selinux: "z", propagation: "rshared", create_host_path: true },
    });
    assert.deepEqual(parseVolumeSpec("/a:/b:ro,Z,rw"), { type: "bind", source: "/a", target: "/b", bind: { selinux: "Z", create_host_path: true } });
  });
  it("Windows drive paths and named pipes are binds", () => {
    assert.deepEqual(parseVolumeSpec("C:\\data:/data"), { type: "bind", source: "C:\\data", target: "/data", bind: { create_host_path: true } });
    assert.deepEqual(parseVolumeSpec("c:/data:d:\\target"), { type: "bind", source: "c:/data", target: "d:\\target", bind: { create_host_path: true } });
    assert.deepEqual(parseVolumeSpec("\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine"), {
      type: "bind",
      source: "\\\\.\\pipe\\docker_engine",
      target: "\\\\.\\pipe\\docker_engine",
      bind: { create_host_path: true },
    });
  });
  it("one or two characters are a target", () => assert.deepEqual(parseVolumeSpec("/a"), { type: "volume", target: "/a", volume: {} }));

  const invalid: [string, string][] = [
    ["", 'invalid volume "": empty volume spec'],
    ["/a::/b", 'invalid volume "/a::/b": empty section between colons'],
    ["/a:/b:ro:extra", 'invalid volume "/a:/b:ro:extra": too many colons'],
    ["/a:/b:r0", 'invalid volume "/a:/b:r0": unknown option "r0" (expected ro, rw, nocopy, z, Z or a propagation such as rshared)'],
  ];
  for (const [spec, message] of invalid) it(`rejects "${spec}"`, () => assert.throws(() => parseVolumeSpec(spec), { message }));
});

describe("splitShellWords (go-shellwords)", () => {
  const cases: [string, string[]][] = [
    ["bundle exec thin -p 3000", ["bundle", "exec", "thin", "-p", "3000"]],
    [`echo "hello world"`, ["echo", "hello world"]],
    [`sh -c 'echo $HOME; ls'`, ["sh", "-c", "echo $HOME; ls"]],
    [`a\\ b c`, ["a b", "c"]],
    [`echo "a \\"q\\" b"`, ["echo", 'a "q" b']],
    [`echo ''`, ["echo", ""]],
    [`  spaced   out  `, ["spaced", "out"]],
    [`echo $(date)`, ["echo", "$(date)"]],
    ["", []],
  ];
  for (const [line, words] of cases) it(JSON.stringify(line), () => assert.deepEqual(splitShellWords(line), words));

  const invalid: [string, string][] = [
    ["echo a; echo b", 'unquoted ";" is a shell operator; write the command as a list, e.g. ["sh", "-c", "..."]'],
    ["cat x | wc", 'unquoted "|" is a shell operator; write the command as a list, e.g. ["sh", "-c", "..."]'],
    [`echo "open`, "has an unclosed quote"],
    ["echo \\", "ends with an unfinished backslash escape"],
    ["echo (x)", 'unexpected "(" (quote it, or use the list form)'],
  ];
  for (const [line, message] of invalid) it(`rejects ${JSON.stringify(line)}`, () => assert.throws(() => splitShellWords(line), { message }));
});

describe("suggest", () => {
  it("measures adjacent swaps as one edit", () => {
    assert.equal(editDistance("iamge", "image"), 1);
    assert.equal(editDistance("image", "image"), 0);
    assert.equal(editDistance("", "abc"), 3);
  });
  it("offers the closest key within two edits or a third of the word", () => {
    assert.equal(suggest("alias", ["aliases", "ipv4_address"]), "aliases");
    assert.equal(suggest("pic", ["pid", "ipc"]), "pid");
    assert.equal(suggest("ab", ["xy"]), undefined);
    assert.equal(suggest("imagee", ["image", "init", "ipc"]), "image");
    assert.equal(suggest("enviroment", ["entrypoint", "environment", "env_file"]), "environment");
    assert.equal(suggest("Ports", ["ports", "pid"]), "ports");
    assert.equal(suggest("zzzzzz", ["image", "ports"]), undefined);
  });
  it("phrases the unknown-key message", () => {
    assert.equal(unknownKeyMessage("imagee", ["image"]), 'unknown key "imagee" (did you mean "image"?)');
    assert.equal(unknownKeyMessage("frobnicate", ["image"]), 'unknown key "frobnicate"');
  });
});
