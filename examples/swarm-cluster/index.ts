/**
 * A Docker Swarm made of existing machines, and the compose application in compose.yaml
 * deployed onto it, in one `pulumi up`. The machines are the inventory in
 * Pulumi.<stack>.yaml (hello-swarm:inventory): address, SSH user and key, role, labels
 * and pinned host key of each. SwarmCluster installs Docker where it is missing, starts
 * the swarm, joins the nodes and labels them; ComposeApp deploys through the cluster's
 * docker provider, which reaches the first manager over SSH with its pinned key.
 */
import * as pulumi from "@pulumi/pulumi";
import { ComposeApp, type ComposeAppArgs } from "compose-pulumi";
import { ExistingHosts, SwarmCluster } from "compose-pulumi/cluster";

interface ComposeSettings {
  files: string[];
  variables?: Record<string, string>;
}

const compose = new pulumi.Config("compose-pulumi");
const settings = compose.requireObject<ComposeSettings>("compose");

// Checked completely before anything runs; a problem names its line in Pulumi.<stack>.yaml.
const cluster = new SwarmCluster("cluster", { hosts: ExistingHosts.fromConfig() });

const app = new ComposeApp(
  "hello",
  {
    files: settings.files,
    variables: settings.variables,
    target: "swarm",
    environment: compose.get("environment") as ComposeAppArgs["environment"],
    provider: cluster.provider,
    dockerSshOptions: cluster.dockerSshOptions,
    overrides: compose.getObject<ComposeAppArgs["overrides"]>("services"),
    secrets: compose.getSecretObject<Record<string, string>>("secrets"),
  },
  { dependsOn: [cluster] },
);

export const nodes = cluster.nodeIds;
export const manager = cluster.managerAddress;
export const urls = app.urls;
export const services = app.services;
export const images = app.images;
