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
import { labelList, type Labels } from "../infra/graph/labels.ts";
import { dockerCliEnvironment, shellJoin } from "../infra/graph/shell.ts";
import type { Target } from "../infra/graph/naming.ts";

export const SECRET_TYPE = "compose:secret:Secret";

export interface SecretArgs {
  /** Physical name (with content hash when created). */
  name: string;
  external: boolean;
  target: Target;
  /** Base64 of the content; required unless external. Made secret here. */
  contentBase64?: pulumi.Input<string>;
  /** Short content hash; part of the name and of dependents' change detection. */
  contentHash?: string;
  labels: Labels;
  /** Docker host for the CLI lookup of an external swarm secret. */
  dockerHost?: pulumi.Input<string | undefined>;
}

export class Secret extends pulumi.ComponentResource {
  readonly secretName: pulumi.Output<string>;
  /** Swarm secret ID; on the engine target, the name. */
  readonly secretId: pulumi.Output<string>;
  readonly contentBase64?: pulumi.Output<string>;
  readonly contentHash?: string;
  readonly secret?: docker.Secret;
  readonly lookup?: command.local.Command;

  constructor(name: string, args: SecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SECRET_TYPE, name, {}, opts);
    this.contentHash = args.contentHash;
    if (args.external) {
      this.secretName = pulumi.output(args.name);
      if (args.target === "swarm") {
        this.lookup = new command.local.Command(
          `${name}-lookup`,
          {
            create: shellJoin(["docker", "secret", "inspect", "--format", "{{.ID}}", args.name]),
            environment: pulumi.output(args.dockerHost).apply(dockerCliEnvironment),
          },
          { parent: this },
        );
        this.secretId = this.lookup.stdout.apply((out) => out.trim());
      } else {
        this.secretId = this.secretName;
      }
    } else {
      if (args.contentBase64 === undefined) throw new Error(`secret ${name}: content is required unless external`);
      this.contentBase64 = pulumi.secret(args.contentBase64);
      if (args.target === "swarm") {
        this.secret = new docker.Secret(
          name,
          { name: args.name, data: this.contentBase64, labels: labelList(args.labels) },
          { parent: this },
        );
        this.secretName = this.secret.name;
        this.secretId = this.secret.id;
      } else {
        this.secretName = pulumi.output(args.name);
        this.secretId = this.secretName;
      }
    }
    this.registerOutputs({ secretName: this.secretName, secretId: this.secretId });
  }
}
