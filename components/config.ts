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
import { labelList, type Labels } from "../infra/graph/labels.ts";
import { dockerCliEnvironment, shellJoin } from "../infra/graph/shell.ts";
import type { Target } from "../infra/graph/naming.ts";

export const CONFIG_TYPE = "compose:config:Config";

export interface ConfigArgs {
  /** Physical name (with content hash when created). */
  name: string;
  external: boolean;
  target: Target;
  /** Base64 of the content; required unless external. Made secret here. */
  contentBase64?: pulumi.Input<string>;
  /** Short content hash; part of the name and of dependents' change detection. */
  contentHash?: string;
  labels: Labels;
  /** Docker host for the CLI lookup of an external swarm config. */
  dockerHost?: pulumi.Input<string | undefined>;
}

export class Config extends pulumi.ComponentResource {
  readonly configName: pulumi.Output<string>;
  /** Swarm config ID; on the engine target, the name. */
  readonly configId: pulumi.Output<string>;
  readonly contentBase64?: pulumi.Output<string>;
  readonly contentHash?: string;
  readonly config?: docker.ServiceConfig;
  readonly lookup?: command.local.Command;

  constructor(name: string, args: ConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super(CONFIG_TYPE, name, {}, opts);
    this.contentHash = args.contentHash;
    if (args.external) {
      this.configName = pulumi.output(args.name);
      if (args.target === "swarm") {
        this.lookup = new command.local.Command(
          `${name}-lookup`,
          {
            create: shellJoin(["docker", "config", "inspect", "--format", "{{.ID}}", args.name]),
            environment: pulumi.output(args.dockerHost).apply(dockerCliEnvironment),
          },
          { parent: this },
        );
        this.configId = this.lookup.stdout.apply((out) => out.trim());
      } else {
        this.configId = this.configName;
      }
    } else {
      if (args.contentBase64 === undefined) throw new Error(`config ${name}: content is required unless external`);
      this.contentBase64 = pulumi.secret(args.contentBase64);
      if (args.target === "swarm") {
        this.config = new docker.ServiceConfig(
          name,
          { name: args.name, data: this.contentBase64, labels: labelList(args.labels) },
          { parent: this },
        );
        this.configName = this.config.name;
        this.configId = this.config.id;
      } else {
        this.configName = pulumi.output(args.name);
        this.configId = this.configName;
      }
    }
    this.registerOutputs({ configName: this.configName, configId: this.configId });
  }
}
