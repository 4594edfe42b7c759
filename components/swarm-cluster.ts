/**
 * A Docker Swarm made of the hosts of an inventory, bootstrapped over SSH.
 *
 * Order of the steps (each a command in the graph, visible in `pulumi preview`):
 * Docker is installed on every host at once; the first manager runs `swarm init`; the
 * join tokens are read from it (a Pulumi secret); the other managers join one after the
 * other, then the workers together; node settings (labels, availability, role) are
 * applied one node after the other, managers first, so that removals run in the
 * reverse order: workers before managers, the first manager last, never two managers
 * at once. The manager count is checked against Raft's quorum rules before anything
 * is created.
 *
 * Outputs: node ids, the swarm's manager address, its join tokens (secret), and a
 * docker provider that reaches the first manager over SSH with its pinned host key,
 * for ComposeProject.
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import { connectionOf, resolveConnections, type SshConnection } from "../infra/hosts/connection.ts";
import type { Inventory, InventoryHost } from "../infra/hosts/inventory.ts";
import type { HostProvisioner } from "../infra/hosts/provisioner.ts";
import { checkQuorum } from "../infra/hosts/quorum.ts";
import { dockerSshHost, dockerSshOptions } from "../infra/hosts/ssh.ts";
import { parseRecordedHostKeys, recordHostKeysCommand } from "../infra/hosts/swarm-steps.ts";
import { remoteScript, SwarmNode, type SwarmInitSettings } from "./swarm-node.ts";

export const SWARM_CLUSTER_TYPE = "compose:swarm:SwarmCluster";

export interface SwarmClusterArgs {
  /** The hosts, or a provisioner that creates them. */
  hosts: Inventory | HostProvisioner;
  /** Accept an even number of managers (Raft: no more fault tolerance than one fewer). */
  allowEvenManagers?: boolean;
  /** Accept more than seven managers. */
  allowMoreThanSevenManagers?: boolean;
  /**
   * A production cluster: managers that accept workloads are warned about. By default
   * true for stacks named prod, production or prod-*.
   */
  production?: boolean;
  /** swarm init settings of the first manager. */
  init?: SwarmInitSettings;
  /** Docker's package for hosts that have no Docker yet. */
  dockerPackage?: string;
  /** Upper bound for each wait inside the bootstrap scripts, in seconds (default 60). */
  waitSeconds?: number;
  /** Create the docker provider (needs privateKeyPath or an agent on the first manager). Default true. */
  dockerProvider?: boolean;
}

export interface SwarmJoinTokens {
  /** `docker swarm join-token -q worker`. */
  worker: string;
  /** `docker swarm join-token -q manager`. */
  manager: string;
}

function isProductionStack(stack: string): boolean {
  return stack === "prod" || stack === "production" || stack.startsWith("prod-");
}

function inventoryOf(hosts: Inventory | HostProvisioner): Inventory {
  return "inventory" in hosts ? hosts.inventory : hosts;
}

function checkHosts(name: string, hosts: readonly InventoryHost[], args: SwarmClusterArgs): string[] {
  const seen = new Set<string>();
  const duplicates = hosts.filter((host) => (seen.has(host.name) ? true : (seen.add(host.name), false)));
  if (duplicates.length > 0) {
    throw new Error(`swarm "${name}": host names must be unique; repeated: ${[...new Set(duplicates.map((h) => h.name))].join(", ")}`);
  }
  const quorum = checkQuorum(name, hosts, {
    allowEvenManagers: args.allowEvenManagers,
    allowMoreThanSevenManagers: args.allowMoreThanSevenManagers,
    production: args.production ?? isProductionStack(pulumi.getStack()),
  });
  if (quorum.errors.length > 0) throw new Error(quorum.errors.join("\n"));
  const first = hosts.find((host) => host.role === "manager")!;
  if (args.dockerProvider !== false && first.auth.kind === "key") {
    throw new Error(
      `swarm "${name}": the docker provider reaches ${first.name} through the ssh command, which reads keys from files: ` +
        "give that host privateKeyPath or agent: true, or set dockerProvider: false",
    );
  }
  return quorum.warnings;
}

export class SwarmCluster extends pulumi.ComponentResource {
  /** One component per host, by host name. */
  readonly nodes: Record<string, SwarmNode> = {};
  /** Node ids by host name. */
  readonly nodeIds: pulumi.Output<Record<string, string>>;
  /** The swarm's id (`docker info` Swarm.Cluster.ID). */
  readonly clusterId: pulumi.Output<string>;
  /** `address:2377` of the manager that started the swarm. */
  readonly managerAddress: pulumi.Output<string>;
  /** `ssh://user@host:port` of the first manager, as the docker provider reaches it. */
  readonly dockerHost: pulumi.Output<string>;
  /** The ssh flags of the provider (pinned host key, identity), for other docker clients. */
  readonly dockerSshOptions: pulumi.Output<string[]>;
  /** The join tokens, a Pulumi secret. */
  readonly joinTokens: pulumi.Output<SwarmJoinTokens>;
  /** Docker provider for workloads on this swarm (undefined with dockerProvider: false). */
  readonly provider?: docker.Provider;
  /** Host keys recorded at first use, by host name (hosts with trustOnFirstUse). */
  readonly recordedHostKeys: Record<string, pulumi.Output<string[]>> = {};
  /** Warnings about the cluster's shape (also logged), e.g. managers that accept workloads in production. */
  readonly warnings: string[];

  constructor(name: string, args: SwarmClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const hosts = inventoryOf(args.hosts).hosts;
    const warnings = checkHosts(name, hosts, args);
    super(SWARM_CLUSTER_TYPE, name, {}, opts);
    this.warnings = warnings;
    for (const warning of warnings) void pulumi.log.warn(warning, this);

    const connections = new Map<string, SshConnection>();
    for (const host of hosts) connections.set(host.name, connectionOf(host, this.hostKeysOf(name, host)));
    const managers = hosts.filter((host) => host.role === "manager");
    const workers = hosts.filter((host) => host.role === "worker");
    const [first, ...otherManagers] = managers;
    const control = connections.get(first.name)!;
    const peersOf = (host: InventoryHost) =>
      managers.filter((manager) => manager.name !== host.name).map((manager) => connections.get(manager.name)!);
    const common = { control, dockerPackage: args.dockerPackage, waitSeconds: args.waitSeconds };

    const firstNode = new SwarmNode(`${name}-${first.name}`, {
      ...common,
      host: first,
      connection: control,
      peers: peersOf(first),
      init: args.init ?? {},
    }, { parent: this, dependsOn: opts?.dependsOn });
    this.nodes[first.name] = firstNode;

    const tokens = remoteScript(`${name}-join-tokens`, "swarm-join-tokens", {
      targets: [control],
      on: 0,
      inputs: args.waitSeconds === undefined ? {} : { BOOTSTRAP_WAIT_SECONDS: String(args.waitSeconds) },
      secretOutput: true,
    }, { parent: this, dependsOn: [firstNode.membership] });
    this.joinTokens = pulumi.secret(tokens.result.apply((result) => ({ worker: result.workerToken, manager: result.managerToken })));
    const initResult = firstNode.initResult!;
    this.clusterId = pulumi.unsecret(initResult.apply((result) => result.clusterId));
    this.managerAddress = pulumi.unsecret(initResult.apply((result) => result.managerAddr));
    const managerAddrs = pulumi.all(managers.map((manager) => manager.advertiseAddress ?? manager.address));

    let previous: SwarmNode = firstNode;
    const managerNodes: SwarmNode[] = [firstNode];
    const join = (host: InventoryHost, token: pulumi.Output<string>, joinAfter: pulumi.Resource[]) => {
      const node = new SwarmNode(`${name}-${host.name}`, {
        ...common,
        host,
        connection: connections.get(host.name)!,
        peers: peersOf(host),
        join: { token, managerAddrs, clusterId: this.clusterId },
        joinAfter,
        after: previous.settings,
      }, { parent: this, dependsOn: opts?.dependsOn });
      this.nodes[host.name] = node;
      previous = node;
      return node;
    };
    for (const host of otherManagers) {
      managerNodes.push(join(host, this.joinTokens.apply((t) => t.manager), [previous.membership]));
    }
    const managerJoins = managerNodes.map((node) => node.membership);
    for (const host of workers) join(host, this.joinTokens.apply((t) => t.worker), managerJoins);

    this.nodeIds = pulumi.all(Object.fromEntries(Object.entries(this.nodes).map(([host, node]) => [host, node.nodeId])));
    const controlTarget = resolveConnections([control]).targets.apply((targets) => targets[0]);
    this.dockerHost = controlTarget.apply(dockerSshHost);
    this.dockerSshOptions = controlTarget.apply((target) => (target.auth.kind === "key" ? [] : dockerSshOptions(target)));
    if (args.dockerProvider !== false) {
      this.provider = new docker.Provider(`${name}-docker`, {
        host: this.dockerHost,
        sshOpts: this.dockerSshOptions,
      }, { parent: this, dependsOn: Object.values(this.nodes).map((node) => node.settings) });
    }
    this.registerOutputs({
      nodeIds: this.nodeIds,
      clusterId: this.clusterId,
      managerAddress: this.managerAddress,
      dockerHost: this.dockerHost,
    });
  }

  /** The host's pinned keys, or the keys recorded by a first-use scan kept in state. */
  private hostKeysOf(name: string, host: InventoryHost): pulumi.Input<pulumi.Input<string>[]> {
    if ("pinned" in host.hostKeys) return host.hostKeys.pinned;
    void pulumi.log.warn(
      `host ${host.name}: its SSH host key is recorded at the first connection (trustOnFirstUse) and checked from then on; pin it in hostKeys to verify the very first connection too`,
      this,
    );
    const scan = new command.local.Command(`${name}-${host.name}-host-key`, {
      create: pulumi.output(host.address).apply((address) =>
        recordHostKeysCommand(address, host.port, host.connectTimeoutSeconds ?? 60)),
      interpreter: ["/bin/sh", "-c"],
    }, { parent: this });
    const keys = scan.stdout.apply(parseRecordedHostKeys);
    this.recordedHostKeys[host.name] = keys;
    return keys;
  }
}
