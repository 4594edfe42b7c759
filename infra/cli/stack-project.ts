/**
 * What a stack of the Pulumi project in the working directory deploys, read without the
 * engine for `graph --stack`: `Pulumi.yaml` and its `stackConfigDir`, `Pulumi.<stack>.yaml`
 * in the stack file format of stacks/config.ts (compose files, target, variables, service
 * overrides, secrets), the compose files loaded and the stack's settings applied, with
 * every problem positioned in the stack file. Secure values cannot be decrypted here:
 * configured secrets stand as placeholders, so their content-hashed names differ from
 * the deployed ones.
 */
import { readStackConfig, type StackConfig } from "../../stacks/config.ts";
import { loadStackProject, type StackProject } from "../../stacks/project.ts";
import { findPulumiProject, stackFileValues } from "../../stacks/stack-file.ts";

export interface StackDeployment extends StackProject {
  config: StackConfig;
  /** The stack file as shown in messages. */
  file: string;
}

export function loadStackDeployment(stack: string, cwd: string, processEnv: Readonly<Record<string, string | undefined>>): StackDeployment {
  const project = findPulumiProject(cwd);
  const { file, values, secretKeys } = stackFileValues(project, stack, cwd);
  const config = readStackConfig({ stack, values, secretKeys, file });
  const loaded = loadStackProject(config, { baseDir: project.stackConfigDir, processEnv, file });
  return { ...loaded, config, file: file.display };
}
