import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { runCommand } from "../command.js";
import { checked, NETNS } from "./netns.js";
import { podman } from "./podman.js";
import { type ContainerPort, servicePortMappings, type ServicePort } from "./service-ports.js";

// The network podman kube play puts pods on; only its settings live outside NETNS (a file in /etc/cni/net.d).
const KUBE_NETWORK = "podman-default-kube-network";

/** KubeNetwork is the pod network's gateway (where the test's API server answers) and its bridge in NETNS. */
export interface KubeNetwork {
  readonly gateway: string;
  readonly bridge: string;
}

/** kubeNetwork reads the network podman kube play uses, creating it (its settings) when it is not there yet. */
export async function kubeNetwork(): Promise<KubeNetwork> {
  if ((await runCommand("podman", ["network", "exists", KUBE_NETWORK])).code !== 0) await podman(["network", "create", KUBE_NETWORK]);
  const [network] = JSON.parse(await podman(["network", "inspect", KUBE_NETWORK])) as { network_interface: string; subnets: { gateway: string }[] }[];
  const gateway = network?.subnets[0]?.gateway;
  if (network === undefined || gateway === undefined) throw new Error(`podman network ${KUBE_NETWORK} has no gateway`);
  return { gateway, bridge: network.network_interface };
}

/**
 * playService does kube-proxy's part in NETNS: the Service of serviceFile gets a route to its cluster IP over bridge,
 * and each of its ports is DNATed to podIp and the container port its targetPort names (from containerPorts).
 * Returns the cluster IP.
 */
export async function playService(serviceFile: string, containerPorts: readonly ContainerPort[], bridge: string, podIp: string): Promise<string> {
  const service = parse(readFileSync(serviceFile, "utf8")) as { spec: { clusterIP: string; ports: ServicePort[] } };
  const clusterIp = service.spec.clusterIP;
  await checked("ip", ["-n", NETNS, "route", "add", `${clusterIp}/32`, "dev", bridge]);
  for (const mapping of servicePortMappings(service.spec.ports, containerPorts)) {
    const rule = ["-t", "nat", "-A", "OUTPUT", "-d", `${clusterIp}/32`, "-p", mapping.protocol.toLowerCase(), "--dport", String(mapping.port)];
    await checked("ip", ["netns", "exec", NETNS, "iptables", ...rule, "-j", "DNAT", "--to-destination", `${podIp}:${mapping.targetPort}`]);
  }
  return clusterIp;
}
