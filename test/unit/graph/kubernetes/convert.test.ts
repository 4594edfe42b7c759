/** The Kubernetes target's pure conversion: pod templates, Services, Jobs, claims, placement, names. */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ENDPOINT_DRAIN_SECONDS, workloadSpec, readinessProbe, rollingUpdate, type PodRefs } from "../../../../infra/graph/targets/kubernetes/workload.ts";
import { serviceSpecs } from "../../../../infra/graph/targets/kubernetes/service.ts";
import { jobSpec } from "../../../../infra/graph/targets/kubernetes/job.ts";
import { claimSpec } from "../../../../infra/graph/targets/kubernetes/storage.ts";
import { placement } from "../../../../infra/graph/targets/kubernetes/placement.ts";
import { kubernetesName, namespaceName, suffixedName } from "../../../../infra/graph/targets/kubernetes/names.ts";
import { objectName } from "../../../../infra/graph/targets/kubernetes/objects.ts";
import { loadShop } from "./shop.ts";
import { loadComposeText } from "../load-text.ts";

const refs = (image: string): PodRefs => ({
  image,
  secretName: (key) => `${kubernetesName(key)}-hash`,
  configName: (key) => `${kubernetesName(key)}-hash`,
  claimName: (key) => kubernetesName(key),
});

const demoLabels = (service: string, component: "service" | "job") => ({
  "app.kubernetes.io/name": service,
  "app.kubernetes.io/instance": "demo",
  "app.kubernetes.io/part-of": "demo",
  "app.kubernetes.io/managed-by": "compose-pulumi",
  "app.kubernetes.io/component": component,
  "com.docker.compose.project": "demo",
  "com.docker.compose.service": service,
});

describe("kubernetes names", () => {
  test("compose keys become DNS-1123 labels", () => {
    assert.equal(kubernetesName("db_migrate"), "db-migrate");
    assert.equal(kubernetesName("Web.Front"), "web-front");
    assert.equal(kubernetesName("_x_"), "x");
    const long = kubernetesName("a".repeat(80));
    assert.equal(long.length, 63);
    assert.match(long, /^a{54}-[0-9a-f]{8}$/);
    assert.equal(suffixedName("db_password", "0123abcd"), "db-password-0123abcd");
    assert.equal(namespaceName("shop_prod"), "shop-prod");
    assert.equal(namespaceName("shop", "team-a"), "team-a");
  });
});

describe("kubernetes workload", () => {
  const project = loadShop();

  test("a replicated service is a Deployment with its pod template", () => {
    const spec = workloadSpec(project, "web", refs("example/web:1.2"), "cfg1");
    assert.equal(spec.kind, "Deployment");
    assert.equal(spec.name, "web");
    assert.deepEqual(spec.labels, demoLabels("web", "service"));
    const deployment = spec.spec as any;
    assert.equal(deployment.replicas, 3);
    assert.deepEqual(deployment.selector, { matchLabels: { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "demo" } });
    assert.deepEqual(deployment.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } });
    assert.equal(deployment.minReadySeconds, 30);
    assert.deepEqual(deployment.template.metadata, { labels: demoLabels("web", "service"), annotations: { "com.docker.compose.config-hash": "cfg1" } });
    const pod = deployment.template.spec;
    assert.deepEqual(pod.affinity, {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: "tier", operator: "In", values: ["frontend"] }, { key: "zone", operator: "NotIn", values: ["eu-1"] }] }],
        },
      },
    });
    assert.deepEqual(pod.containers, [
      {
        name: "web",
        image: "example/web:1.2",
        command: ["/bin/app"],
        args: ["serve", "--port", "8080"],
        env: [{ name: "MODE", value: "prod" }],
        ports: [{ containerPort: 8080, protocol: "TCP" }],
        readinessProbe: {
          exec: { command: ["wget", "-q", "-O-", "http://localhost:8080/health"] },
          periodSeconds: 10,
          timeoutSeconds: 3,
          initialDelaySeconds: 20,
          failureThreshold: 5,
        },
        // It serves ports: it keeps serving while it leaves the Service's endpoints.
        lifecycle: { preStop: { sleep: { seconds: ENDPOINT_DRAIN_SECONDS } } },
        resources: { limits: { cpu: "500m", memory: String(256 * 1024 * 1024) }, requests: { cpu: "250m", memory: String(128 * 1024 * 1024) } },
        securityContext: { runAsUser: 1000, runAsGroup: 1000, capabilities: { add: ["NET_ADMIN"] } },
      },
    ]);
  });

  test("a named volume is a claim, a secret a Secret file at its compose target", () => {
    const pod = (workloadSpec(project, "db", refs("postgres:16.4"), "cfg2").spec as any).template.spec;
    assert.deepEqual(pod.volumes, [
      { name: "secret-db-password", secret: { secretName: "db-password-hash", items: [{ key: "content", path: "content", mode: 0o444 }] } },
      { name: "volume-db-data", persistentVolumeClaim: { claimName: "db-data" } },
    ]);
    assert.deepEqual(pod.containers[0].volumeMounts, [
      { name: "secret-db-password", mountPath: "/run/secrets/db_password", subPath: "content", readOnly: true },
      { name: "volume-db-data", mountPath: "/var/lib/postgresql/data" },
    ]);
    assert.deepEqual(pod.containers[0].readinessProbe, { exec: { command: ["/bin/sh", "-c", "pg_isready -U postgres"] }, periodSeconds: 5 });
  });

  test("only a pod that serves ports drains before it stops; its grace period is stop_grace_period plus the drain", () => {
    const text = loadComposeText(`
services:
  api:
    image: example/api:1
    expose: ["8080"]
    stop_grace_period: 20s
  worker:
    image: example/worker:1
    stop_grace_period: 20s
  migrate:
    image: example/api:1
    deploy: { mode: replicated-job }
    expose: ["8080"]
`);
    const pod = (key: string) => (workloadSpec(text, key, refs(`example/${key}:1`), "cfg").spec as any).template.spec;
    assert.deepEqual(pod("api").containers[0].lifecycle, { preStop: { sleep: { seconds: ENDPOINT_DRAIN_SECONDS } } });
    assert.equal(pod("api").terminationGracePeriodSeconds, 20 + ENDPOINT_DRAIN_SECONDS);
    assert.equal(pod("worker").containers[0].lifecycle, undefined);
    assert.equal(pod("worker").terminationGracePeriodSeconds, 20);
    // A Job's pod leaves no Service behind it.
    assert.equal((jobSpec(text, "migrate", refs("example/api:1"), { configHash: "cfg" }).spec as any).template.spec.containers[0].lifecycle, undefined);
  });

  test("a pod holding a claim is replaced, not surged, when there is no update policy", () => {
    assert.deepEqual((workloadSpec(project, "db", refs("postgres:16.4"), "cfg2").spec as any).strategy, { type: "Recreate" });
    assert.equal((workloadSpec(project, "agent", refs("example/agent:1"), "cfg3").spec as any).strategy, undefined);
  });

  test("a literal $( stays literal: Kubernetes would expand it", () => {
    const text = loadComposeText(`
services:
  app:
    image: example/app:1
    entrypoint: ["sh", "-c", "echo $$(date)"]
    environment:
      PRICE: "$$(price) each"
`);
    const container = (workloadSpec(text, "app", refs("example/app:1"), "cfg").spec as any).template.spec.containers[0];
    assert.deepEqual(container.command, ["sh", "-c", "echo $$(date)"]);
    assert.deepEqual(container.env, [{ name: "PRICE", value: "$$(price) each" }]);
  });

  test("mode: global is a DaemonSet, its arch constraint in Kubernetes' spelling", () => {
    const spec = workloadSpec(project, "agent", refs("example/agent:1"), "cfg3");
    assert.equal(spec.kind, "DaemonSet");
    assert.equal((spec.spec as any).replicas, undefined);
    assert.deepEqual((spec.spec as any).template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [
      { matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }] },
    ]);
  });

  test("update_config: stop-first takes down a batch before starting its replacements; parallelism 0 is all at once", () => {
    assert.deepEqual(rollingUpdate({ deploy: { update_config: { parallelism: 1 } } } as any), { maxSurge: 0, maxUnavailable: 1 });
    assert.deepEqual(rollingUpdate({ deploy: { update_config: { parallelism: 0, order: "start-first" } } } as any), { maxSurge: "100%", maxUnavailable: 0 });
    assert.equal(rollingUpdate({} as any), undefined);
  });

  test("a disabled healthcheck has no probe", () => {
    assert.equal(readinessProbe({ test: ["NONE"] } as any), undefined);
    assert.equal(readinessProbe({ test: ["CMD", "true"], disable: true } as any), undefined);
  });
});

describe("kubernetes services", () => {
  const project = loadShop();

  test("ports: a ClusterIP Service named by the key, and the published port by the stack's type", () => {
    const specs = serviceSpecs(project, "web", "NodePort");
    assert.deepEqual(specs.cluster, {
      name: "web",
      labels: demoLabels("web", "service"),
      spec: {
        type: "ClusterIP",
        selector: { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "demo" },
        ports: [{ name: "tcp-8080", port: 8080, targetPort: 8080, protocol: "TCP" }],
      },
    });
    assert.deepEqual(specs.published, {
      name: "web-published",
      labels: demoLabels("web", "service"),
      spec: {
        type: "NodePort",
        selector: { "app.kubernetes.io/name": "web", "app.kubernetes.io/instance": "demo" },
        ports: [{ name: "tcp-30080", port: 30080, targetPort: 8080, protocol: "TCP", nodePort: 30080 }],
      },
    });
    assert.equal((serviceSpecs(project, "web", "LoadBalancer").published!.spec as any).ports[0].nodePort, undefined);
  });

  test("a service without ports is a headless Service, so its name still resolves", () => {
    const specs = serviceSpecs(project, "db", "NodePort");
    assert.deepEqual(specs.cluster.spec, { type: "ClusterIP", selector: { "app.kubernetes.io/name": "db", "app.kubernetes.io/instance": "demo" }, clusterIP: "None" });
    assert.equal(specs.published, undefined);
  });
});

describe("kubernetes jobs", () => {
  test("a one-shot service is a Job named by the hash of its inputs, run once, never retried", () => {
    const project = loadShop();
    const spec = jobSpec(project, "db_migrate", refs("example/web:1.2"), { configHash: "cfg4" });
    assert.match(spec.name, /^db-migrate-[0-9a-f]{8}$/);
    assert.equal(spec.name, `db-migrate-${spec.runHash}`);
    assert.deepEqual(spec.labels, demoLabels("db_migrate", "job"));
    const job = spec.spec as any;
    assert.equal(job.backoffLimit, 0);
    assert.equal(job.completions, 1);
    assert.equal(job.ttlSecondsAfterFinished, undefined);
    assert.equal(job.template.spec.restartPolicy, "Never");
    assert.deepEqual(job.template.spec.containers[0].volumeMounts, [{ name: "secret-db-password", mountPath: "/etc/app/db_password", subPath: "content", readOnly: true }]);
    assert.deepEqual(job.template.spec.volumes[0].secret.items, [{ key: "content", path: "content", mode: 0o400 }]);
    assert.notEqual(jobSpec(project, "db_migrate", refs("example/web:1.2"), { configHash: "cfg5" }).name, spec.name);
    assert.notEqual(jobSpec(project, "db_migrate", refs("example/web:1.2"), { configHash: "cfg4", contextHash: "ctx" }).name, spec.name);
  });
});

describe("kubernetes storage, objects and placement", () => {
  test("a named volume is a claim of the stack's class and size", () => {
    const project = loadShop();
    assert.deepEqual(claimSpec(project, "db_data", { storageClassName: "fast" }), { name: "db-data", external: false, storageClassName: "fast", size: "1Gi" });
  });

  test("a created secret is named by its key and content hash; an external one as it is", () => {
    assert.equal(objectName("db_password", { key: "db_password", external: false, name: "shop_db_password-0123abcd", contentHash: "0123abcd" }), "db-password-0123abcd");
    assert.equal(objectName("tls", { key: "tls", external: true, name: "wildcard_tls" }), "wildcard_tls");
  });

  test("constraints without a node label are left over", () => {
    assert.deepEqual(placement(["node.role == manager", "node.hostname == n1", "engine.labels.x == y"]), {
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["n1"] }] }] } } },
      unconverted: [{ index: 0, constraint: "node.role == manager" }, { index: 2, constraint: "engine.labels.x == y" }],
    });
    assert.deepEqual(placement(undefined), { unconverted: [] });
  });
});
