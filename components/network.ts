/**
 * A compose network: a docker network created by the project, or an external one that is
 * only referenced. An external network is looked up on the target, so a missing one is
 * reported by name (`lookup` rejects) and swarm services can attach by ID: the docker
 * provider reads a service's networks back as IDs, and a name there would look like a
 * change on every refresh.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { labelList } from "../infra/graph/labels.ts";
import type { NetworkSpec } from "../infra/graph/networks.ts";

export const NETWORK_TYPE = "compose:network:Network";

/** What infra/graph plans for one compose network. */
export type NetworkArgs = NetworkSpec;

export class Network extends pulumi.ComponentResource {
  /** Physical name, to attach services and containers to. */
  readonly networkName: pulumi.Output<string>;
  /** ID on the target: of the created network, or of the external one found there. */
  readonly networkId: pulumi.Output<string>;
  /** The created docker network; absent for an external one. */
  readonly network?: docker.Network;
  /** External network: resolves once the network is found on the target, rejects if it is not. */
  readonly lookup?: Promise<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(NETWORK_TYPE, name, {}, opts);
    if (args.external) {
      this.networkName = pulumi.output(args.name);
      const found = docker
        .getNetwork({ name: args.name }, { parent: this })
        // No ID comes back while the provider itself is still unknown (a preview before the cluster exists).
        .then((network) => network.id ?? args.name, (error: unknown) => {
          throw new Error(`external network "${args.name}" was not found on the target (${reason(error)})`);
        });
      this.lookup = found;
      this.networkId = pulumi.output(found);
    } else {
      this.network = new docker.Network(
        name,
        {
          name: args.name,
          driver: args.driver,
          options: args.driverOptions,
          internal: args.internal,
          attachable: args.attachable,
          ipv6: args.enableIpv6,
          ipamDriver: args.ipamDriver,
          ipamOptions: args.ipamOptions,
          ipamConfigs: args.ipamConfigs,
          labels: labelList(args.labels),
        },
        { parent: this },
      );
      this.networkName = this.network.name;
      this.networkId = this.network.id;
    }
    this.registerOutputs({ networkName: this.networkName, networkId: this.networkId });
  }
}

/** The provider's reason on one line, without the invoke's own preamble. */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split("\n").map((line) => line.replace(/^\s*\*\s*/, "").trim()).filter(Boolean);
  const detail = lines.filter((line) => !/^invocation of |^invoking |error occurred:?$/.test(line));
  return (detail.length > 0 ? detail : lines).join("; ");
}
