/** ServicePort is one port of a Service as its manifest writes it. */
export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly protocol?: string;
  readonly targetPort?: number | string;
}

/** ContainerPort is one port of a container as its manifest writes it. */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

/** PortMapping is where kube-proxy sends one Service port: the protocol, the Service's port and the pod's port. */
export interface PortMapping {
  readonly protocol: "TCP" | "UDP";
  readonly port: number;
  readonly targetPort: number;
}

/**
 * servicePortMappings resolves each Service port to the pod port it reaches, as kube-proxy does: a named targetPort is
 * the container port of that name and protocol, a number is itself, and no targetPort means the Service's own port.
 * Throws for a name that no container port carries (the Service would have no endpoints).
 */
export function servicePortMappings(servicePorts: readonly ServicePort[], containerPorts: readonly ContainerPort[]): PortMapping[] {
  return servicePorts.map((servicePort) => {
    const protocol = servicePort.protocol === "UDP" ? "UDP" : "TCP";
    const target = servicePort.targetPort ?? servicePort.port;
    if (typeof target === "number") return { protocol, port: servicePort.port, targetPort: target };
    const named = containerPorts.find((p) => p.name === target && (p.protocol ?? "TCP") === protocol);
    if (named === undefined) throw new Error(`Service port ${servicePort.name ?? servicePort.port}: no ${protocol} container port named ${target}`);
    return { protocol, port: servicePort.port, targetPort: named.containerPort };
  });
}
