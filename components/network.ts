/**
 * A compose network: a docker network created by the project, or an external one that is
 * only referenced by name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { labelList, type Labels } from "../infra/graph/labels.ts";

export const NETWORK_TYPE = "compose:network:Network";

export interface NetworkArgs {
  /** Physical network name. */
  name: string;
  /** Referenced, never created or deleted. */
  external: boolean;
  driver?: string;
  driverOptions?: Record<string, string>;
  internal?: boolean;
  attachable?: boolean;
  enableIpv6?: boolean;
  ipamDriver?: string;
  ipamOptions?: Record<string, string>;
  ipamConfigs?: docker.types.input.NetworkIpamConfig[];
  labels: Labels;
}

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
