import type { MessageTable } from "./schema.js";

// core/v1 (k8s.io/api core/v1/generated.proto): the messages of Namespaces, Services, Endpoints, ConfigMaps, Pods and
// ReplicationControllers that a client may send. A field left out (an ephemeral container, a cloud volume source)
// makes a body that sets it a 415, never a silent loss; status is read over and dropped, as the server sets it.

/** CORE are core/v1's messages. */
export const CORE: MessageTable = {
  Namespace: "metadata=1:ObjectMeta spec=2:NamespaceSpec status=3:bytes!",
  NamespaceSpec: "finalizers=1[]",
  Service: "metadata=1:ObjectMeta spec=2:ServiceSpec status=3:bytes!",
  ServiceSpec: `ports=1:ServicePort[] selector=2:map<string> clusterIP=3 clusterIPs=18[] type=4 externalIPs=5[]
    sessionAffinity=7 loadBalancerIP=8 loadBalancerSourceRanges=9[] externalName=10 externalTrafficPolicy=11
    healthCheckNodePort=12:int32 publishNotReadyAddresses=13:bool
    sessionAffinityConfig=14:SessionAffinityConfig? ipFamilies=19[] ipFamilyPolicy=17?
    allocateLoadBalancerNodePorts=20:bool? loadBalancerClass=21? internalTrafficPolicy=22?
    trafficDistribution=23?`,
  ServicePort: "name=1 protocol=2 appProtocol=6? port=3:int32 targetPort=4:IntOrString nodePort=5:int32",
  SessionAffinityConfig: "clientIP=1:ClientIPConfig?",
  ClientIPConfig: "timeoutSeconds=1:int32?",
  Endpoints: "metadata=1:ObjectMeta subsets=2:EndpointSubset[]",
  EndpointSubset: "addresses=1:EndpointAddress[] notReadyAddresses=2:EndpointAddress[] ports=3:EndpointPort[]",
  EndpointAddress: "ip=1 hostname=3 nodeName=4? targetRef=2:ObjectReference?",
  EndpointPort: "name=1 port=2:int32 protocol=3 appProtocol=4?",
  ConfigMap: "metadata=1:ObjectMeta data=2:map<string> binaryData=3:map<bytes> immutable=4:bool?",
  ObjectReference: "kind=1 namespace=2 name=3 uid=4 apiVersion=5 resourceVersion=6 fieldPath=7",
  Pod: "metadata=1:ObjectMeta spec=2:PodSpec status=3:bytes!",
  PodSpec: `volumes=1:Volume[] initContainers=20:Container[] containers=2:Container[] restartPolicy=3
    terminationGracePeriodSeconds=4:int64? activeDeadlineSeconds=5:int64? dnsPolicy=6 nodeSelector=7:map<string>
    serviceAccountName=8 serviceAccount=9 automountServiceAccountToken=21:bool? nodeName=10 hostNetwork=11:bool
    hostPID=12:bool hostIPC=13:bool shareProcessNamespace=27:bool? securityContext=14:PodSecurityContext?
    imagePullSecrets=15:LocalObjectReference[] hostname=16 subdomain=17 affinity=18:Affinity? schedulerName=19
    tolerations=22:Toleration[] hostAliases=23:HostAlias[] priorityClassName=24 priority=25:int32?
    dnsConfig=26:PodDNSConfig? readinessGates=28:PodReadinessGate[] runtimeClassName=29?
    enableServiceLinks=30:bool? preemptionPolicy=31? overhead=32:map<Quantity>
    topologySpreadConstraints=33:TopologySpreadConstraint[] setHostnameAsFQDN=35:bool? os=36:PodOS?
    hostUsers=37:bool? schedulingGates=38:PodSchedulingGate[] resources=40:ResourceRequirements?
    hostnameOverride=41?`,
  PodTemplateSpec: "metadata=1:ObjectMeta spec=2:PodSpec",
  Container: `name=1 image=2 command=3[] args=4[] workingDir=5 ports=6:ContainerPort[] envFrom=19:EnvFromSource[]
    env=7:EnvVar[] resources=8:ResourceRequirements resizePolicy=23:ContainerResizePolicy[] restartPolicy=24?
    volumeMounts=9:VolumeMount[] volumeDevices=21:VolumeDevice[] livenessProbe=10:Probe?
    readinessProbe=11:Probe? startupProbe=22:Probe? lifecycle=12:Lifecycle? terminationMessagePath=13
    terminationMessagePolicy=20 imagePullPolicy=14 securityContext=15:SecurityContext? stdin=16:bool
    stdinOnce=17:bool tty=18:bool`,
  ContainerPort: "name=1 hostPort=2:int32 containerPort=3:int32 protocol=4 hostIP=5",
  EnvVar: "name=1 value=2 valueFrom=3:EnvVarSource?",
  EnvVarSource: `fieldRef=1:ObjectFieldSelector? resourceFieldRef=2:ResourceFieldSelector?
    configMapKeyRef=3:ConfigMapKeySelector? secretKeyRef=4:SecretKeySelector?`,
  ConfigMapKeySelector: "localObjectReference=1:LocalObjectReference^ key=2 optional=3:bool?",
  SecretKeySelector: "localObjectReference=1:LocalObjectReference^ key=2 optional=3:bool?",
  ObjectFieldSelector: "apiVersion=1 fieldPath=2",
  ResourceFieldSelector: "containerName=1 resource=2 divisor=3:Quantity",
  EnvFromSource: "prefix=1 configMapRef=2:ConfigMapEnvSource? secretRef=3:SecretEnvSource?",
  ConfigMapEnvSource: "localObjectReference=1:LocalObjectReference^ optional=2:bool?",
  SecretEnvSource: "localObjectReference=1:LocalObjectReference^ optional=2:bool?",
  ResourceRequirements: "limits=1:map<Quantity> requests=2:map<Quantity> claims=3:ResourceClaim[]",
  ResourceClaim: "name=1 request=2",
  VolumeMount: `name=1 readOnly=2:bool recursiveReadOnly=7? mountPath=3 subPath=4 mountPropagation=5? subPathExpr=6
    bindMountOptions=8[]`,
  VolumeDevice: "name=1 devicePath=2",
  Probe: `handler=1:ProbeHandler^ initialDelaySeconds=2:int32 timeoutSeconds=3:int32 periodSeconds=4:int32
    successThreshold=5:int32 failureThreshold=6:int32 terminationGracePeriodSeconds=7:int64?`,
  ProbeHandler: "exec=1:ExecAction? httpGet=2:HTTPGetAction? tcpSocket=3:TCPSocketAction? grpc=4:GRPCAction?",
  ExecAction: "command=1[]",
  HTTPGetAction: "path=1 port=2:IntOrString host=3 scheme=4 httpHeaders=5:HTTPHeader[] protocol=6?",
  HTTPHeader: "name=1 value=2",
  TCPSocketAction: "port=1:IntOrString host=2",
  GRPCAction: "port=1:int32 service=2? mode=3?",
  Lifecycle: "postStart=1:LifecycleHandler? preStop=2:LifecycleHandler? stopSignal=3?",
  LifecycleHandler: "exec=1:ExecAction? httpGet=2:HTTPGetAction? tcpSocket=3:TCPSocketAction? sleep=4:SleepAction?",
  SleepAction: "seconds=1:int64",
  SecurityContext: `capabilities=1:Capabilities? privileged=2:bool? seLinuxOptions=3:SELinuxOptions?
    windowsOptions=10:WindowsSecurityContextOptions? runAsUser=4:int64? runAsGroup=8:int64? runAsNonRoot=5:bool?
    readOnlyRootFilesystem=6:bool? allowPrivilegeEscalation=7:bool? procMount=9?
    seccompProfile=11:SeccompProfile? appArmorProfile=12:AppArmorProfile?`,
  Capabilities: "add=1[] drop=2[]",
  SELinuxOptions: "user=1 role=2 type=3 level=4",
  SeccompProfile: "type=1 localhostProfile=2?",
  AppArmorProfile: "type=1 localhostProfile=2?",
  WindowsSecurityContextOptions: "gmsaCredentialSpecName=1? gmsaCredentialSpec=2? runAsUserName=3? hostProcess=4:bool?",
  PodSecurityContext: `seLinuxOptions=1:SELinuxOptions? windowsOptions=8:WindowsSecurityContextOptions? runAsUser=2:int64?
    runAsGroup=6:int64? runAsNonRoot=3:bool? supplementalGroups=4:int64[] supplementalGroupsPolicy=12?
    fsGroup=5:int64? sysctls=7:Sysctl[] fsGroupChangePolicy=9? seccompProfile=10:SeccompProfile?
    appArmorProfile=11:AppArmorProfile? seLinuxChangePolicy=13?`,
  Sysctl: "name=1 value=2",
  Volume: "name=1 volumeSource=2:VolumeSource^",
  VolumeSource: `hostPath=1:HostPathVolumeSource? emptyDir=2:EmptyDirVolumeSource? secret=6:SecretVolumeSource?
    nfs=7:NFSVolumeSource? persistentVolumeClaim=10:PersistentVolumeClaimVolumeSource?
    downwardAPI=16:DownwardAPIVolumeSource? configMap=19:ConfigMapVolumeSource?
    projected=26:ProjectedVolumeSource? csi=28:CSIVolumeSource?`,
  EmptyDirVolumeSource: "medium=1 sizeLimit=2:Quantity? mode=3:int32?",
  HostPathVolumeSource: "path=1 type=2?",
  SecretVolumeSource: "secretName=1 items=2:KeyToPath[] defaultMode=3:int32? optional=4:bool? defaultUser=5:int64?",
  ConfigMapVolumeSource: `localObjectReference=1:LocalObjectReference^ items=2:KeyToPath[] defaultMode=3:int32? optional=4:bool?
    defaultUser=5:int64?`,
  PersistentVolumeClaimVolumeSource: "claimName=1 readOnly=2:bool",
  DownwardAPIVolumeSource: "items=1:DownwardAPIVolumeFile[] defaultMode=2:int32? defaultUser=3:int64?",
  DownwardAPIVolumeFile: `path=1 fieldRef=2:ObjectFieldSelector? resourceFieldRef=3:ResourceFieldSelector? mode=4:int32? user=5:int64?`,
  ProjectedVolumeSource: "sources=1:VolumeProjection[] defaultMode=2:int32? defaultUser=3:int64?",
  VolumeProjection: `secret=1:SecretProjection? downwardAPI=2:DownwardAPIProjection? configMap=3:ConfigMapProjection?
    serviceAccountToken=4:ServiceAccountTokenProjection?`,
  SecretProjection: "localObjectReference=1:LocalObjectReference^ items=2:KeyToPath[] optional=4:bool?",
  ConfigMapProjection: "localObjectReference=1:LocalObjectReference^ items=2:KeyToPath[] optional=4:bool?",
  DownwardAPIProjection: "items=1:DownwardAPIVolumeFile[]",
  ServiceAccountTokenProjection: "audience=1 expirationSeconds=2:int64? path=3 user=4:int64?",
  KeyToPath: "key=1 path=2 mode=3:int32? user=4:int64?",
  NFSVolumeSource: "server=1 path=2 readOnly=3:bool",
  CSIVolumeSource: `driver=1 readOnly=2:bool? fsType=3? volumeAttributes=4:map<string>
    nodePublishSecretRef=5:LocalObjectReference?`,
  LocalObjectReference: "name=1",
  Toleration: "key=1 operator=2 value=3 effect=4 tolerationSeconds=5:int64?",
  HostAlias: "ip=1 hostnames=2[]",
  PodDNSConfig: "nameservers=1[] searches=2[] options=3:PodDNSConfigOption[]",
  PodDNSConfigOption: "name=1 value=2?",
  PodReadinessGate: "conditionType=1",
  Affinity: "nodeAffinity=1:NodeAffinity? podAffinity=2:PodAffinity? podAntiAffinity=3:PodAntiAffinity?",
  NodeAffinity: `requiredDuringSchedulingIgnoredDuringExecution=1:NodeSelector?
    preferredDuringSchedulingIgnoredDuringExecution=2:PreferredSchedulingTerm[]`,
  NodeSelector: "nodeSelectorTerms=1:NodeSelectorTerm[]",
  NodeSelectorTerm: "matchExpressions=1:NodeSelectorRequirement[] matchFields=2:NodeSelectorRequirement[]",
  NodeSelectorRequirement: "key=1 operator=2 values=3[]",
  PreferredSchedulingTerm: "weight=1:int32 preference=2:NodeSelectorTerm",
  PodAffinity: `requiredDuringSchedulingIgnoredDuringExecution=1:PodAffinityTerm[]
    preferredDuringSchedulingIgnoredDuringExecution=2:WeightedPodAffinityTerm[]`,
  PodAntiAffinity: `requiredDuringSchedulingIgnoredDuringExecution=1:PodAffinityTerm[]
    preferredDuringSchedulingIgnoredDuringExecution=2:WeightedPodAffinityTerm[]`,
  PodAffinityTerm: `labelSelector=1:LabelSelector? namespaces=2[] topologyKey=3 namespaceSelector=4:LabelSelector?
    matchLabelKeys=5[] mismatchLabelKeys=6[]`,
  WeightedPodAffinityTerm: "weight=1:int32 podAffinityTerm=2:PodAffinityTerm",
  TopologySpreadConstraint: `maxSkew=1:int32 topologyKey=2 whenUnsatisfiable=3 labelSelector=4:LabelSelector? minDomains=5:int32?
    nodeAffinityPolicy=6? nodeTaintsPolicy=7? matchLabelKeys=8[]`,
  PodOS: "name=1",
  PodSchedulingGate: "name=1",
  ContainerResizePolicy: "resourceName=1 restartPolicy=2",
  ReplicationController: "metadata=1:ObjectMeta spec=2:ReplicationControllerSpec status=3:bytes!",
  ReplicationControllerSpec: `replicas=1:int32? minReadySeconds=4:int32 selector=2:map<string> template=3:PodTemplateSpec?`,
};
