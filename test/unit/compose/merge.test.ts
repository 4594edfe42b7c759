import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { enforceUnicity, mergeModels, mergeServices } from "../../../infra/compose/merge.ts";
import { load, loadUnchecked, writeProject } from "./assembly-helpers.ts";

const service = (fields: Record<string, unknown>) => ({ services: { web: fields } });
const mergedWeb = (base: Record<string, unknown>, override: Record<string, unknown>) =>
  (mergeModels(service(base), service(override)).services as Record<string, unknown>).web;

describe("merge: scalars and mappings", () => {
  it("replaces scalars and keeps what the override leaves out", () => {
    assert.deepEqual(mergedWeb({ image: "nginx:1", user: "www" }, { image: "nginx:2" }), { image: "nginx:2", user: "www" });
  });

  it("merges environment by name; a null override replaces the base value", () => {
    assert.deepEqual(
      mergedWeb({ environment: { A: "1", B: "2", C: "3" } }, { environment: { B: "two", C: null, D: "4" } }),
      { environment: { A: "1", B: "two", C: null, D: "4" } },
    );
  });

  it("merges labels, annotations, sysctls and build args by key", () => {
    assert.deepEqual(
      mergedWeb(
        { labels: { a: "1", b: "2" }, annotations: { x: "1" }, sysctls: { "net.a": "1" }, build: { context: "/a", args: { A: "1" } } },
        { labels: { b: "3" }, annotations: { y: "2" }, sysctls: { "net.a": "0" }, build: { args: { B: "2" } } },
      ),
      {
        labels: { a: "1", b: "3" },
        annotations: { x: "1", y: "2" },
        sysctls: { "net.a": "0" },
        build: { context: "/a", args: { A: "1", B: "2" } },
      },
    );
  });

  it("keeps a base value when the override holds null (not a merge directive)", () => {
    assert.deepEqual(
      mergedWeb({ networks: { front: { aliases: ["a"] } } }, { networks: { front: null, back: null } }),
      { networks: { front: { aliases: ["a"] }, back: null } },
    );
  });

  it("merges depends_on entries key by key", () => {
    assert.deepEqual(
      mergedWeb(
        { depends_on: { db: { condition: "service_started", required: true } } },
        { depends_on: { db: { condition: "service_healthy" }, cache: { condition: "service_started", required: false } } },
      ),
      {
        depends_on: {
          db: { condition: "service_healthy", required: true },
          cache: { condition: "service_started", required: false },
        },
      },
    );
  });

  it("deep-merges extensions", () => {
    assert.deepEqual(
      mergeModels({ "x-common": { a: 1, b: { c: 2 } } }, { "x-common": { b: { d: 3 } } }),
      { "x-common": { a: 1, b: { c: 2, d: 3 } } },
    );
  });
});

describe("merge: values replaced as a whole", () => {
  it("replaces command and entrypoint instead of appending", () => {
    assert.deepEqual(
      mergedWeb({ command: ["a", "b"], entrypoint: ["/x"] }, { command: ["c"], entrypoint: null }),
      { command: ["c"], entrypoint: null },
    );
  });

  it("replaces healthcheck.test but merges the rest of the healthcheck", () => {
    assert.deepEqual(
      mergedWeb(
        { healthcheck: { test: ["CMD", "a"], interval: 10_000_000_000, retries: 3 } },
        { healthcheck: { test: ["CMD-SHELL", "b"], retries: 5 } },
      ),
      { healthcheck: { test: ["CMD-SHELL", "b"], interval: 10_000_000_000, retries: 5 } },
    );
  });

  it("replaces each ulimit", () => {
    assert.deepEqual(
      mergedWeb({ ulimits: { nofile: { soft: 1, hard: 2 }, nproc: { single: 10 } } }, { ulimits: { nofile: { single: 5 } } }),
      { ulimits: { nofile: { single: 5 }, nproc: { single: 10 } } },
    );
  });

  it("merges logging options only when the driver is the same", () => {
    assert.deepEqual(
      mergedWeb({ logging: { driver: "syslog", options: { a: "1" } } }, { logging: { options: { b: "2" } } }),
      { logging: { driver: "syslog", options: { a: "1", b: "2" } } },
    );
    assert.deepEqual(
      mergedWeb({ logging: { driver: "syslog", options: { a: "1" } } }, { logging: { driver: "json-file", options: { b: "2" } } }),
      { logging: { driver: "json-file", options: { b: "2" } } },
    );
  });
});

describe("merge: sequences", () => {
  it("appends ports and collapses the same binding", () => {
    assert.deepEqual(
      mergedWeb(
        { ports: [{ mode: "ingress", target: 80, published: "8080", protocol: "tcp" }] },
        {
          ports: [
            { mode: "host", target: 80, published: "8080", protocol: "tcp" },
            { mode: "ingress", target: 80, published: "8080", protocol: "udp" },
          ],
        },
      ),
      {
        ports: [
          { mode: "host", target: 80, published: "8080", protocol: "tcp" },
          { mode: "ingress", target: 80, published: "8080", protocol: "udp" },
        ],
      },
    );
  });

  it("replaces a volume mounted on the same target, in place", () => {
    assert.deepEqual(
      mergedWeb(
        { volumes: [{ type: "volume", source: "a", target: "/a" }, { type: "volume", source: "b", target: "/b" }] },
        { volumes: [{ type: "bind", source: "/srv/a", target: "/a" }, { type: "tmpfs", target: "/c" }] },
      ),
      {
        volumes: [
          { type: "bind", source: "/srv/a", target: "/a" },
          { type: "volume", source: "b", target: "/b" },
          { type: "tmpfs", target: "/c" },
        ],
      },
    );
  });

  it("identifies secrets and configs by target, defaulting to /run/secrets/<source> and /<source>", () => {
    assert.deepEqual(
      mergedWeb(
        { secrets: [{ source: "s1" }, { source: "s2", target: "/x" }], configs: [{ source: "c1" }] },
        { secrets: [{ source: "s1", mode: 0o400 }, { source: "s3", target: "/x" }], configs: [{ source: "c1", target: "/c1", uid: "1" }] },
      ),
      {
        secrets: [{ source: "s1", mode: 0o400 }, { source: "s3", target: "/x" }],
        configs: [{ source: "c1", target: "/c1", uid: "1" }],
      },
    );
  });

  it("keeps expose, dns, dns_search, cap_add, cap_drop, profiles and tmpfs entries once", () => {
    assert.deepEqual(
      mergedWeb(
        { expose: ["80"], dns: ["1.1.1.1"], dns_search: ["a"], cap_add: ["NET_ADMIN"], cap_drop: ["ALL"], profiles: ["p"], tmpfs: ["/run"] },
        { expose: ["80", "81"], dns: ["1.1.1.1", "8.8.8.8"], dns_search: ["a"], cap_add: ["NET_ADMIN"], cap_drop: ["ALL"], profiles: ["p", "q"], tmpfs: ["/run", "/tmp"] },
      ),
      {
        expose: ["80", "81"],
        dns: ["1.1.1.1", "8.8.8.8"],
        dns_search: ["a"],
        cap_add: ["NET_ADMIN"],
        cap_drop: ["ALL"],
        profiles: ["p", "q"],
        tmpfs: ["/run", "/tmp"],
      },
    );
  });

  it("identifies devices by target and env files by path", () => {
    assert.deepEqual(
      mergedWeb(
        { devices: [{ source: "/dev/a", target: "/dev/x", permissions: "rwm" }], env_file: [{ path: "/p/a.env", required: true }] },
        { devices: [{ source: "/dev/b", target: "/dev/x", permissions: "r" }], env_file: [{ path: "/p/a.env", required: false }, { path: "/p/b.env", required: true }] },
      ),
      {
        devices: [{ source: "/dev/b", target: "/dev/x", permissions: "r" }],
        env_file: [
          { path: "/p/a.env", required: false },
          { path: "/p/b.env", required: true },
        ],
      },
    );
  });

  it("joins the addresses of extra hosts, each once", () => {
    assert.deepEqual(
      mergedWeb({ extra_hosts: { db: ["10.0.0.1"], cache: ["10.0.0.2"] } }, { extra_hosts: { db: ["10.0.0.1", "10.0.0.9"] } }),
      { extra_hosts: { db: ["10.0.0.1", "10.0.0.9"], cache: ["10.0.0.2"] } },
    );
  });

  it("appends other sequences as they are (placement constraints)", () => {
    assert.deepEqual(
      mergedWeb({ deploy: { placement: { constraints: ["node.role==worker"] } } }, { deploy: { placement: { constraints: ["node.role==worker", "a==b"] } } }),
      { deploy: { placement: { constraints: ["node.role==worker", "node.role==worker", "a==b"] } } },
    );
  });

  it("collapses duplicates inside a single service too", () => {
    assert.deepEqual(enforceUnicity({ expose: ["80", "80"], networks: { front: { aliases: ["a", "a", "b"] } } }), {
      expose: ["80"],
      networks: { front: { aliases: ["a", "b"] } },
    });
  });
});

describe("merge: top-level resources", () => {
  it("merges networks, IPAM pools by subnet, and labels", () => {
    assert.deepEqual(
      mergeModels(
        { networks: { back: { driver: "bridge", labels: { a: "1" }, ipam: { config: [{ subnet: "10.0.0.0/24", gateway: "10.0.0.1" }] } } } },
        {
          networks: {
            back: { labels: { b: "2" }, ipam: { config: [{ subnet: "10.0.0.0/24", ip_range: "10.0.0.0/25" }, { subnet: "10.1.0.0/24" }] } },
          },
        },
      ),
      {
        networks: {
          back: {
            driver: "bridge",
            labels: { a: "1", b: "2" },
            ipam: { config: [{ subnet: "10.0.0.0/24", gateway: "10.0.0.1", ip_range: "10.0.0.0/25" }, { subnet: "10.1.0.0/24" }] },
          },
        },
      },
    );
  });

  it("does not modify its inputs", () => {
    const base = service({ ports: [{ target: 1 }], environment: { A: "1" } });
    const override = service({ ports: [{ target: 2 }], environment: { B: "2" } });
    const before = JSON.stringify([base, override]);
    mergeModels(base, override);
    assert.equal(JSON.stringify([base, override]), before);
  });
});

describe("merge: !reset and !override", () => {
  it("applies directives given with the override", () => {
    const merged = mergeModels(service({ ports: [{ target: 1 }], environment: { A: "1", B: "2" } }), service({ environment: { C: "3" } }), {
      reset: [["services", "web", "ports"]],
      override: [["services", "web", "environment"]],
    });
    assert.deepEqual(merged, service({ environment: { C: "3" } }));
  });

  it("honours the tags written in an override file", () => {
    const dir = writeProject({
      "compose.yaml": "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n    environment: {A: '1', B: '2'}\n",
      "override.yaml": "services:\n  web:\n    ports: !reset []\n    environment: !override\n      C: '3'\n",
    });
    const web = loadUnchecked(dir, ["compose.yaml", "override.yaml"]).services as Record<string, Record<string, unknown>>;
    assert.equal(web.web.ports, undefined);
    assert.deepEqual(web.web.environment, { C: "3" });
  });
});

describe("merge: mergeServices (extends)", () => {
  it("merges with the service rules", () => {
    assert.deepEqual(
      mergeServices({ image: "a", command: ["x"], ports: [{ target: 80, published: "80" }] }, { command: ["y"], ports: [{ target: 80, published: "80" }] }),
      { image: "a", command: ["y"], ports: [{ target: 80, published: "80" }] },
    );
  });
});

describe("merge: files given with -f", () => {
  it("merges files in order, later files winning", () => {
    const dir = writeProject({
      "compose.yaml": [
        "services:",
        "  web:",
        "    image: nginx:1",
        "    ports: ['8080:80']",
        "    environment: [A=1, B=2]",
        "    volumes: ['data:/data']",
        "volumes:",
        "  data: {}",
        "",
      ].join("\n"),
      "compose.override.yaml": [
        "services:",
        "  web:",
        "    image: nginx:2",
        "    ports: ['8080:80', '9090:90']",
        "    environment: {B: two}",
        "    volumes: ['/srv/data:/data']",
        "",
      ].join("\n"),
    });
    const project = load(dir, ["compose.yaml", "compose.override.yaml"]);
    const web = project.services.web;
    assert.equal(web.image, "nginx:2");
    assert.deepEqual(web.ports, [
      { mode: "ingress", target: 80, published: "8080", protocol: "tcp" },
      { mode: "ingress", target: 90, published: "9090", protocol: "tcp" },
    ]);
    assert.deepEqual(web.environment, { A: "1", B: "two" });
    assert.deepEqual(web.volumes, [{ type: "bind", source: "/srv/data", target: "/data", bind: { create_host_path: true } }]);
  });
});
