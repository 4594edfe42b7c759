/**
 * The host inventory: every problem reported at once with its file, position and dotted
 * path; defaults applied in one place; private keys never echoed and kept secret.
 */
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { HostConfigError, type ValueOrigin } from "../../../infra/hosts/issues.ts";
import { parseInventory, toInventory } from "../../../infra/hosts/inventory.ts";
import { inventoryFromConfig, stackFileLocator } from "../../../infra/hosts/inventory-config.ts";
import { ResourceRecorder } from "../graph/recorder.ts";
import { ExistingHosts, hostKeysFromKnownHosts } from "../../../infra/hosts/local.ts";
import { deriveHostKey, publicKeyWithoutComment } from "../../../infra/hosts/host-key.ts";

const KEY_A = publicKeyWithoutComment(deriveHostKey("a".repeat(40), "a").publicKey);
const KEY_B = publicKeyWithoutComment(deriveHostKey("b".repeat(40), "b").publicKey);
const ORIGIN: ValueOrigin = { file: "Pulumi.dev.yaml", root: "shop:inventory" };
const PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

function messages(value: unknown, origin = ORIGIN): string[] {
  try {
    parseInventory(value, origin);
  } catch (error) {
    assert.ok(error instanceof HostConfigError, String(error));
    return error.message.split("\n");
  }
  assert.fail("the inventory was accepted");
}

describe("parseInventory", () => {
  it("applies defaults: port 22, user root, active, no labels; host settings win over defaults", () => {
    const hosts = parseInventory({
      defaults: { privateKeyPath: "/keys/id", user: "admin", port: 2222 },
      hosts: [
        { name: "m1", address: "10.0.0.1", role: "manager", hostKeys: [KEY_A] },
        { name: "w1", address: "10.0.0.2", role: "worker", port: 22, user: "root", agent: true, labels: { zone: "b" }, availability: "drain", trustOnFirstUse: true, advertiseAddress: "192.168.0.2" },
      ],
    }, ORIGIN);
    assert.deepEqual(hosts, [
      { name: "m1", address: "10.0.0.1", role: "manager", labels: {}, availability: "active", port: 2222, user: "admin", auth: { kind: "keyFile", path: "/keys/id" }, hostKeys: [KEY_A], trustOnFirstUse: false },
      { name: "w1", address: "10.0.0.2", advertiseAddress: "192.168.0.2", role: "worker", labels: { zone: "b" }, availability: "drain", port: 22, user: "root", auth: { kind: "agent" }, trustOnFirstUse: true },
    ]);
  });

  it("expands ~/ in privateKeyPath to the home directory", () => {
    const [host] = parseInventory({ hosts: [{ name: "m1", address: "h", role: "manager", privateKeyPath: "~/.ssh/id_ed25519", hostKeys: [KEY_A] }] }, ORIGIN);
    assert.deepEqual(host.auth, { kind: "keyFile", path: join(homedir(), ".ssh/id_ed25519") });
  });

  it("reports every schema problem at once, each with its dotted path", () => {
    assert.deepEqual(messages({
      hosts: [
        { name: "Node_1", address: "10.0.0.1", role: "leader", agent: true, hostKeys: [KEY_A], port: 70000, labels: { "bad key": "x", zone: "a\nb" }, colour: "red" },
        { name: "n2", address: "has space", role: "worker", agent: true, hostKeys: ["ssh-ed25519 AAAA"], availability: "busy" },
      ],
    }), [
      'Pulumi.dev.yaml: shop:inventory.hosts[0].name: must be lower-case letters, digits and "-" (it names the host\'s resources), e.g. "node-1"',
      'Pulumi.dev.yaml: shop:inventory.hosts[0].role: expected "manager" or "worker", got "leader"',
      'Pulumi.dev.yaml: shop:inventory.hosts[0].labels["bad key"]: label keys may only hold letters, digits, \'.\', \'_\', \'/\' and \'-\'',
      "Pulumi.dev.yaml: shop:inventory.hosts[0].labels.zone: label values must be one line",
      "Pulumi.dev.yaml: shop:inventory.hosts[0].port: must be a TCP port (1-65535)",
      "Pulumi.dev.yaml: shop:inventory.hosts[0].colour: unknown key",
      "Pulumi.dev.yaml: shop:inventory.hosts[1].address: must be a host name or IP address (no spaces or quotes)",
      "Pulumi.dev.yaml: shop:inventory.hosts[1].availability: expected \"active\" or \"pause\" or \"drain\", got \"busy\"",
      "Pulumi.dev.yaml: shop:inventory.hosts[1].hostKeys[0]: the key's base64 does not decode to a key of the type it names (copied incompletely?)",
    ]);
  });

  it("names missing and mistyped values", () => {
    assert.deepEqual(messages({ hosts: [{ name: "n1", role: "manager", agent: "yes", hostKeys: KEY_A }] }), [
      "Pulumi.dev.yaml: shop:inventory.hosts[0].address: is required",
      "Pulumi.dev.yaml: shop:inventory.hosts[0].hostKeys: expected a list, got a string",
      "Pulumi.dev.yaml: shop:inventory.hosts[0].agent: expected true or false, got a string",
    ]);
    assert.deepEqual(messages(undefined), ["Pulumi.dev.yaml: shop:inventory: is required"]);
    assert.deepEqual(messages({ hosts: [] }), ["Pulumi.dev.yaml: shop:inventory.hosts: must list at least one host"]);
    assert.deepEqual(messages({ hosts: [{ name: "n1", address: "h" }] }).slice(0, 1), [
      'Pulumi.dev.yaml: shop:inventory.hosts[0].role: is required (one of "manager", "worker")',
    ]);
  });

  it("requires credentials and a host key policy, and refuses ambiguous ones", () => {
    assert.deepEqual(messages({
      defaults: { agent: true, privateKeyPath: "/k" },
      hosts: [
        { name: "a", address: "10.0.0.1", role: "manager" },
        { name: "b", address: "10.0.0.2", role: "manager", privateKey: PRIVATE_KEY, agent: true, hostKeys: [KEY_A], trustOnFirstUse: true },
      ],
    }), [
      "Pulumi.dev.yaml: shop:inventory.defaults: set only one of privateKeyPath, privateKey and agent (found privateKeyPath, agent)",
      "Pulumi.dev.yaml: shop:inventory.hosts[0]: no pinned host key: list the host's public key(s) in hostKeys (read them from the machine's console or a trusted ssh-keyscan), or set trustOnFirstUse: true to record the key at the first connection",
      "Pulumi.dev.yaml: shop:inventory.hosts[1]: set only one of privateKeyPath, privateKey and agent (found privateKey, agent)",
      "Pulumi.dev.yaml: shop:inventory.hosts[1].trustOnFirstUse: the host's keys are pinned in hostKeys; remove trustOnFirstUse",
    ]);
    assert.deepEqual(messages({ hosts: [{ name: "a", address: "h", role: "worker", hostKeys: [KEY_A] }] }), [
      "Pulumi.dev.yaml: shop:inventory.hosts[0]: no SSH credentials: set privateKeyPath, privateKey (as a config secret) or agent: true, on the host or in defaults",
    ]);
  });

  it("never repeats a private key that is not one", () => {
    const secret = `not-a-key-${randomBytes(8).toString("hex")}`;
    const lines = messages({ hosts: [{ name: "a", address: "h", role: "manager", privateKey: secret, hostKeys: [KEY_A] }] });
    assert.deepEqual(lines, [
      'Pulumi.dev.yaml: shop:inventory.hosts[0].privateKey: is not a private key (expected a "-----BEGIN ... PRIVATE KEY-----" block in OpenSSH or PEM format)',
    ]);
    assert.ok(!lines.join("\n").includes(secret));
  });

  it("refuses repeated names and repeated addresses", () => {
    assert.deepEqual(messages({
      defaults: { agent: true },
      hosts: [
        { name: "a", address: "10.0.0.1", role: "manager", hostKeys: [KEY_A] },
        { name: "a", address: "10.0.0.2", role: "worker", hostKeys: [KEY_B] },
        { name: "c", address: "10.0.0.1", role: "worker", hostKeys: [KEY_B] },
      ],
    }), [
      'Pulumi.dev.yaml: shop:inventory.hosts[1].name: "a" is already the name of hosts[0]',
      "Pulumi.dev.yaml: shop:inventory.hosts[2].address: 10.0.0.1 is already the address of hosts[0] (a)",
    ]);
  });

  it("positions problems in the stack file when it can be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "inventory-"));
    try {
      const file = join(dir, "Pulumi.dev.yaml");
      writeFileSync(file, [
        "config:",
        "  shop:inventory:",
        "    defaults:",
        "      agent: true",
        "    hosts:",
        "      - name: m1",
        "        role: leader",
        `        hostKeys: ["${KEY_A}"]`,
        `      - { name: w1, address: 10.0.0.2, role: worker, hostKeys: ["${KEY_B}"], colour: red }`,
        "",
      ].join("\n"));
      const locate = stackFileLocator(file, "shop:inventory");
      const document = { defaults: { agent: true }, hosts: [
        { name: "m1", role: "leader", hostKeys: [KEY_A] },
        { name: "w1", address: "10.0.0.2", role: "worker", hostKeys: [KEY_B], colour: "red" },
      ] };
      assert.deepEqual(messages(document, { ...ORIGIN, locate }), [
        // A missing key is reported where its mapping starts.
        "Pulumi.dev.yaml:6:9: shop:inventory.hosts[0].address: is required",
        'Pulumi.dev.yaml:7:15: shop:inventory.hosts[0].role: expected "manager" or "worker", got "leader"',
        "Pulumi.dev.yaml:9:" + (9 + `{ name: w1, address: 10.0.0.2, role: worker, hostKeys: ["${KEY_B}"], `.length) + ": shop:inventory.hosts[1].colour: unknown key",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("toInventory and ExistingHosts", () => {
  it("keeps plain settings and turns a private key into a Pulumi secret", async () => {
    const existing = ExistingHosts.parse({
      hosts: [
        { name: "m1", address: "10.0.0.1", role: "manager", privateKey: PRIVATE_KEY, hostKeys: [KEY_A], labels: { db: "true" } },
        { name: "w1", address: "10.0.0.2", role: "worker", agent: true, trustOnFirstUse: true },
      ],
    }, ORIGIN);
    const [m1, w1] = existing.inventory.hosts;
    assert.ok(m1.auth.kind === "key");
    assert.equal(await pulumi.isSecret(pulumi.output(m1.auth.privateKey)), true);
    assert.deepEqual(m1.hostKeys, { pinned: [KEY_A] });
    assert.deepEqual(m1.labels, { db: "true" });
    assert.deepEqual(w1.hostKeys, { recordOnFirstUse: true });
    assert.deepEqual(w1.auth, { kind: "agent" });
    assert.equal(toInventory(existing.hosts).hosts.length, 2);
  });
});

describe("the inventory in stack config", () => {
  it("is read from <project>:inventory and its problems are positioned in Pulumi.<stack>.yaml", () => {
    const recorder = ResourceRecorder.install({ project: "shop", stack: "dev" });
    const dir = mkdtempSync(join(tmpdir(), "inventory-config-"));
    try {
      const good = { defaults: { agent: true }, hosts: [{ name: "m1", address: "10.0.0.1", role: "manager", hostKeys: [KEY_A] }] };
      pulumi.runtime.setConfig("shop:inventory", JSON.stringify(good));
      const inventory = inventoryFromConfig({ projectDir: dir });
      assert.deepEqual(inventory.hosts.map((h) => [h.name, h.address, h.role, h.user, h.port]), [["m1", "10.0.0.1", "manager", "root", 22]]);
      assert.deepEqual(ExistingHosts.fromConfig({ projectDir: dir }).hosts.map((h) => h.name), ["m1"]);

      writeFileSync(join(dir, "Pulumi.dev.yaml"), "config:\n  shop:inventory:\n    hosts:\n      - name: m1\n        address: 10.0.0.1\n        role: boss\n");
      pulumi.runtime.setConfig("shop:inventory", JSON.stringify({ hosts: [{ name: "m1", address: "10.0.0.1", role: "boss" }] }));
      assert.throws(() => inventoryFromConfig({ projectDir: dir }), {
        message: [
          'Pulumi.dev.yaml:6:15: shop:inventory.hosts[0].role: expected "manager" or "worker", got "boss"',
        ].join("\n"),
      });
      pulumi.runtime.setConfig("shop:cluster", "{}");
      assert.throws(() => inventoryFromConfig({ key: "cluster", projectDir: dir }), { message: "Pulumi.dev.yaml: shop:cluster.hosts: is required" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      recorder.dispose();
    }
  });
});

describe("hostKeysFromKnownHosts", () => {
  const hashed = (host: string) => {
    const salt = randomBytes(20);
    return `|1|${salt.toString("base64")}|${createHmac("sha1", salt).update(host).digest("base64")}`;
  };

  it("reads plain, comma-separated, hashed and non-default-port entries, skipping markers and other hosts", () => {
    const text = [
      "# comment",
      `10.0.0.1,node1 ${KEY_A} node1`,
      `${hashed("10.0.0.1")} ${KEY_B}`,
      `@revoked 10.0.0.1 ${KEY_B}`,
      `10.0.0.9 ${KEY_B}`,
      `[10.0.0.1]:2222 ${KEY_B}`,
      "",
    ].join("\n");
    assert.deepEqual(hostKeysFromKnownHosts(text, "10.0.0.1"), [KEY_A, KEY_B]);
    assert.deepEqual(hostKeysFromKnownHosts(text, "node1"), [KEY_A]);
    assert.deepEqual(hostKeysFromKnownHosts(text, "10.0.0.1", 2222), [KEY_B]);
    assert.deepEqual(hostKeysFromKnownHosts(text, "10.0.0.2"), []);
  });
});
