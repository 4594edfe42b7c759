/**
 * A compose volume. On one engine it is a docker volume created by the project. On a swarm
 * a volume is local to each node, so, as with `docker stack deploy`, nothing is created up
 * front: each task's mount carries the driver and labels and the node creates the volume
 * when the task starts. External volumes are only referenced by name.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import { labelList, type Labels } from "../infra/graph/labels.ts";

export const VOLUME_TYPE = "compose:volume:Volume";

export interface VolumeArgs {
  /** Physical volume name. */
  name: string;
  /** Only referenced: created and removed outside the project. */
  external: boolean;
  /** False on a swarm: nodes create the volume from the mount's options. */
  create: boolean;
  /** Volume driver (`local` by default). */
  driver?: string;
  /** The driver's options (`driver_opts:`). */
  driverOptions?: Record<string, string>;
  /** Labels, including the compose project labels. */
  labels: Labels;
}

export class Volume extends pulumi.ComponentResource {
  /** Physical name: `<project>_<key>`, `name:`, or the external name. */
  readonly volumeName: pulumi.Output<string>;
  /** The docker volume (engine target, not external); a swarm's nodes create theirs on first use. */
  readonly volume?: docker.Volume;

  constructor(name: string, args: VolumeArgs, opts?: pulumi.ComponentResourceOptions) {
    super(VOLUME_TYPE, name, {}, opts);
    if (args.external || !args.create) {
      this.volumeName = pulumi.output(args.name);
    } else {
      this.volume = new docker.Volume(
        name,
        {
          name: args.name,
          driver: args.driver,
          driverOpts: args.driverOptions,
          labels: labelList(args.labels),
        },
        { parent: this },
      );
      this.volumeName = this.volume.name;
    }
    this.registerOutputs({ volumeName: this.volumeName });
  }
}
