/**
 * What the site and zone views answer (lib/registry/zones.ts, disable-everywhere.ts), in a
 * module without server code so components can import these types.
 */
import type { NacosServiceInstance } from "@/lib/nacos/client";

export interface ZoneView {
  zone: string;
  environment: string;
  /** The namespaces the zone's environment is configured with ("" = public). */
  namespaces: string[];
}

export interface SiteView {
  site: string;
  zones: ZoneView[];
}

/** A zone as one merged read saw it: which namespace was read, and whether Nacos answered. */
export interface ZoneStatus {
  zone: string;
  environment: string;
  namespace: string;
  ok: boolean;
  /** Plain words naming Nacos and the environment, when the zone could not be read. */
  error?: string;
}

export type DifferenceReason = "missing" | "weight" | "metadata" | "enabled";

export interface ZoneServiceCell {
  /** `unavailable`: the zone's Nacos did not answer; presence is unknown. */
  state: "present" | "missing" | "unavailable";
  instanceCount: number;
  healthyCount: number;
  /** This zone's instances disagree with another zone's, or the service is missing here. */
  differs: boolean;
}

export interface MergedServiceRow {
  name: string;
  group: string;
  differences: boolean;
  reasons: DifferenceReason[];
  /** Keyed by zone name. */
  cells: Record<string, ZoneServiceCell>;
}

export interface MergedServicesPage {
  site: string;
  zones: ZoneStatus[];
  total: number;
  page: number;
  pages: number;
  /** Some zone has more services than the console walks; the union is incomplete. */
  truncated: boolean;
  items: MergedServiceRow[];
}

export interface AlignedInstanceRow {
  /** "ip:port" */
  key: string;
  ip: string;
  port: number;
  /** Which fields differ between the zones that have this ip:port. */
  differs: { weight: boolean; metadata: boolean; enabled: boolean };
  /** Keyed by zone name; null where the zone has no instance at this ip:port. */
  cells: Record<string, NacosServiceInstance | null>;
}

export interface MergedServiceDetail {
  site: string;
  group: string;
  serviceName: string;
  zones: ZoneStatus[];
  rows: AlignedInstanceRow[];
  /** Whether the actor may disable instances in every zone of the site (the button shows only then). */
  canDisableEverywhere: boolean;
}

/** An instance as the audit row and the confirmation show it. */
export interface InstanceState {
  ip: string;
  port: number;
  clusterName: string;
  weight: number;
  enabled: boolean;
}

/** A field of one instance that is not what the operator saw (`instance`: present/absent). */
export interface ZoneInstanceDiff {
  /** "ip:port/cluster" */
  instance: string;
  field: "instance" | "enabled" | "weight";
  expected: unknown;
  current: unknown;
}

export interface ZoneDisableOutcome {
  zone: string;
  environment: string;
  namespace: string;
  /**
   * `succeeded`: Nacos shows every instance disabled (or there was nothing to do);
   * `conflict`: the zone differed from `expected`, nothing written there (see `current`, `diff`);
   * `unknown`: sent, but Nacos did not show it in time — check; `failed`: see `error`.
   */
  status: "succeeded" | "conflict" | "unknown" | "failed";
  /** status is `succeeded`. */
  ok: boolean;
  /** Plain words naming Nacos and the environment (also for `conflict` and `unknown`). */
  error?: string;
  /** Instances of the IP (and port) registered in the zone (read under the lock). */
  matched: number;
  /** Instances this call sent a disable for (already disabled ones are left alone). */
  changed: number;
  /** Read under the lock. */
  before: InstanceState[];
  /** Read back after the writes (the last read for `unknown`; `before` when nothing was written). */
  after: InstanceState[];
  /** For `conflict`: the zone's instances of the IP now, and what differs from `expected`. */
  current?: InstanceState[];
  diff?: ZoneInstanceDiff[];
}

export interface DisableEverywhereResult {
  site: string;
  /** `outcome` is `partial`: some zones were changed and others were not; `zones` says which. */
  partial: boolean;
  /** As audited. `unknown`: some zone's change was not shown by Nacos in time (HTTP 202). */
  outcome: "succeeded" | "partial" | "unknown";
  zones: ZoneDisableOutcome[];
}
