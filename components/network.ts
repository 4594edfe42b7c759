/**
 * A compose network: a docker network created by the project, or an external one that is
 * only referenced by name.
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
  /** The created docker network; absent for an external one. */
  readonly network?: docker.Network;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(NETWORK_TYPE, name, {}, opts);
    if (args.external) {
      this.networkName = pulumi.output(args.name);
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
    }
    this.registerOutputs({ networkName: this.networkName });
  }
}
