/** SYSTEM_NAMESPACES exist from the start and may not be deleted, as in kube-apiserver. */
export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;
