/**
 * One-shot work that must exit 0 before its dependents start (a compose service that
 * others depend on with `condition: service_completed_successfully`, e.g. migrations).
 *
 * The docker provider has no resource that runs a container to completion and fails on a
 * non-zero exit (a container with `attach` records the exit code but succeeds, so a failed
 * run would never be retried). The job therefore runs through the docker CLI
 * (infra/graph/job.ts builds the script): on one engine a container named like compose's
 * (`docker start -a` streams its output and returns its exit code); on a swarm a
 * `replicated-job` service that the script waits on. A failure fails the resource with
 * the job's logs, and nothing is recorded, so the next `pulumi up` runs it again. It
 * re-runs only when its inputs (image digest, command, environment, secret and config
 * content hashes) change. Its output is kept as a secret in the state (jobs may print
 * credentials), and is shown while it runs, as `docker compose up` shows a job's logs.
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";

export const JOB_TYPE = "compose:job:Job";

export interface JobArgs {
  /** Physical name of the container or swarm service that runs the job. */
  jobName: string;
  /** Shell script that runs the job to completion; exits non-zero with logs on failure. */
  run: pulumi.Input<string>;
  /** Shell script that removes what `run` left behind. */
  remove: pulumi.Input<string>;
  /** Environment of the scripts: where the docker CLI connects. Holds no secret. */
  environment: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Lines `run` reads from its standard input (contents of secrets copied into the job's
   * container); sent as a secret, never in the command text or the environment.
   */
  stdinLines: pulumi.Input<string>[];
}

export class Job extends pulumi.ComponentResource {
  /** The container (engine) or replicated-job service (swarm) the job runs as. */
  readonly jobName: pulumi.Output<string>;
  /** The command that runs the job and waits for it. */
  readonly run: command.local.Command;
  /** What the job printed; secret. */
  readonly output: pulumi.Output<string>;

  constructor(name: string, args: JobArgs, opts?: pulumi.ComponentResourceOptions) {
    super(JOB_TYPE, name, {}, opts);
    this.run = new command.local.Command(
      name,
      {
        create: args.run,
        delete: args.remove,
        environment: args.environment,
        ...(args.stdinLines.length > 0 ? { stdin: pulumi.secret(pulumi.all(args.stdinLines).apply((lines) => lines.map((line) => `${line}\n`).join(""))) } : {}),
        interpreter: ["/bin/sh", "-c"],
      },
      {
        parent: this,
        // Children do not inherit a component's dependsOn: the run must wait for it.
        dependsOn: opts?.dependsOn,
        // The old and the new run share the physical name: remove the old one first.
        deleteBeforeReplace: true,
        additionalSecretOutputs: ["stdout", "stderr"],
      },
    );
    this.jobName = pulumi.output(args.jobName);
    this.output = this.run.stdout;
    this.registerOutputs({ jobName: this.jobName });
  }
}
