/** Per-attribute service tests, compose-go loader style: inline YAML in, exact model or exact error out. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadService, serviceIssues } from "./schema-helpers.ts";

const S = 1_000_000_000;

describe("image, build", () => {
  it("keeps the image reference", () => assert.deepEqual(loadService("image: redis:7"), { image: "redis:7" }));
  it("build as a string is the context", () => assert.deepEqual(loadService("build: ./dir").build, { context: "./dir" }));
  it("build long form with every listed key", () => {
    const service = loadService(`
build:
  context: ./dir
  dockerfile: Dockerfile.prod
  args: [FOO=bar, BARE]
  target: prod
  cache_from: [a, b]
  labels: {com.example: x, n: 1}
  secrets: [npmrc, {source: key, target: /run/k, mode: 0400}]
  ssh: [default, "github=~/.ssh/id"]
  network: host
  shm_size: 2g
  platforms: [linux/amd64]
  tags: [web:1]
  extra_hosts: ["db:10.0.0.2"]
  ulimits: {nofile: 1024}
  no_cache: "true"
  x-note: kept`);
    assert.deepEqual(service.build, {
      context: "./dir",
      dockerfile: "Dockerfile.prod",
      args: { FOO: "bar", BARE: null },
      target: "prod",
      cache_from: ["a", "b"],
      labels: { "com.example": "x", n: "1" },
      secrets: [{ source: "npmrc" }, { source: "key", target: "/run/k", mode: 0o400 }],
      ssh: { default: null, github: "~/.ssh/id" },
      network: "host",
      shm_size: 2 * 1024 ** 3,
      platforms: ["linux/amd64"],
      tags: ["web:1"],
      extra_hosts: { db: ["10.0.0.2"] },
      ulimits: { nofile: { single: 1024 } },
      no_cache: true,
      "x-note": "kept",
    });
  });
  it("dockerfile_inline is kept verbatim and conflicts with dockerfile", () => {
    assert.deepEqual(loadService("build:\n  dockerfile_inline: |\n    FROM alpine\n").build, { dockerfile_inline: "FROM alpine\n" });
    assert.deepEqual(serviceIssues("build:\n  dockerfile: D\n  dockerfile_inline: FROM x"), [
      'compose.yaml:5:7: services.web.build.dockerfile_inline: "dockerfile" and "dockerfile_inline" cannot be used together',
    ]);
  });
  it("rejects a bad ssh entry and an unknown build key", () =>
    assert.deepEqual(serviceIssues("build:\n  ssh: [mykey]\n  contxt: ."), [
      'compose.yaml:4:13: services.web.build.ssh[0]: invalid ssh key "mykey": write "default" or "id=path"',
      'compose.yaml:5:7: services.web.build.contxt: unknown key "contxt" (did you mean "context"?)',
    ]));
});

describe("command, entrypoint", () => {
  it("splits a string like a shell", () =>
    assert.deepEqual(loadService(`command: bundle exec thin -p 3000`).command, ["bundle", "exec", "thin", "-p", "3000"]));
  it("keeps a list and null; an empty string is an empty command", () => {
    assert.deepEqual(loadService(`entrypoint: ["/code/entrypoint.sh", "-p", "3000"]`).entrypoint, ["/code/entrypoint.sh", "-p", "3000"]);
    assert.equal(loadService("command: null").command, null);
    assert.deepEqual(loadService(`command: ""`).command, []);
  });
  it("refuses shell operators in the string form and non-strings in the list", () =>
    assert.deepEqual(serviceIssues(`command: echo a && echo b\nentrypoint: [sh, 1]`), [
      'compose.yaml:3:5: services.web.command: unquoted "&" is a shell operator; write the command as a list, e.g. ["sh", "-c", "..."]',
      "compose.yaml:4:22: services.web.entrypoint[1]: expected a string",
    ]));
});

describe("environment, env_file, labels, annotations, sysctls", () => {
  it("environment list: KEY=VAL, KEY= (empty), bare KEY (null, taken from the shell later)", () =>
    assert.deepEqual(loadService("environment:\n  - A=1\n  - B=\n  - C\n  - D=x=y").environment, { A: "1", B: "", C: null, D: "x=y" }));
  it("environment map: numbers and booleans as text, null kept", () =>
    assert.deepEqual(loadService("environment:\n  A: 1\n  B: true\n  C:\n  D: text").environment, { A: "1", B: "true", C: null, D: "text" }));
  it("env_file: string, list and long form", () => {
    assert.deepEqual(loadService("env_file: .env").env_file, [{ path: ".env", required: true }]);
    assert.deepEqual(loadService("env_file:\n  - a.env\n  - path: b.env\n    required: false\n  - path: c.env\n    format: raw").env_file, [
      { path: "a.env", required: true },
      { path: "b.env", required: false },
      { path: "c.env", format: "raw" },
    ]);
  });
  it("env_file long form needs a path", () =>
    assert.deepEqual(serviceIssues("env_file:\n  - required: false"), ["compose.yaml:4:9: services.web.env_file[0].path: is required"]));
  it("labels list and map; a label without a value is empty", () => {
    assert.deepEqual(loadService("labels: [a=1, b]").labels, { a: "1", b: "" });
    assert.deepEqual(loadService("labels:\n  com.example.number: 42\n  empty:").labels, { "com.example.number": "42", empty: "" });
    assert.deepEqual(loadService("annotations: [com.example.foo=bar]").annotations, { "com.example.foo": "bar" });
    assert.deepEqual(loadService("sysctls:\n  net.core.somaxconn: 1024").sysctls, { "net.core.somaxconn": "1024" });
  });
  it("rejects a nested value in a map and a list item without a name", () =>
    assert.deepEqual(serviceIssues("labels:\n  a: {b: c}\nenvironment: [=x]"), [
      "compose.yaml:4:7: services.web.labels.a: expected a string, number, boolean or null, got a mapping",
      'compose.yaml:5:19: services.web.environment[0]: missing name before "="',
    ]));
});

describe("ports, expose", () => {
  it("expands every short form and keeps the long form", () =>
    assert.deepEqual(loadService(`ports:\n  - 3000\n  - "8000:8000"\n  - "127.0.0.1:5000-5001:5000-5001/udp"\n  - target: 80\n    published: 8080\n    mode: host\n    protocol: tcp\n    app_protocol: http\n    name: web`).ports, [
      { target: 3000 },
      { mode: "ingress", target: 8000, published: "8000", protocol: "tcp" },
      { mode: "ingress", host_ip: "127.0.0.1", target: 5000, published: "5000", protocol: "udp" },
      { mode: "ingress", host_ip: "127.0.0.1", target: 5001, published: "5001", protocol: "udp" },
      { target: 80, published: "8080", mode: "host", protocol: "tcp", app_protocol: "http", name: "web" },
    ]));
  it("accepts interpolated strings for target and a published range", () =>
    assert.deepEqual(loadService(`ports:\n  - target: "80"\n    published: "8000-8010"`).ports, [{ target: 80, published: "8000-8010" }]));
  it("rejects bad specs, wrong kinds and bad long-form values, each at its item", () =>
    assert.deepEqual(serviceIssues(`ports:\n  - "80:80:80/tcp"\n  - [80]\n  - 3000.5\n  - target: 70000\n    mode: swarm\n    protocol: icmp\n  - published: 80`), [
      'compose.yaml:4:9: services.web.ports[0]: invalid port "80:80:80/tcp": invalid IP address "80"',
      "compose.yaml:5:9: services.web.ports[1]: expected a port spec string, number or mapping",
      "compose.yaml:6:9: services.web.ports[2]: invalid port 3000.5",
      "compose.yaml:7:9: services.web.ports[3].target: must be between 0 and 65535, got 70000",
      'compose.yaml:8:9: services.web.ports[3].mode: invalid port mode "swarm": expected one of "ingress", "host"',
      'compose.yaml:9:9: services.web.ports[3].protocol: invalid protocol "icmp": expected one of "tcp", "udp", "sctp" (did you mean "tcp"?)',
      "compose.yaml:10:9: services.web.ports[4].target: is required",
    ]));
  it("ports must be a list", () =>
    assert.deepEqual(serviceIssues("ports: 80"), ["compose.yaml:3:5: services.web.ports: expected a list of ports"]));
  it("expose: strings and numbers, ranges and protocols", () => {
    assert.deepEqual(loadService(`expose: ["3000", 8000, "4000-4005", "53/udp"]`).expose, ["3000", "8000", "4000-4005", "53/udp"]);
    assert.deepEqual(serviceIssues(`expose: ["http"]`), ['compose.yaml:3:14: services.web.expose[0]: invalid port "http"']);
  });
});

describe("volumes, tmpfs", () => {
  it("expands short syntax and keeps long syntax", () =>
    assert.deepEqual(loadService(`volumes:
  - /var/lib/anonymous
  - ./static:/var/www/html:ro
  - data:/data:nocopy
  - type: bind
    source: ./opt
    target: /opt
    read_only: "true"
    bind: {propagation: rshared, create_host_path: false, selinux: z}
  - type: volume
    source: data
    target: /sub
    volume: {nocopy: true, subpath: a/b}
  - type: tmpfs
    target: /cache
    tmpfs: {size: 64m, mode: "1777"}
  - type: npipe
    source: \\\\.\\pipe\\docker_engine
    target: \\\\.\\pipe\\docker_engine`).volumes, [
      { type: "volume", target: "/var/lib/anonymous", volume: {} },
      { type: "bind", source: "./static", target: "/var/www/html", read_only: true, bind: { create_host_path: true } },
      { type: "volume", source: "data", target: "/data", volume: { nocopy: true } },
      { type: "bind", source: "./opt", target: "/opt", read_only: true, bind: { propagation: "rshared", create_host_path: false, selinux: "z" } },
      { type: "volume", source: "data", target: "/sub", volume: { nocopy: true, subpath: "a/b" } },
      { type: "tmpfs", target: "/cache", tmpfs: { size: 64 * 1024 ** 2, mode: 1777 } },
      { type: "npipe", source: "\\\\.\\pipe\\docker_engine", target: "\\\\.\\pipe\\docker_engine" },
    ]));
  it("rejects bad specs and options that do not fit the mount type", () =>
    assert.deepEqual(serviceIssues(`volumes:\n  - /a:/b:ro:x\n  - type: volume\n    source: v\n    target: /v\n    bind: {propagation: shared}\n  - type: tmpfs\n    source: x\n    target: /t\n  - type: bind\n    target: /b\n  - type: nfs\n    target: /n`), [
      'compose.yaml:4:9: services.web.volumes[0]: invalid volume "/a:/b:ro:x": too many colons',
      'compose.yaml:8:9: services.web.volumes[1].bind: "bind" options cannot be used with mount type "volume"',
      'compose.yaml:10:9: services.web.volumes[2].source: a tmpfs mount has no "source"',
      'compose.yaml:12:9: services.web.volumes[3].source: a bind mount needs a "source"',
      'compose.yaml:14:9: services.web.volumes[4].type: invalid mount type "nfs": expected one of "bind", "volume", "tmpfs", "npipe", "cluster", "image"',
    ]));
  it("tmpfs: a string or a list", () => {
    assert.deepEqual(loadService("tmpfs: /run").tmpfs, ["/run"]);
    assert.deepEqual(loadService("tmpfs: [/run, /tmp]").tmpfs, ["/run", "/tmp"]);
  });
});

describe("networks, network_mode", () => {
  it("a list of names becomes name -> null", () =>
    assert.deepEqual(loadService("networks: [front, back]").networks, { front: null, back: null }));
  it("the mapping keeps null entries and options", () =>
    assert.deepEqual(loadService(`networks:
  some-network:
    aliases: [alias1, alias3]
    priority: 100
  other-network:
    ipv4_address: 172.16.238.10
    ipv6_address: 2001:3984:3989::10
    mac_address: 02:42:72:98:65:08
    driver_opts: {mtu: 1400}
    gw_priority: 1
  other-other-network:`).networks, {
      "some-network": { aliases: ["alias1", "alias3"], priority: 100 },
      "other-network": { ipv4_address: "172.16.238.10", ipv6_address: "2001:3984:3989::10", mac_address: "02:42:72:98:65:08", driver_opts: { mtu: "1400" }, gw_priority: 1 },
      "other-other-network": null,
    }));
  it("rejects a wrong kind and an unknown attachment key", () =>
    assert.deepEqual(serviceIssues("networks:\n  front:\n    alias: [a]\n  back: 3"), [
      'compose.yaml:5:9: services.web.networks.front.alias: unknown key "alias" (did you mean "aliases"?)',
      "compose.yaml:6:7: services.web.networks.back: expected a mapping of network options or nothing",
    ]));
  it("network_mode is text", () => assert.equal(loadService("network_mode: service:db").network_mode, "service:db"));
});

describe("depends_on", () => {
  it("a list means started and required", () =>
    assert.deepEqual(loadService("depends_on: [db, redis]").depends_on, {
      db: { condition: "service_started", required: true },
      redis: { condition: "service_started", required: true },
    }));
  it("the mapping keeps what is written (normalize fills the rest)", () =>
    assert.deepEqual(
      loadService("depends_on:\n  db: {condition: service_healthy, restart: true}\n  migrate: {condition: service_completed_successfully, required: false}\n  cache: {}").depends_on,
      {
        db: { condition: "service_healthy", restart: true },
        migrate: { condition: "service_completed_successfully", required: false },
        cache: {},
      },
    ));
  it("rejects an unknown condition with a suggestion", () =>
    assert.deepEqual(serviceIssues("depends_on:\n  db:\n    condition: service_healty"), [
      'compose.yaml:5:9: services.web.depends_on.db.condition: invalid condition "service_healty": expected one of "service_started", "service_healthy", "service_completed_successfully" (did you mean "service_healthy"?)',
    ]));
});

describe("healthcheck", () => {
  it("a string test runs in the shell; durations become nanoseconds", () =>
    assert.deepEqual(loadService(`healthcheck:\n  test: echo "hello world"\n  interval: 10s\n  timeout: 1s\n  retries: 5\n  start_period: 15s\n  start_interval: 5s`).healthcheck, {
      test: ["CMD-SHELL", 'echo "hello world"'],
      interval: 10 * S,
      timeout: S,
      retries: 5,
      start_period: 15 * S,
      start_interval: 5 * S,
    }));
  it("list tests and disable are kept", () => {
    assert.deepEqual(loadService(`healthcheck:\n  test: ["CMD", "curl", "-f", "http://localhost"]`).healthcheck, { test: ["CMD", "curl", "-f", "http://localhost"] });
    assert.deepEqual(loadService(`healthcheck:\n  disable: true`).healthcheck, { disable: true });
  });
  it("rejects invalid durations and retries", () =>
    assert.deepEqual(serviceIssues(`healthcheck:\n  interval: 10\n  timeout: 5x\n  retries: many`), [
      'compose.yaml:4:7: services.web.healthcheck.interval: expected a duration such as "10s" or "1m30s", got an integer',
      'compose.yaml:5:7: services.web.healthcheck.timeout: invalid duration "5x": unknown unit "x" (one of ns, us, ms, s, m, h, d, w)',
      'compose.yaml:6:7: services.web.healthcheck.retries: invalid integer "many"',
    ]));
});

describe("secrets, configs", () => {
  it("short and long forms; mode strings are octal", () => {
    const service = loadService(`secrets:\n  - db_password\n  - source: api_key\n    target: /run/secrets/api\n    uid: '103'\n    gid: 103\n    mode: "0440"\nconfigs:\n  - config1\n  - source: config2\n    target: /my_config\n    mode: 0440`);
    assert.deepEqual(service.secrets, [{ source: "db_password" }, { source: "api_key", target: "/run/secrets/api", uid: "103", gid: "103", mode: 0o440 }]);
    assert.deepEqual(service.configs, [{ source: "config1" }, { source: "config2", target: "/my_config", mode: 0o440 }]);
  });
  it("rejects a long form without source and a bad mode", () =>
    assert.deepEqual(serviceIssues(`secrets:\n  - target: /x\n    mode: rw`), [
      "compose.yaml:4:9: services.web.secrets[0].source: is required",
      'compose.yaml:5:9: services.web.secrets[0].mode: invalid file mode "rw"',
    ]));
});

describe("scalar service keys", () => {
  it("keeps strings, booleans (also interpolated ones) and numbers", () =>
    assert.deepEqual(
      loadService(`user: "1000:1000"\nworking_dir: /app\nhostname: web\ndomainname: example.com\ninit: "true"\nread_only: yes\nstdin_open: true\ntty: "false"\nprivileged: false\ncap_add: [NET_ADMIN]\ncap_drop: [ALL]\nsecurity_opt: [no-new-privileges:true]\nstop_signal: SIGINT\nstop_grace_period: 1m30s\npid: host\nipc: shareable\nuserns_mode: host\nplatform: linux/arm64\npull_policy: every_12h\nprofiles: [debug]\nscale: "3"\nshm_size: 64m\ngroup_add: [mail, 1000]\ndns: 8.8.8.8\ndns_search: [example.com]\ndns_opt: [use-vc]\nrestart: on-failure:3\ncontainer_name: my-web`),
      {
        user: "1000:1000",
        working_dir: "/app",
        hostname: "web",
        domainname: "example.com",
        init: true,
        read_only: true,
        stdin_open: true,
        tty: false,
        privileged: false,
        cap_add: ["NET_ADMIN"],
        cap_drop: ["ALL"],
        security_opt: ["no-new-privileges:true"],
        stop_signal: "SIGINT",
        stop_grace_period: 90 * S,
        pid: "host",
        ipc: "shareable",
        userns_mode: "host",
        platform: "linux/arm64",
        pull_policy: "every_12h",
        profiles: ["debug"],
        scale: 3,
        shm_size: 64 * 1024 ** 2,
        group_add: ["mail", "1000"],
        dns: ["8.8.8.8"],
        dns_search: ["example.com"],
        dns_opt: ["use-vc"],
        restart: "on-failure:3",
        container_name: "my-web",
      },
    ));
  it("rejects wrong kinds and bad words", () =>
    assert.deepEqual(serviceIssues(`privileged: maybe\ntty: 1\nrestart: allways\npull_policy: sometimes\ncap_add: NET_ADMIN\nscale: -1\ncontainer_name: "-bad"`), [
      'compose.yaml:3:5: services.web.privileged: invalid boolean "maybe": expected true or false',
      "compose.yaml:4:5: services.web.tty: expected a boolean (true or false), got an integer",
      'compose.yaml:5:5: services.web.restart: invalid restart policy "allways": expected "no", "always", "on-failure[:max-retries]" or "unless-stopped"',
      'compose.yaml:6:5: services.web.pull_policy: invalid pull policy "sometimes": expected always, never, missing, build, if_not_present, refresh, daily, weekly or every_<duration>',
      "compose.yaml:7:5: services.web.cap_add: expected a list of strings, got a string",
      "compose.yaml:8:5: services.web.scale: must be at least 0, got -1",
      'compose.yaml:9:5: services.web.container_name: invalid container name "-bad": use letters, digits, "_", "." and "-", starting with a letter or digit',
    ]));
});

describe("ulimits, extra_hosts, devices, logging, extends", () => {
  it("ulimits: one number or soft/hard", () => {
    assert.deepEqual(loadService("ulimits:\n  nproc: 65535\n  nofile: {soft: 20000, hard: 40000}").ulimits, {
      nproc: { single: 65535 },
      nofile: { soft: 20000, hard: 40000 },
    });
    assert.deepEqual(serviceIssues("ulimits:\n  nofile: {soft: 2, hard: 1}\n  nproc: {soft: 1}"), [
      "compose.yaml:4:16: services.web.ulimits.nofile.soft: soft limit 2 is above hard limit 1",
      "compose.yaml:5:7: services.web.ulimits.nproc.hard: is required",
    ]);
  });
  it("extra_hosts: list with : or =, mapping with one or several addresses", () => {
    assert.deepEqual(loadService(`extra_hosts: ["somehost:162.242.195.82", "v6=::1", "both=[::1],10.0.0.1"]`).extra_hosts, {
      somehost: ["162.242.195.82"],
      v6: ["::1"],
      both: ["::1", "10.0.0.1"],
    });
    assert.deepEqual(loadService(`extra_hosts:\n  a: 10.0.0.1\n  b: [10.0.0.2, 10.0.0.3]`).extra_hosts, { a: ["10.0.0.1"], b: ["10.0.0.2", "10.0.0.3"] });
    assert.deepEqual(serviceIssues(`extra_hosts: ["nohost"]`), [
      'compose.yaml:3:19: services.web.extra_hosts[0]: invalid extra host "nohost": missing address (write "host:address")',
    ]);
  });
  it("devices: short forms default to rwm", () =>
    assert.deepEqual(loadService(`devices:\n  - /dev/ttyUSB0\n  - "/dev/sda:/dev/xvda"\n  - "/dev/fuse:/dev/fuse:r"\n  - source: /dev/dri\n    target: /dev/dri\n    permissions: rw`).devices, [
      { source: "/dev/ttyUSB0", target: "/dev/ttyUSB0", permissions: "rwm" },
      { source: "/dev/sda", target: "/dev/xvda", permissions: "rwm" },
      { source: "/dev/fuse", target: "/dev/fuse", permissions: "r" },
      { source: "/dev/dri", target: "/dev/dri", permissions: "rw" },
    ]));
  it("logging options become text; extends short and long", () => {
    assert.deepEqual(loadService("logging:\n  driver: json-file\n  options: {max-size: 10m, max-file: 3}").logging, {
      driver: "json-file",
      options: { "max-size": "10m", "max-file": "3" },
    });
    assert.deepEqual(loadService("extends: base").extends, { service: "base" });
    assert.deepEqual(loadService("extends: {service: base, file: common.yaml}").extends, { service: "base", file: "common.yaml" });
  });
  it("x- extensions are kept on services", () => assert.deepEqual(loadService("image: a\nx-team: core"), { image: "a", "x-team": "core" }));
});
