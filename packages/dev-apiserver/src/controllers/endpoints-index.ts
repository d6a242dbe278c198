import { selectorOf } from "./endpoints-desired.js";
import { LabelIndex } from "./label-index.js";
import { matchesLabels, selectorFromMap, type Selector } from "../api/selectors.js";
import { isJsonObject, type KubeObject } from "../api/types.js";

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;

// A pod written straight into etcd may carry anything as labels.
function labelsOf(pod: KubeObject): Record<string, string> {
  const labels: unknown = pod.metadata.labels;
  return isJsonObject(labels) ? (labels as Record<string, string>) : {};
}

/**
 * EndpointsIndex is the endpoints controller's view of services and pods, as its list and watches report them,
 * filed so that neither a sync nor an event costs time in proportion to the cluster: the pods a selector may match
 * are found through the rarest pair of the selector, and the services whose selector may match a pod through the
 * pod's labels.
 */
export class EndpointsIndex {
  private readonly services = new Map<string, KubeObject>();
  // Pods under each of their labels; selector services under one pair of their selector.
  private readonly pods = new LabelIndex<KubeObject>();
  private readonly selectors = new LabelIndex<Selector>();

  /** serviceKeys are the `<namespace>/<name>` keys of every service. */
  serviceKeys(): IterableIterator<string> {
    return this.services.keys();
  }

  /** service is the service stored under `<namespace>/<name>`, if any. */
  service(key: string): KubeObject | undefined {
    return this.services.get(key);
  }

  /** setService records a new or changed service and returns its key. */
  setService(service: KubeObject): string {
    const key = keyOf(service);
    this.services.set(key, service);
    const selector = selectorOf(service);
    const [pair] = Object.entries(selector ?? {});
    if (selector === undefined || pair === undefined) this.selectors.delete(key);
    else this.selectors.set(key, service.metadata.namespace ?? "", { [pair[0]]: pair[1] }, selectorFromMap(selector));
    return key;
  }

  /** deleteService forgets a service and returns its key. */
  deleteService(service: KubeObject): string {
    const key = keyOf(service);
    this.services.delete(key);
    this.selectors.delete(key);
    return key;
  }

  /** setPod records a new or changed pod. */
  setPod(pod: KubeObject): void {
    this.pods.set(keyOf(pod), pod.metadata.namespace ?? "", labelsOf(pod), pod);
  }

  /** deletePod forgets a pod. */
  deletePod(pod: KubeObject): void {
    this.pods.delete(keyOf(pod));
  }

  /** servicesSelecting returns the keys of the services whose selector matches the pod's labels. */
  servicesSelecting(pod: KubeObject): string[] {
    const namespace = pod.metadata.namespace ?? "";
    const labels = labelsOf(pod);
    const keys: string[] = [];
    for (const [name, value] of Object.entries(labels)) {
      for (const [key, selector] of this.selectors.filed(namespace, name, value)) if (matchesLabels(selector, labels)) keys.push(key);
    }
    return keys;
  }

  /**
   * podsFor returns the pods of namespace that carry the selector's rarest label pair: a superset of those it
   * selects, which desiredEndpoints narrows down.
   */
  podsFor(namespace: string, selector: Readonly<Record<string, string>>): KubeObject[] {
    let rarest: ReadonlyMap<string, KubeObject> | undefined;
    for (const [name, value] of Object.entries(selector)) {
      const filed = this.pods.filed(namespace, name, value);
      if (rarest === undefined || filed.size < rarest.size) rarest = filed;
    }
    return rarest === undefined ? [] : [...rarest.values()];
  }
}
