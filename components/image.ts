/**
 * The image a service runs.
 *
 * - With `build:`, the target's daemon builds the image from the local context with its
 *   own BuildKit (see ImageBuilder; no buildx plugin needed) and tags it with the
 *   service's `image:` name. The
 *   provider does not watch the context, so a hash of the context's files is a trigger:
 *   changed sources rebuild. Containers run the built image by ID.
 * - On a swarm the built image is also pushed to the registry in its name, because every
 *   node pulls it from there; services run `name@digest`, so a rebuild with new content
 *   rolls the service even when the tag is unchanged.
 * - Without `build:` on one engine, the image is pulled unless already present (what
 *   `docker compose up` does) and kept on delete: other projects may use it.
 * - Without `build:` on a swarm, the manager pulls it and services run `name:tag@digest`,
 *   the reference `docker stack deploy` resolves and swarm stores: declaring the tag alone
 *   would read back as a changed image on every service at every preview.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";

export const IMAGE_TYPE = "compose:image:Image";

/**
 * How the docker provider builds:
 * - `engine-api` (the default): the Engine API's build endpoint of the provider's own
 *   engine, which builds with BuildKit (through a session) on engines whose API is 1.39
 *   or newer (Docker 18.09+) and falls back to the classic builder on older ones; no
 *   cache_to or additional_contexts.
 * - `buildx`: the provider's embedded buildx client, with every build key; it builds on
 *   the docker CLI's current endpoint (DOCKER_HOST or the current context), not on the
 *   provider's host, so it suits a local engine only.
 */
export type ImageBuilder = "buildx" | "engine-api";

export interface ImageBuild {
  /** The build context directory. */
  context: string;
  /** Dockerfile, relative to the context. */
  dockerfile?: string;
  /** Build arguments. */
  args?: Record<string, string>;
  /** Build stage to stop at. */
  target?: string;
  /** Network for RUN instructions. */
  network?: string;
  /** Target platform, e.g. `linux/amd64`. */
  platform?: string;
  /** `host:ip` entries for the build's /etc/hosts. */
  extraHosts?: string[];
  /** Images whose layers seed the build cache (`cache_from`). */
  cacheFrom?: string[];
  /** Cache export destinations (`cache_to`); buildx only. */
  cacheTo?: string[];
  /** Named extra contexts as `name=value` (`additional_contexts`); buildx only. */
  additionalContexts?: string[];
  /** Build secrets (`RUN --mount=type=secret`): a file or an environment variable of the deployment. */
  secrets?: { id: string; src?: string; env?: string }[];
  /** More names for the built image (`tags`). */
  tags?: string[];
  /** Build through the Engine API's build endpoint instead of buildx (see ImageBuilder). */
  engineApi?: boolean;
  /** Labels on the built image. */
  labels?: Record<string, string>;
  /** Build without the cache. */
  noCache?: boolean;
  /** Pull newer versions of the base images. */
  pull?: boolean;
  /** /dev/shm size of RUN steps, in bytes. */
  shmSize?: number;
  /** Resource limits of RUN steps. */
  ulimits?: { name: string; soft: number; hard: number }[];
  /** Isolation technology of RUN steps. */
  isolation?: string;
  /** Hash of the context's files; a change rebuilds. */
  contextHash: string;
}

export interface ImageArgs {
  /** `repository[:tag]` as written in `image:` (or derived for a built image). */
  imageName: string;
  /** Build from a local context instead of pulling. */
  build?: ImageBuild;
  /** Push the built image to its registry (swarm). */
  push: boolean;
  /** Registry endpoint (`https://host[:port]`, or `http://` for an insecure one) and credentials. */
  registryAuth?: docker.types.input.RegistryImageAuthConfig;
  /** Without `build:`, refer to the pulled image as `name@digest` rather than by ID (swarm). */
  runByDigest?: boolean;
}

export class Image extends pulumi.ComponentResource {
  /** What containers and services should run: an image ID, or `name@digest` once pushed or resolved. */
  readonly ref: pulumi.Output<string>;
  /** The image on the target's daemon (pulled or built). */
  readonly image: docker.RemoteImage;
  /** The built image in its registry (swarm). */
  readonly pushed?: docker.RegistryImage;

  constructor(name: string, args: ImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super(IMAGE_TYPE, name, {}, opts);
    const build = args.build;
    if (build === undefined) {
      this.image = new docker.RemoteImage(name, { name: args.imageName, keepLocally: true }, { parent: this });
      this.ref = args.runByDigest
        ? this.image.repoDigest.apply((repoDigest) => (repoDigest?.includes("@") ? `${args.imageName}@${repoDigest.slice(repoDigest.indexOf("@") + 1)}` : args.imageName))
        : this.image.imageId;
    } else {
      this.image = new docker.RemoteImage(
        name,
        {
          name: args.imageName,
          build: {
            context: build.context,
            dockerfile: build.dockerfile,
            buildArgs: build.args,
            target: build.target,
            networkMode: build.network,
            platform: build.platform,
            extraHosts: build.extraHosts,
            cacheFroms: build.cacheFrom,
            cacheTos: build.cacheTo,
            additionalContexts: build.additionalContexts,
            secrets: build.secrets,
            tags: build.tags,
            // The Engine API build path reads `labels`, the buildx path `label`: give both the same map.
            labels: build.labels,
            label: build.labels,
            noCache: build.noCache,
            pullParent: build.pull,
            shmSize: build.shmSize,
            ulimits: build.ulimits,
            isolation: build.isolation,
            // The provider's "legacy builder" is the Engine API build endpoint, which still
            // uses BuildKit (through a session) on engines whose API is 1.39 or newer.
            useLegacyBuilder: build.engineApi === true,
          },
          triggers: { context: build.contextHash },
          // On a swarm, task containers outlive their service for a while and the pushed
          // image is what nodes run: keep the local build, as `docker stack rm` does.
          keepLocally: args.push,
        },
        { parent: this },
      );
      this.ref = this.image.imageId;
    }
    if (args.push) {
      this.pushed = new docker.RegistryImage(
        name,
        {
          name: args.imageName,
          keepRemotely: true,
          authConfig: args.registryAuth,
          // A new local image (new ID) is pushed again.
          triggers: { imageId: this.image.imageId },
        },
        // The provider replaces a RegistryImage delete-first (its name is set), which would
        // make every workload that reads the digest be diffed with an unknown spec: the
        // Kubernetes provider then replaces a Deployment (its selector could change) instead
        // of rolling it. The old tag stays in the registry either way (keepRemotely), so
        // pushing the new one first is safe.
        { parent: this, deleteBeforeReplace: false },
      );
      this.ref = pulumi.interpolate`${args.imageName}@${this.pushed.sha256Digest}`;
    }
    this.registerOutputs({ ref: this.ref });
  }
}
