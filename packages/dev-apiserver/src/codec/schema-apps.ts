import type { MessageTable } from "./schema.js";

// apps/v1 (k8s.io/api apps/v1/generated.proto): Deployments; their pod template is core/v1's.

/** APPS are apps/v1's messages. */
export const APPS: MessageTable = {
  Deployment: "metadata=1:ObjectMeta spec=2:DeploymentSpec status=3:bytes!",
  DeploymentSpec: `replicas=1:int32? selector=2:LabelSelector? template=3:PodTemplateSpec strategy=4:DeploymentStrategy
    minReadySeconds=5:int32 revisionHistoryLimit=6:int32? paused=7:bool progressDeadlineSeconds=9:int32?`,
  DeploymentStrategy: "type=1 rollingUpdate=2:RollingUpdateDeployment?",
  RollingUpdateDeployment: "maxUnavailable=1:IntOrString? maxSurge=2:IntOrString?",
};
