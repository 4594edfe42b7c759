/**
 * A compose config. Its content is kept as a Pulumi secret too (configs often embed
 * credentials), so it never appears in plain text in state or logs.
 *
 * - swarm: a docker config whose name carries a short content hash; a rotation creates the
 *   new secret, the services move onto it, and the old one is deleted afterwards.
 * - engine: nothing is created on the daemon; containers mount the file or receive the
 *   content (see the container mapping), as `docker compose` does.
 * - external: only referenced. On a swarm, services need the config's ID, which the docker
 *   provider cannot look up, so a `docker config inspect` reads it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as command from "@pulumi/command";
import { declareContentObject, type ContentObjectArgs } from "./content-object.ts";

export const CONFIG_TYPE = "compose:config:Config";

export type ConfigArgs = ContentObjectArgs;

export class Config extends pulumi.ComponentResource {
  /** Physical name: `<project>_<key>-<content hash>`, or the external name. */
  readonly configName: pulumi.Output<string>;
  /** Swarm config ID; on the engine target, the name. */
  readonly configId: pulumi.Output<string>;
  readonly contentBase64?: pulumi.Output<string>;
  /** Short hash of the content (created configs). */
  readonly contentHash?: string;
  /** The swarm config (swarm target, created configs). */
  readonly config?: docker.ServiceConfig;
  /** The `docker config inspect` of an external config on a swarm. */
  readonly lookup?: command.local.Command;

  constructor(name: string, args: ConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CONFIG_TYPE, name, {}, opts);
    this.contentHash = args.contentHash;
    const declared = declareContentObject("config", this, name, args, (n, a, o) => new docker.ServiceConfig(n, a, o));
    this.configName = declared.objectName;
    this.configId = declared.objectId;
    this.contentBase64 = declared.contentBase64;
    this.config = declared.stored;
    this.lookup = declared.lookup;
    this.registerOutputs({ configName: this.configName, configId: this.configId });
  }
}
