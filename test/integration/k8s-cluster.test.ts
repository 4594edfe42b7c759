// The Kubernetes test cluster (scripts/k8s-up.sh): two netns test hosts as nodes, the
// control plane on node1, binaries built from the k8s.io/kubernetes module. A web server
// from the local registry runs on both nodes and answers through a Service, by its
// ClusterIP from inside a node, by its NodePort from this machine, and by its name
// (CoreDNS) from another pod. A claim without a storage class gets a volume of the
// default class (local-path-provisioner) that outlives its pods and goes with the claim.
// A cluster that was up before the test stays up; one the test started is stopped.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import { harnessUnavailableReason } from "../harness/hosts.ts";
import { publishBusyboxImage } from "../harness/images.ts";
import {
  clusterUnavailableReason, kubectl, kubectlJson, pinnedKubernetesVersion, startTestCluster, stopTestCluster, testClusterRunning,
  type TestCluster,
} from "../harness/kubernetes.ts";
import { run } from "../harness/process.ts";
import { waitFor } from "../harness/wait.ts";

let cluster: TestCluster | undefined;
let unavailable: string | undefined;
let image = "";
/** The cluster was up before this file ran (someone else's): left running at the end. */
let reused = false;

function skipUnlessReady(t: TestContext): boolean {
  if (unavailable) {
    t.skip(unavailable);
    return true;
  }
  return false;
}

function getJson<T>(args: string[]): Promise<T> {
  return kubectlJson<T>(cluster!, args);
}

interface Node {
  metadata: { name: string };
  status: { conditions: { type: string; status: string }[]; nodeInfo: { kubeletVersion: string; kubeProxyVersion: string }; addresses: { type: string; address: string }[] };
}
interface Pod {
  metadata: { name: string };
  spec: { nodeName: string };
  status: { podIP: string; conditions?: { type: string; status: string }[] };
}
interface Service {
  spec: { clusterIP: string; ports: { port: number; nodePort: number }[] };
}
interface Claim {
  spec: { storageClassName?: string; volumeName?: string };
  status: { phase: string };
}
interface Volume {
  spec: {
    hostPath?: { path: string };
    persistentVolumeReclaimPolicy: string;
    storageClassName: string;
    nodeAffinity?: { required: { nodeSelectorTerms: { matchExpressions: { key: string; values: string[] }[] }[] } };
  };
}

const NAMESPACE = "k8s-cluster-test";
const APP = "web";

/** Two replicas of busybox's httpd, one per node, each serving its own pod name. */
function manifests(): string {
  const labels = { app: APP };
  const items = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: APP, namespace: NAMESPACE },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            // One pod per node, so answers through the Service cross the nodes' routes.
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: labels } }],
            containers: [{
              name: "httpd",
              image,
              command: ["sh", "-c", "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www"],
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: "/index.html", port: 8080 }, periodSeconds: 1 },
            }],
          },
        },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: APP, namespace: NAMESPACE },
      spec: { type: "NodePort", selector: labels, ports: [{ port: 80, targetPort: 8080 }] },
    },
  ];
  return JSON.stringify({ apiVersion: "v1", kind: "List", items });
}

/** Asks url many times from inside the network namespace netns (or this machine) and collects the answers. */
async function answers(url: string, netns: string | undefined, tries: number): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < tries; i++) {
    const argv = ["curl", "-fsS", "--max-time", "3", url];
    const result = netns ? await run("nsenter", [`--net=/var/run/netns/${netns}`, ...argv]) : await run(argv[0], argv.slice(1));
    if (result.code === 0) seen.add(result.stdout.trim());
  }
  return seen;
}

describe("Kubernetes test cluster on netns test hosts", { timeout: 4_500_000 }, () => {
  before(async () => {
    unavailable = await harnessUnavailableReason() ?? await clusterUnavailableReason();
    if (unavailable) return;
    const started = Date.now();
    reused = await testClusterRunning();
    cluster = await startTestCluster(2);
    console.log(`# cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s (API ${cluster.apiServer})`);
    image = await publishBusyboxImage(cluster.hosts, "busybox", "k8s");
    // A reused cluster may hold an earlier run's objects.
    await kubectl(cluster, ["delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait", "--timeout=120s"], undefined, 150_000);
  }, { timeout: 4_000_000 });

  after(async () => {
    if (!cluster) return;
    if (reused) {
      // In the background: the web pods take their 30 s grace period (httpd ignores SIGTERM).
      await kubectl(cluster, ["delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=false"]);
    } else {
      await stopTestCluster();
    }
  }, { timeout: 300_000 });

  it("has two Ready nodes running the pinned Kubernetes version", { timeout: 60_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    const version = await pinnedKubernetesVersion();
    const nodes = (await getJson<{ items: Node[] }>(["get", "nodes"])).items;
    assert.deepEqual(nodes.map((n) => n.metadata.name).sort(), ["node1", "node2"]);
    for (const node of nodes) {
      assert.equal(node.status.conditions.find((c) => c.type === "Ready")?.status, "True", node.metadata.name);
      assert.equal(node.status.nodeInfo.kubeletVersion, version);
      const host = cluster!.hosts.hosts.find((h) => h.name === node.metadata.name);
      assert.deepEqual(node.status.addresses.filter((a) => a.type === "InternalIP").map((a) => a.address), [host?.address]);
    }
    const server = JSON.parse((await kubectl(cluster!, ["version", "-o", "json"])).stdout) as {
      clientVersion: { gitVersion: string };
      serverVersion: { gitVersion: string };
    };
    assert.equal(server.clientVersion.gitVersion, version);
    assert.equal(server.serverVersion.gitVersion, version);
  });

  it("runs a pod from the local registry on each node and answers through its Service", { timeout: 600_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    await kubectl(cluster!, ["apply", "-f", "-"], manifests());
    await kubectl(cluster!, ["-n", NAMESPACE, "rollout", "status", `deployment/${APP}`, "--timeout=300s"], undefined, 330_000);

    const pods = (await getJson<{ items: Pod[] }>(["-n", NAMESPACE, "get", "pods", "-l", `app=${APP}`])).items;
    assert.equal(pods.length, 2);
    assert.deepEqual(pods.map((p) => p.spec.nodeName).sort(), ["node1", "node2"]);
    for (const pod of pods) {
      assert.equal(pod.status.conditions?.find((c) => c.type === "Ready")?.status, "True", pod.metadata.name);
    }
    const podNames = new Set(pods.map((p) => p.metadata.name));
    const images = (await kubectl(cluster!, ["-n", NAMESPACE, "get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].image}"])).stdout.split(" ");
    assert.deepEqual(images, [image, image]);

    const service = await getJson<Service>(["-n", NAMESPACE, "get", "service", APP]);
    const { clusterIP } = service.spec;
    const { nodePort } = service.spec.ports[0];
    assert.match(clusterIP, /^10\.96\./);

    // From node1's network namespace through the ClusterIP: kube-proxy's rules pick a pod
    // on either node, so over enough requests both pods answer.
    const node1 = cluster!.hosts.hosts[0];
    const byClusterIP = await waitFor("both pods to answer on the ClusterIP", 60_000, async () => {
      const seen = await answers(`http://${clusterIP}/index.html`, node1.netns, 20);
      return seen.size === 2 ? seen : undefined;
    });
    assert.deepEqual(byClusterIP, podNames);

    // From this machine through node2's NodePort.
    const node2 = cluster!.hosts.hosts[1];
    const byNodePort = await waitFor("both pods to answer on the NodePort", 60_000, async () => {
      const seen = await answers(`http://${node2.address}:${nodePort}/index.html`, undefined, 20);
      return seen.size === 2 ? seen : undefined;
    });
    assert.deepEqual(byNodePort, podNames);
  });

  it("resolves the Service by name through the cluster DNS", { timeout: 300_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    const pods = (await getJson<{ items: Pod[] }>(["-n", NAMESPACE, "get", "pods", "-l", `app=${APP}`])).items;
    assert.equal(pods.length, 2, "the previous test's pods run");
    const client = "dns-client";
    // The short name goes through the pod's search path (<namespace>.svc.cluster.local) to
    // CoreDNS, for nslookup and for wget alike. (busybox's wget crashes on its -T option.)
    const script = `nslookup ${APP}; timeout 10 wget -q -O- http://${APP}/index.html`;
    await kubectl(cluster!, ["-n", NAMESPACE, "run", client, `--image=${image}`, "--restart=Never", "--command", "--", "sh", "-c", script]);
    const phase = await waitFor("the DNS client to finish", 120_000, async () => {
      const p = (await kubectl(cluster!, ["-n", NAMESPACE, "get", "pod", client, "-o", "jsonpath={.status.phase}"])).stdout;
      return p === "Succeeded" || p === "Failed" ? p : undefined;
    });
    const output = (await kubectl(cluster!, ["-n", NAMESPACE, "logs", client])).stdout;
    assert.equal(phase, "Succeeded", output);
    const service = await getJson<Service>(["-n", NAMESPACE, "get", "service", APP]);
    assert.match(output, new RegExp(`^Name:\\s+${APP}\\.${NAMESPACE}\\.svc\\.cluster\\.local$`, "m"));
    assert.match(output, new RegExp(`^Address: ${service.spec.clusterIP.replaceAll(".", "\\.")}$`, "m"));
    const answer = output.trim().split("\n").pop();
    assert.ok(pods.some((p) => p.metadata.name === answer), `${answer} is one of ${pods.map((p) => p.metadata.name).join(", ")}`);
  });

  it("gives a claim without a storage class a local-path volume that outlives its pod and goes with the claim", { timeout: 600_000 }, async (t) => {
    if (skipUnlessReady(t)) return;
    const claim = "data";
    const written = `written at ${new Date().toISOString()}`;
    const pod = (name: string, script: string) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: NAMESPACE },
      spec: {
        restartPolicy: "Never",
        containers: [{ name, image, command: ["sh", "-c", script], volumeMounts: [{ name: "data", mountPath: "/data" }] }],
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim } }],
      },
    });
    /** Runs the pod to its end; returns it with its output. */
    const runPod = async (name: string, script: string): Promise<{ pod: Pod; output: string }> => {
      await kubectl(cluster!, ["apply", "-f", "-"], JSON.stringify(pod(name, script)));
      const phase = await waitFor(`pod ${name} to finish`, 180_000, async () => {
        const p = (await kubectl(cluster!, ["-n", NAMESPACE, "get", "pod", name, "-o", "jsonpath={.status.phase}"])).stdout;
        return p === "Succeeded" || p === "Failed" ? p : undefined;
      });
      const output = (await kubectl(cluster!, ["-n", NAMESPACE, "logs", name])).stdout;
      assert.equal(phase, "Succeeded", `${name}: ${output}`);
      return { pod: await getJson<Pod>(["-n", NAMESPACE, "get", "pod", name]), output };
    };

    await kubectl(cluster!, ["apply", "-f", "-"], JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } },
        {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: claim, namespace: NAMESPACE },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "16Mi" } } },
        },
      ],
    }));
    const pending = await getJson<Claim>(["-n", NAMESPACE, "get", "pvc", claim]);
    assert.equal(pending.spec.storageClassName, "local-path", "the default StorageClass");
    assert.equal(pending.status.phase, "Pending", "no volume before a pod uses the claim (WaitForFirstConsumer)");

    const writer = await runPod("writer", `echo "${written}" > /data/file`);
    const node = writer.pod.spec.nodeName;
    const bound = await getJson<Claim>(["-n", NAMESPACE, "get", "pvc", claim]);
    assert.equal(bound.status.phase, "Bound");
    const volumeName = bound.spec.volumeName!;
    const volume = await getJson<Volume>(["get", "pv", volumeName]);
    assert.equal(volume.spec.storageClassName, "local-path");
    assert.equal(volume.spec.persistentVolumeReclaimPolicy, "Delete");
    assert.deepEqual(volume.spec.nodeAffinity?.required.nodeSelectorTerms[0].matchExpressions[0].values, [node]);
    const path = volume.spec.hostPath?.path ?? "";
    assert.match(path, new RegExp(`^/opt/local-path-provisioner/${volumeName}_${NAMESPACE}_${claim}$`));
    // The node's volume directory is its own, in its state directory.
    const onNode = join(dirname(cluster!.kubeconfig), node, "private", path);
    assert.equal(readFileSync(join(onNode, "file"), "utf8"), `${written}\n`);

    await kubectl(cluster!, ["-n", NAMESPACE, "delete", "pod", "writer", "--wait", "--timeout=60s"]);
    // The volume's node affinity brings the reader to the writer's node.
    const reader = await runPod("reader", "cat /data/file");
    assert.equal(reader.pod.spec.nodeName, node);
    assert.equal(reader.output, `${written}\n`);

    await kubectl(cluster!, ["-n", NAMESPACE, "delete", "pod", "reader", "--wait", "--timeout=60s"]);
    await kubectl(cluster!, ["-n", NAMESPACE, "delete", "pvc", claim, "--wait", "--timeout=60s"]);
    await waitFor(`volume ${volumeName} to be deleted`, 120_000, async () =>
      (await kubectl(cluster!, ["get", "pv", volumeName, "--ignore-not-found", "-o", "name"])).stdout.trim() === "" ? true : undefined);
    assert.equal(existsSync(onNode), false, `${onNode} is removed with the volume`);
  });
});
