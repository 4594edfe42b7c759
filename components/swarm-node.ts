/**
 * One host of a swarm, brought in over SSH by the bootstrap scripts of
 * infra/hosts/bootstrap, each step a `command.local.Command` that runs OpenSSH with the
 * host's pinned key (infra/hosts/ssh.ts explains why not remote.Command):
 *
 *   <name>-install  install-docker on the host (changes nothing where Docker runs)
 *   <name>-join     swarm-init on the first manager, swarm-join elsewhere (the join
 *                   token arrives in the script on stdin, a Pulumi secret)
 *   <name>-node     swarm-node-config on a manager: labels, availability and role, so a
 *                   label change is an in-place update of this command alone; deleting
 *                   it drains the node, makes it leave and removes it (docker node rm)
 *
 * Every script converges and reports whether it changed anything, so a step that failed
 * or was interrupted is simply run again by the next `pulumi up`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import {
  bootstrapScript,
  parseBootstrapResult,
  type BootstrapInputs,
  type BootstrapResults,
  type BootstrapScriptName,
} from "../infra/hosts/bootstrap/index.ts";
import { resolveConnections, type SshConnection } from "../infra/hosts/connection.ts";
import type { InventoryHost } from "../infra/hosts/inventory.ts";
import { nodeRemovalCommand, scriptOnTargetCommand } from "../infra/hosts/swarm-steps.ts";

export const SWARM_NODE_TYPE = "compose:swarm:SwarmNode";

export interface SwarmInitSettings {
  /** Address pools for overlay networks (swarm init --default-addr-pool). */
  defaultAddrPool?: string[];
  /** Subnet size taken from those pools per network (swarm init --default-addr-pool-mask-length). */
  defaultAddrPoolMaskLength?: number;
}

export interface SwarmJoinSettings {
  /** The manager or worker join token; a secret. */
  token: pulumi.Input<string>;
  /** Managers to join through, tried in order (port 2377 when none is given). */
  managerAddrs: pulumi.Input<pulumi.Input<string>[]>;
  /** Lets a manager that already belongs to this swarm prove it by the cluster id. */
  clusterId: pulumi.Input<string>;
}

export interface SwarmNodeArgs {
  /** The host as the inventory describes it. */
  host: InventoryHost;
  /** How to reach the host, with its pinned (or recorded) host keys. */
  connection: SshConnection;
  /** The manager that applies node settings: the host itself when it is that manager. */
  control: SshConnection;
  /** Managers that may stay when this node is removed, tried in order; `control` first. */
  peers: SshConnection[];
  /** Start a new swarm on this host; exactly one of `init` and `join`. */
  init?: SwarmInitSettings;
  /** Join an existing swarm. */
  join?: SwarmJoinSettings;
  /** Docker's package name for hosts without Docker (default per distribution). */
  dockerPackage?: string;
  /** Upper bound for each wait inside the scripts, in seconds. */
  waitSeconds?: number;
  /** Joins that must complete first (Raft admits one new manager at a time). */
  joinAfter?: pulumi.Resource[];
  /** The node whose settings go first; this node is removed before it. */
  after?: pulumi.Resource;
}

/** One bootstrap script run over SSH as a local command; its JSON result parsed. */
export function remoteScript<N extends BootstrapScriptName>(
  name: string,
  script: N,
  args: {
    targets: SshConnection[];
    /** Index in `targets` of the host the script runs on. */
    on: number;
    inputs: pulumi.Input<BootstrapInputs[N]>;
    readyCommand?: string;
    delete?: pulumi.Input<string>;
    secretOutput?: boolean;
  },
  opts: pulumi.CustomResourceOptions,
): { command: command.local.Command; result: pulumi.Output<BootstrapResults[N]> } {
  const { targets, environment } = resolveConnections(args.targets);
  const run = new command.local.Command(
    name,
    {
      create: targets.apply((resolved) => scriptOnTargetCommand(resolved, args.on, args.readyCommand)),
      stdin: secretIf(
        args.secretOutput,
        pulumi.output(args.inputs).apply((inputs) => bootstrapScript(script, inputs as BootstrapInputs[N])),
      ),
      environment,
      interpreter: ["/bin/sh", "-c"],
      // The command provider shows a command's stdout in Pulumi's output unless told not
      // to: a script that prints secrets (join tokens) shows only its stderr.
      ...(args.secretOutput ? { logging: "stderr" as const } : {}),
      ...(args.delete !== undefined ? { delete: args.delete } : {}),
    },
    { ...opts, ...(args.secretOutput ? { additionalSecretOutputs: ["stdout"] } : {}) },
  );
  const result = run.stdout.apply((stdout) => parseBootstrapResult(script, stdout));
  return { command: run, result };
}

/**
 * A command with a secret input has secret outputs: that keeps a printed secret (join
 * tokens) out of the state. `logging` (see remoteScript) keeps it out of Pulumi's output.
 */
function secretIf(secret: boolean | undefined, value: pulumi.Output<string>): pulumi.Output<string> {
  return secret ? pulumi.secret(value) : value;
}

/** `key=value` lines in key order, so the same labels always render the same script. */
export function labelLines(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels).sort().map((key) => `${key}=${labels[key]}`).join("\n");
}

function waitInput(seconds: number | undefined): { BOOTSTRAP_WAIT_SECONDS?: string } {
  return seconds === undefined ? {} : { BOOTSTRAP_WAIT_SECONDS: String(seconds) };
}

export class SwarmNode extends pulumi.ComponentResource {
  /** The inventory's name of the host. */
  readonly hostName: string;
  /** `manager` or `worker`. */
  readonly role: InventoryHost["role"];
  /** Docker's installation (changes nothing where Docker runs). */
  readonly install: command.local.Command;
  /** swarm init or swarm join. */
  readonly membership: command.local.Command;
  /** Labels, availability and role; its deletion removes the node from the swarm. */
  readonly settings: command.local.Command;
  /** The node's id in the swarm. */
  readonly nodeId: pulumi.Output<string>;
  /** What swarm-init reported, on the node that started the swarm. */
  readonly initResult?: pulumi.Output<BootstrapResults["swarm-init"]>;
  /** What swarm-join reported, on every other node. */
  readonly joinResult?: pulumi.Output<BootstrapResults["swarm-join"]>;
  /** What swarm-node-config reported: the labels, availability and role in effect. */
  readonly nodeSettings: pulumi.Output<BootstrapResults["swarm-node-config"]>;

  constructor(name: string, args: SwarmNodeArgs, opts?: pulumi.ComponentResourceOptions) {
    if ((args.init === undefined) === (args.join === undefined)) {
      throw new Error(`swarm node ${name}: give exactly one of init (start the swarm) and join`);
    }
    if (args.peers.some((peer) => peer.name === args.host.name)) {
      throw new Error(`swarm node ${name}: the host cannot be its own peer`);
    }
    const controlIsSelf = args.control.name === args.host.name;
    if (!controlIsSelf && args.peers[0]?.name !== args.control.name) {
      throw new Error(`swarm node ${name}: the control manager ${args.control.name} must be the first peer`);
    }
    super(SWARM_NODE_TYPE, name, {}, opts);
    this.hostName = args.host.name;
    this.role = args.host.role;
    const self = [args.connection];
    const wait = waitInput(args.waitSeconds);
    const advertise = pulumi.output(args.host.advertiseAddress ?? args.host.address);

    const install = remoteScript(`${name}-install`, "install-docker", {
      targets: self,
      on: 0,
      inputs: { ...wait, ...(args.dockerPackage !== undefined ? { DOCKER_PACKAGE: args.dockerPackage } : {}) },
      readyCommand: args.host.readyCommand,
    }, { parent: this, dependsOn: opts?.dependsOn });
    this.install = install.command;

    const membershipOpts = { parent: this, dependsOn: [install.command, ...(args.joinAfter ?? [])] };
    let nodeId: pulumi.Output<string>;
    if (args.init !== undefined) {
      const init = args.init;
      const started = remoteScript(`${name}-join`, "swarm-init", {
        targets: self,
        on: 0,
        inputs: advertise.apply((address) => ({
          ...wait,
          SWARM_ADVERTISE_ADDR: address,
          ...(init.defaultAddrPool?.length ? { SWARM_DEFAULT_ADDR_POOL: init.defaultAddrPool.join(",") } : {}),
          ...(init.defaultAddrPoolMaskLength !== undefined
            ? { SWARM_DEFAULT_ADDR_POOL_MASK_LEN: String(init.defaultAddrPoolMaskLength) }
            : {}),
        })),
      }, membershipOpts);
      this.membership = started.command;
      this.initResult = started.result;
      nodeId = started.result.apply((result) => result.nodeId);
    } else {
      const join = args.join!;
      const joined = remoteScript(`${name}-join`, "swarm-join", {
        targets: self,
        on: 0,
        inputs: pulumi.all([join.token, join.managerAddrs, join.clusterId, advertise]).apply(
          ([token, managerAddrs, clusterId, address]) => ({
            ...wait,
            SWARM_JOIN_TOKEN: token,
            SWARM_MANAGER_ADDRS: managerAddrs.join(","),
            SWARM_ADVERTISE_ADDR: address,
            SWARM_CLUSTER_ID: clusterId,
          }),
        ),
      }, membershipOpts);
      this.membership = joined.command;
      this.joinResult = pulumi.unsecret(joined.result);
      nodeId = joined.result.apply((result) => result.nodeId);
    }
    // The script on stdin carries the join token, which makes every output secret; the
    // node id itself is not.
    this.nodeId = pulumi.unsecret(nodeId);

    const targets = [args.connection, ...args.peers];
    const removal = pulumi
      .all([resolveConnections(targets).targets, this.nodeId])
      .apply(([resolved, id]) => nodeRemovalCommand(resolved, { nodeId: id, waitSeconds: wait.BOOTSTRAP_WAIT_SECONDS }));
    const settings = remoteScript(`${name}-node`, "swarm-node-config", {
      targets,
      on: controlIsSelf ? 0 : 1,
      inputs: this.nodeId.apply((id) => ({
        ...wait,
        SWARM_NODE: id,
        SWARM_NODE_LABELS: labelLines(args.host.labels),
        SWARM_NODE_LABELS_MODE: "exact" as const,
        SWARM_NODE_AVAILABILITY: args.host.availability,
        SWARM_NODE_ROLE: args.host.role,
      })),
      delete: removal,
    }, { parent: this, dependsOn: [this.membership, ...(args.after ? [args.after] : [])] });
    this.settings = settings.command;
    this.nodeSettings = pulumi.unsecret(settings.result);

    this.registerOutputs({ nodeId: this.nodeId, nodeSettings: this.nodeSettings });
  }
}
