import type { AddressPicker } from "../../addresses/address-allocator.js";
import type { Cidr } from "../../addresses/cidr.js";
import type { NameRule } from "../meta.js";
import type { ApiError, FieldError } from "../../api/status.js";
import type { Claims } from "../../storage/storage.js";
import type { KubeObject } from "../../api/types.js";

/** StrategyContext is what strategies may consult: the address ranges and who picks a free address in each. */
export interface StrategyContext {
  readonly serviceRange: Cidr;
  readonly podRange: Cidr;
  /** Picks cluster IPs; the claim key written with the service decides whether one was really free. */
  readonly serviceIPs: AddressPicker;
  /** Picks pod IPs, likewise. */
  readonly podIPs: AddressPicker;
}

/**
 * Strategy is what differs between resources on writes, as kube-apiserver's registry strategies:
 * defaulting, validation, address allocation, and which fields a write may change.
 */
export interface Strategy {
  readonly nameRule: NameRule;
  /** True when status is written only through the status subresource. */
  readonly statusSubresource: boolean;
  /** True when metadata.generation starts at 1 and grows with every change outside metadata and status. */
  readonly tracksGeneration: boolean;
  /** prepareCreate defaults the object in place and returns the keys it claims (allocated addresses). */
  prepareCreate(object: KubeObject, context: StrategyContext): Promise<Claims>;
  /** prepareUpdate defaults the new object in place from the old one and returns claims and releases. */
  prepareUpdate(object: KubeObject, old: KubeObject, context: StrategyContext): Claims;
  /** validate returns what is wrong with the object after defaulting. */
  validate(object: KubeObject, context: StrategyContext): FieldError[];
  /** releases lists the claim keys that go away with the object. */
  releases(object: KubeObject): string[];
  /** claimError is the error for a taken claim, given the object as the client sent it: undefined means allocate again. */
  claimError(requested: KubeObject): ApiError | undefined;
}

/** plainStrategy serves resources with no allocation and no special fields. */
export function plainStrategy(overrides: Partial<Strategy> = {}): Strategy {
  return {
    nameRule: "dns1123-subdomain",
    statusSubresource: false,
    tracksGeneration: false,
    prepareCreate: () => Promise.resolve({}),
    prepareUpdate: () => ({}),
    validate: () => [],
    releases: () => [],
    claimError: () => undefined,
    ...overrides,
  };
}
