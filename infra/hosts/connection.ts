/**
 * SSH connections whose parts may be outputs of other resources (an address from a VM,
 * a host key recorded at first use), resolved into the plain targets of ssh.ts plus the
 * secret environment that carries private keys given as text.
 */
import * as pulumi from "@pulumi/pulumi";
import type { InventoryHost, SshAuthInput } from "./inventory.ts";
import type { SshTarget } from "./ssh.ts";

export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 60;

export interface SshConnection {
  name: string;
  address: pulumi.Input<string>;
  port: number;
  user: string;
  auth: SshAuthInput;
  hostKeys: pulumi.Input<pulumi.Input<string>[]>;
  connectTimeoutSeconds: number;
}

export function connectionOf(host: InventoryHost, hostKeys: pulumi.Input<pulumi.Input<string>[]>): SshConnection {
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.user,
    auth: host.auth,
    hostKeys,
    connectTimeoutSeconds: host.connectTimeoutSeconds ?? DEFAULT_CONNECT_TIMEOUT_SECONDS,
  };
}

export function keyEnvironmentVariable(index: number): string {
  return `SWARM_SSH_KEY_${index}`;
}

export interface ResolvedConnections {
  targets: pulumi.Output<SshTarget[]>;
  /** Private keys given as text, by environment variable; secret when any key is. */
  environment: pulumi.Output<Record<string, string>>;
}

export function resolveConnections(connections: readonly SshConnection[]): ResolvedConnections {
  const targets = pulumi
    .all(connections.map((connection) => pulumi.all([connection.address, connection.hostKeys])))
    .apply((resolved) =>
      resolved.map(([address, hostKeys], index): SshTarget => {
        const connection = connections[index];
        return {
          name: connection.name,
          address,
          port: connection.port,
          user: connection.user,
          auth: connection.auth.kind === "key" ? { kind: "key", envVar: keyEnvironmentVariable(index) } : connection.auth,
          hostKeys,
          connectTimeoutSeconds: connection.connectTimeoutSeconds,
        };
      }),
    );
  const keys: Record<string, pulumi.Input<string>> = {};
  connections.forEach((connection, index) => {
    if (connection.auth.kind === "key") keys[keyEnvironmentVariable(index)] = connection.auth.privateKey;
  });
  const environment: pulumi.Output<Record<string, string>> = Object.keys(keys).length === 0
    ? pulumi.output<Record<string, string>>({})
    : pulumi.secret(pulumi.all(keys));
  return { targets, environment };
}
