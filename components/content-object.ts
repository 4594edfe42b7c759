/**
 * What a compose config and a compose secret share: both carry content (kept as a Pulumi
 * secret) under a physical name, and differ only in the docker object a swarm stores them
 * as and in the CLI noun that looks up an external one.
 *
 * - swarm: the docker object `createStored` makes, named with the short content hash.
 * - engine: nothing is created on the daemon; the ID is the name.
 * - external: only referenced. On a swarm, services need the object's ID, which the docker
 *   provider cannot look up, so a `docker <kind> inspect` reads it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { labelList, type Labels } from "../infra/graph/labels.ts";
import { shellJoin } from "../infra/graph/shell.ts";
import { dockerCliEnvironment, withSshWrapper } from "../infra/graph/docker-cli.ts";
import type { Target } from "../infra/graph/targets/target.ts";

export interface ContentObjectArgs {
  /** Physical name (with content hash when created). */
  name: string;
  /** Only referenced: its content is managed outside the project. */
  external: boolean;
  /** `engine` (nothing is created on the daemon) or `swarm` (a docker secret or config). */
  target: Target;
  /** Base64 of the content; required unless external. Made secret here. */
  contentBase64?: pulumi.Input<string>;
  /** Short content hash; part of the name and of dependents' change detection. */
  contentHash?: string;
  /** Labels, including the compose project labels. */
  labels: Labels;
  /** Docker host for the CLI lookup of an external swarm object. */
  dockerHost?: pulumi.Input<string | undefined>;
  /** The provider's ssh flags, for a manager reached over ssh. */
  dockerSshOptions?: pulumi.Input<string[]>;
}

export interface StoredObject {
  name: pulumi.Output<string>;
  id: pulumi.Output<string>;
}

export interface StoredObjectArgs {
  name: string;
  data: pulumi.Output<string>;
  labels: { label: string; value: string }[];
}

export interface ContentObject<T extends StoredObject> {
  objectName: pulumi.Output<string>;
  /** Swarm object ID; on the engine target, the name. */
  objectId: pulumi.Output<string>;
  contentBase64?: pulumi.Output<string>;
  stored?: T;
  lookup?: command.local.Command;
}

/** Declares, under `parent`, the resources behind one compose config or secret. */
export function declareContentObject<T extends StoredObject>(
  kind: "config" | "secret",
  parent: pulumi.Resource,
  name: string,
  args: ContentObjectArgs,
  createStored: (name: string, args: StoredObjectArgs, opts: pulumi.CustomResourceOptions) => T,
): ContentObject<T> {
  if (args.external) {
    const objectName = pulumi.output(args.name);
    if (args.target !== "swarm") return { objectName, objectId: objectName };
    const lookup = new command.local.Command(
      `${name}-lookup`,
      {
        create: pulumi.output(args.dockerSshOptions ?? []).apply((sshOptions) =>
          withSshWrapper(shellJoin(["docker", kind, "inspect", "--format", "{{.ID}}", args.name]), sshOptions)),
        environment: pulumi.all([args.dockerHost, args.dockerSshOptions ?? []]).apply(([host, sshOptions]) => dockerCliEnvironment(host, sshOptions)),
      },
      { parent },
    );
    return { objectName, objectId: lookup.stdout.apply((out) => out.trim()), lookup };
  }
  if (args.contentBase64 === undefined) throw new Error(`${kind} ${name}: content is required unless external`);
  const contentBase64 = pulumi.secret(args.contentBase64);
  if (args.target !== "swarm") {
    const objectName = pulumi.output(args.name);
    return { objectName, objectId: objectName, contentBase64 };
  }
  // The docker provider replaces secrets and configs delete-first (a name can exist only
  // once); the content hash makes the new name differ, so create the new object first and
  // delete the old one only after the services moved off it (swarm refuses to delete an
  // object a service still uses).
  const stored = createStored(name, { name: args.name, data: contentBase64, labels: labelList(args.labels) }, { parent, deleteBeforeReplace: false });
  return { objectName: stored.name, objectId: stored.id, contentBase64, stored };
}
