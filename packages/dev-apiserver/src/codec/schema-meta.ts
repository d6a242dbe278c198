import type { MessageTable } from "./schema.js";

// The envelope (k8s.io/apimachinery pkg/runtime/generated.proto) and meta/v1's messages (pkg/apis/meta/v1), with the
// three that JSON writes as scalars: resource.Quantity (its text), intstr.IntOrString and meta/v1 Time. What the
// server sets itself (creationTimestamp, generation, managedFields, ...) is read over and dropped.

/** ENVELOPE is runtime.Unknown, which wraps every protobuf body, with the type it names. */
export const ENVELOPE: MessageTable = {
  Unknown: "typeMeta=1:TypeMeta raw=2:bytes contentEncoding=3 contentType=4",
  TypeMeta: "apiVersion=1 kind=2",
};

/** META are meta/v1's messages, and the messages JSON writes as scalars (protobuf.ts converts them). */
export const META: MessageTable = {
  ObjectMeta: `name=1 generateName=2 namespace=3 selfLink=4! uid=5 resourceVersion=6 generation=7:int64!
    creationTimestamp=8:Time! deletionTimestamp=9:Time! deletionGracePeriodSeconds=10:int64!
    labels=11:map<string> annotations=12:map<string> ownerReferences=13:OwnerReference[] finalizers=14[]
    managedFields=17:bytes[]!`,
  OwnerReference: "apiVersion=5 kind=1 name=3 uid=4 controller=6:bool? blockOwnerDeletion=7:bool?",
  LabelSelector: "matchLabels=1:map<string> matchExpressions=2:LabelSelectorRequirement[]",
  LabelSelectorRequirement: "key=1 operator=2 values=3[]",
  Time: "seconds=1:int64 nanos=2:int32",
  Quantity: "string=1",
  IntOrString: "type=1:int64 intVal=2:int32 strVal=3",
};
