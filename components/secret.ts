/**
 * A compose secret. Its content is a Pulumi secret, so it never appears in plain text in
 * state or logs.
 *
 * - swarm: a docker secret whose name carries a short content hash; a rotation creates the
 *   new secret, the services move onto it, and the old one is deleted afterwards.
 * - engine: nothing is created on the daemon; containers mount the file or receive the
 *   content (see the container mapping), as `docker compose` does.
 * - external: only referenced. On a swarm, services need the secret's ID, which the docker
 *   provider cannot look up, so a `docker secret inspect` reads it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
import * as command from "@pulumi/command";
import { declareContentObject, type ContentObjectArgs } from "./content-object.ts";

export const SECRET_TYPE = "compose:secret:Secret";

export type SecretArgs = ContentObjectArgs;

export class Secret extends pulumi.ComponentResource {
  /** Physical name: `<project>_<key>-<content hash>`, or the external name. */
  readonly secretName: pulumi.Output<string>;
  /** Swarm secret ID; on the engine target, the name. */
  readonly secretId: pulumi.Output<string>;
  readonly contentBase64?: pulumi.Output<string>;
  /** Short hash of the content (created secrets); part of the name, so a rotation creates a new secret. */
  readonly contentHash?: string;
  /** The swarm secret (swarm target, created secrets). */
  readonly secret?: docker.Secret;
  /** The `docker secret inspect` of an external secret on a swarm. */
  readonly lookup?: command.local.Command;

  constructor(name: string, args: SecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SECRET_TYPE, name, {}, opts);
    this.contentHash = args.contentHash;
    const declared = declareContentObject("secret", this, name, args, (n, a, o) => new docker.Secret(n, a, o));
    this.secretName = declared.objectName;
    this.secretId = declared.objectId;
    this.contentBase64 = declared.contentBase64;
    this.secret = declared.stored;
    this.lookup = declared.lookup;
    this.registerOutputs({ secretName: this.secretName, secretId: this.secretId });
  }
}
