import type { MessageTable } from "./schema.js";

// discovery.k8s.io/v1 (k8s.io/api discovery/v1/generated.proto): EndpointSlices. Its Endpoint and EndpointPort are
// named DiscoveryEndpoint and DiscoveryEndpointPort here, apart from core/v1's EndpointPort.

/** DISCOVERY are discovery.k8s.io/v1's messages. */
export const DISCOVERY: MessageTable = {
  EndpointSlice: "metadata=1:ObjectMeta addressType=4 endpoints=2:DiscoveryEndpoint[] ports=3:DiscoveryEndpointPort[]",
  DiscoveryEndpoint: `addresses=1[] conditions=2:EndpointConditions hostname=3? targetRef=4:ObjectReference?
    deprecatedTopology=5:map<string> nodeName=6? zone=7? hints=8:EndpointHints?`,
  EndpointConditions: "ready=1:bool? serving=2:bool? terminating=3:bool?",
  EndpointHints: "forZones=1:ForZone[] forNodes=2:ForNode[]",
  ForZone: "name=1",
  ForNode: "name=1",
  DiscoveryEndpointPort: "name=1? protocol=2? port=3:int32? appProtocol=4?",
};
