/**
 * The compose application in compose.yaml on one Docker engine. Each stack
 * (Pulumi.<stack>.yaml) says which engine and what that environment changes; the compose
 * file stays the same for every environment.
 */
import * as pulumi from "@pulumi/pulumi";
import { ComposeApp, type ComposeAppArgs } from "compose-pulumi";

interface ComposeSettings {
  files: string[];
  variables?: Record<string, string>;
}

const config = new pulumi.Config("compose-pulumi");
const compose = config.requireObject<ComposeSettings>("compose");

const app = new ComposeApp("hello", {
  files: compose.files,
  variables: compose.variables,
  target: "engine",
  environment: config.get("environment") as ComposeAppArgs["environment"],
  // The engine: compose-pulumi:docker.host in the stack, else DOCKER_HOST, else the local socket.
  dockerHost: config.getObject<{ host: string }>("docker")?.host,
  overrides: config.getObject<ComposeAppArgs["overrides"]>("services"),
  secrets: config.getSecretObject<Record<string, string>>("secrets"),
});

export const url = app.url;
export const urls = app.urls;
export const services = app.services;
export const images = app.images;
