/**
 * What the gateway reads answer (lib/gateway/reads.ts), in a module without server code so
 * components can import the types.
 */
import type { ObjectIssue } from "@/lib/kube-objects/model/issues";
import type { RegistryConfig } from "@/lib/gateway/model/registries";
import type { RouteModel } from "@/lib/gateway/model/route-model";
import type { HealthCount, TrafficState } from "@/lib/gateway/model/traffic";

export interface ConditionView {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface GatewayView {
  type: "Gateway" | "IstioGateway";
  namespace: string;
  name: string;
  resourceVersion: string;
  className?: string;
  listeners: Array<{ name: string; hostname?: string; port: number; protocol: string; tlsCertificateRefs: string[] }>;
  conditions: ConditionView[];
}

export interface RouteStatusView {
  parent: string;
  accepted: string;
  resolvedRefs: string;
  conditions: ConditionView[];
}

export interface RouteRuleSummary {
  matches: string[];
  backends: Array<{ name: string; kind: string; namespace?: string; weight: number; /** "service @ zone" for a site backend. */ label?: string }>;
}

export interface RouteListItem {
  type: "HTTPRoute" | "GRPCRoute" | "VirtualService";
  namespace: string;
  name: string;
  resourceVersion: string;
  hostnames: string[];
  parents: string[];
  rules: RouteRuleSummary[];
  status: RouteStatusView[];
  canary?: { step: number; percent: number; steps: number[] };
  drained: string[];
  siteBackends: Array<{ site: string; service: string; zones: string[] }>;
  /** GRPCRoutes and VirtualServices are shown, not edited here. */
  readOnly: boolean;
}

export interface RouteListPage {
  total: number;
  page: number;
  pages: number;
  items: RouteListItem[];
}

export interface RouteMapView {
  gateways: Array<{
    gateway: string;
    routes: Array<Pick<RouteListItem, "type" | "namespace" | "name" | "hostnames" | "rules" | "drained" | "canary">>;
  }>;
}

export interface ZoneHealthView {
  zone: string;
  environment: string;
  host: string;
  health: HealthCount | null;
  error?: string;
}

export interface RouteDetailView {
  object: Record<string, unknown>;
  resourceVersion: string;
  model: RouteModel;
  state: TrafficState;
  status: RouteStatusView[];
  siteBackends: Array<{ rule: number; site: string; service: string; group: string; zones: ZoneHealthView[] }>;
  issues: ObjectIssue[];
  canWrite: boolean;
}

export interface RegistriesView {
  namespace: string;
  name: string;
  exists: boolean;
  resourceVersion: string | null;
  registries: Array<Record<string, unknown>>;
  site: string | null;
  zones: Array<{ zone: string; environment: string; registryKind: "nacos" | "zookeeper"; namespace: string; registry: RegistryConfig }>;
  canWrite: boolean;
}
