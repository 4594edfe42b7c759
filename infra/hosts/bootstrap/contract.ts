// Inputs and results of the SSH bootstrap scripts in this folder. Each script reads its
// inputs as shell variables and prints exactly one JSON line on stdout.

export const BOOTSTRAP_SCRIPT_NAMES = [
  "install-docker",
  "swarm-init",
  "swarm-join-tokens",
  "swarm-join",
  "swarm-node-config",
  "swarm-drain",
  "swarm-leave",
  "swarm-node-rm",
] as const;

export type BootstrapScriptName = (typeof BOOTSTRAP_SCRIPT_NAMES)[number];

interface Common {
  /** Upper bound for every wait inside a script, in seconds (default 60). */
  BOOTSTRAP_WAIT_SECONDS?: string;
}

export interface BootstrapInputs {
  "install-docker": Common & { DOCKER_PACKAGE?: string };
  "swarm-init": Common & {
    SWARM_ADVERTISE_ADDR: string;
    SWARM_LISTEN_ADDR?: string;
    SWARM_DATA_PATH_ADDR?: string;
    /** Comma-separated CIDRs. */
    SWARM_DEFAULT_ADDR_POOL?: string;
    SWARM_DEFAULT_ADDR_POOL_MASK_LEN?: string;
  };
  "swarm-join-tokens": Common;
  "swarm-join": Common & {
    /** Secret: pass the rendered script on stdin, not on a command line. */
    SWARM_JOIN_TOKEN: string;
    /** Managers to try in order, comma or space separated; port 2377 when omitted. */
    SWARM_MANAGER_ADDRS: string;
    SWARM_ADVERTISE_ADDR?: string;
    SWARM_LISTEN_ADDR?: string;
    SWARM_DATA_PATH_ADDR?: string;
    SWARM_CLUSTER_ID?: string;
  };
  "swarm-node-config": Common & {
    SWARM_NODE: string;
    /** Newline-separated key=value lines. */
    SWARM_NODE_LABELS?: string;
    SWARM_NODE_LABELS_MODE?: "exact" | "merge";
    SWARM_NODE_AVAILABILITY?: "active" | "pause" | "drain";
    SWARM_NODE_ROLE?: "manager" | "worker";
  };
  "swarm-drain": Common & { SWARM_NODE: string };
  "swarm-leave": Common & { SWARM_LEAVE_FORCE?: "0" | "1" };
  "swarm-node-rm": Common & { SWARM_NODE: string; SWARM_NODE_RM_FORCE?: "0" | "1" };
}

export type SwarmRole = "manager" | "worker";

export interface BootstrapResults {
  "install-docker": { changed: boolean; serverVersion: string };
  "swarm-init": { changed: boolean; nodeId: string; clusterId: string; managerAddr: string };
  /** Contains secrets: never log it. */
  "swarm-join-tokens": {
    clusterId: string;
    workerToken: string;
    managerToken: string;
    managerAddrs: string[];
  };
  "swarm-join": { changed: boolean; nodeId: string; role: SwarmRole };
  "swarm-node-config": {
    changed: boolean;
    nodeId: string;
    hostname: string;
    role: SwarmRole;
    availability: "active" | "pause" | "drain";
    labels: Record<string, string>;
  };
  "swarm-drain": { changed: boolean; present: boolean; nodeId: string; tasksRunning: number };
  "swarm-leave": { changed: boolean };
  "swarm-node-rm": { changed: boolean; nodeId: string };
}
