/**
 * cloud-init user data for a swarm host: its pinned SSH host key, key-only SSH, and
 * Docker from the distribution's packages, started and enabled. The bootstrap steps
 * wait for cloud-init to finish (CLOUD_INIT_READY_COMMAND) before they touch the host.
 */
import { stringify } from "yaml";
import type { SshHostKey } from "./host-key.ts";

export interface CloudInitOptions {
  hostName: string;
  hostKey: SshHostKey;
  /** Docker's package in the image's distribution (Debian and Ubuntu: docker.io). */
  dockerPackage: string;
}

export const CLOUD_INIT_READY_COMMAND = "cloud-init status --wait >/dev/null";

export const SSHD_HARDENING = [
  "PasswordAuthentication no",
  "KbdInteractiveAuthentication no",
  "PermitRootLogin prohibit-password",
  "",
].join("\n");

export function cloudConfig(options: CloudInitOptions): string {
  const document = {
    hostname: options.hostName,
    preserve_hostname: false,
    // Only the key pinned in the inventory: no host keys generated on first boot.
    ssh_deletekeys: true,
    ssh_genkeytypes: [],
    ssh_keys: {
      ed25519_private: options.hostKey.privateKey,
      ed25519_public: options.hostKey.publicKey,
    },
    ssh_pwauth: false,
    write_files: [
      { path: "/etc/ssh/sshd_config.d/50-compose-pulumi.conf", permissions: "0644", content: SSHD_HARDENING },
    ],
    package_update: true,
    packages: [options.dockerPackage],
    // write_files and ssh_keys run before sshd first starts; only Docker needs starting.
    runcmd: [["systemctl", "enable", "--now", "docker"]],
  };
  return `#cloud-config\n${stringify(document, { lineWidth: 0 })}`;
}
