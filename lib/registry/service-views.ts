/**
 * What the service page shows, as plain types (no server code): components import these
 * instead of server modules. One service's detail is the same shape for Nacos and ZooKeeper;
 * the fields a registry does not have are absent.
 */
import type { NacosServiceInstance } from "@/lib/nacos/schemas";

/** A Dubbo provider or consumer URL split into the fields an operator reads. */
export interface DubboEndpoint {
  protocol: string;
  host: string;
  /** null for consumers, which usually register no port. */
  port: number | null;
  interface: string;
  version: string | null;
  group: string | null;
  application: string | null;
  methods: string[];
}

export interface ServiceSubscriber {
  address: string;
  agent: string | null;
  app: string | null;
}

export interface ServiceDetailView {
  instances: NacosServiceInstance[];
  /** Nacos: the clients subscribed to the service. */
  subscribers?: { total: number; items: ServiceSubscriber[] };
  /** Dubbo: how many consumers registered for the interface and group. */
  consumerCount?: number;
  /** Dubbo: each provider URL, split. */
  providers?: DubboEndpoint[];
  /** Dubbo: each consumer URL, split. */
  consumers?: DubboEndpoint[];
}
