export { ReplicaSet, type NodeRole } from "./replica-set.ts";
export { isReplicatedConfig, type ReplicatedConfig, type ReplicaNode, type ReplicaRoutingOptions } from "./config.ts";
