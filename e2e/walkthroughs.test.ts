import { describe } from "vitest";
import { usePod } from "./harness/use-pod.js";
import { forwarding } from "./walkthroughs/forwarding.js";
import { headless } from "./walkthroughs/headless.js";
import { kubernetesDefault } from "./walkthroughs/kubernetes-default.js";
import { myNginx } from "./walkthroughs/my-nginx.js";
import { namespaces } from "./walkthroughs/namespaces.js";
import { podRecreated } from "./walkthroughs/pod-recreated.js";
import { searchPath } from "./walkthroughs/search-path.js";
import { skydnsTree } from "./walkthroughs/skydns-tree.js";

// The walkthroughs that can share one running pod (starting one costs seconds of two shared cores): each creates
// what it needs under names of its own, so any one of them runs alone (-t). The destructive ones are in faults.test.ts.
// skydns listens on port 53 of a free loopback address, the node's resolver (the upstream dnsmasq) on another.
describe("the seeds' walkthroughs, as pods see them", () => {
  const pod = usePod();

  kubernetesDefault(pod);
  myNginx(pod);
  namespaces(pod);
  searchPath(pod);
  headless(pod);
  podRecreated(pod);
  skydnsTree(pod);
  forwarding(pod);
});
