/**
 * The image a service runs.
 *
 * - With `build:`, the image is built on the target's daemon and tagged with the service's
 *   `image:` name; for a swarm it is also pushed to the registry in that name, because every
 *   node pulls it from there. Dependents use the digest reference, so a rebuild with new
 *   content rolls the service even when the tag is unchanged.
 * - Without `build:` on one engine, the image is pulled unless already present (what
 *   `docker compose up` does). It is kept on delete: other projects may use it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";

export const IMAGE_TYPE = "compose:image:Image";

export interface ImageBuild {
  context: string;
  dockerfile?: string;
  args?: Record<string, string>;
  target?: string;
  network?: string;
  platform?: string;
  addHosts?: string[];
  cacheFrom?: string[];
}

export interface ImageArgs {
  /** `repository[:tag]` as written in `image:` (or derived for a built image). */
  imageName: string;
  build?: ImageBuild;
  /** Push the built image to its registry (swarm). */
  push: boolean;
  registry?: { server: pulumi.Input<string>; username?: pulumi.Input<string>; password?: pulumi.Input<string> };
}

export class Image extends pulumi.ComponentResource {
  /** What containers and services should run: a digest reference, unique per build. */
  readonly ref: pulumi.Output<string>;
  readonly image?: docker.Image;
  readonly remoteImage?: docker.RemoteImage;

  constructor(name: string, args: ImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super(IMAGE_TYPE, name, {}, opts);
    if (args.build !== undefined) {
      const build = args.build;
      this.image = new docker.Image(
        name,
        {
          imageName: args.imageName,
          build: {
            context: build.context,
            dockerfile: build.dockerfile,
            args: build.args,
            target: build.target,
            network: build.network,
            platform: build.platform,
            addHosts: build.addHosts,
            cacheFrom: build.cacheFrom !== undefined ? { images: build.cacheFrom } : undefined,
            // The classic builder works on every daemon this targets without buildx.
            builderVersion: "BuilderV1",
          },
          skipPush: !args.push,
          registry: args.push ? args.registry : undefined,
        },
        { parent: this },
      );
      this.ref = this.image.repoDigest;
    } else {
      this.remoteImage = new docker.RemoteImage(
        name,
        { name: args.imageName, keepLocally: true },
        { parent: this },
      );
      this.ref = this.remoteImage.imageId;
    }
    this.registerOutputs({ ref: this.ref });
  }
}
