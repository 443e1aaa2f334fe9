/**
 * zod schemas for what the Kubernetes API answers, and for what callers hand the client.
 * Objects are checked minimally and kept loose: a replace sends back what a get returned, so
 * labels, annotations, finalizers and owner references must survive the round trip.
 */
import { z } from "zod";

/** How to reach one cluster. Built from an environment record, never from request parameters. */
export const K8sConnection = z.object({
  environment: z.string().min(1),
  apiUrl: z.url({ protocol: /^https$/, error: "apiUrl must be an https:// URL" }),
  caPem: z.string().min(1).optional(),
  clientCertPem: z.string().min(1).optional(),
  clientKeyPem: z.string().min(1).optional(),
  bearerToken: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(300_000).optional(),
});
export type K8sConnection = z.infer<typeof K8sConnection>;

export const KubeObjectMeta = z
  .object({
    name: z.string().min(1),
    namespace: z.string().optional(),
    resourceVersion: z.string().min(1),
    uid: z.string().min(1),
    generation: z.number().int().optional(),
    creationTimestamp: z.string(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
    deletionTimestamp: z.string().optional(),
  })
  .loose();
export type KubeObjectMeta = z.infer<typeof KubeObjectMeta>;

export const KubeObject = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: KubeObjectMeta,
    spec: z.record(z.string(), z.unknown()).optional(),
    status: z.unknown().optional(),
  })
  .loose();
export type KubeObject = z.infer<typeof KubeObject>;

/** A dry-run create is never stored, so etcd assigned it no resourceVersion. */
export const DryRunKubeObject = KubeObject.extend({
  metadata: KubeObjectMeta.extend({ resourceVersion: z.string().optional() }),
});
export type DryRunKubeObject = z.infer<typeof DryRunKubeObject>;

export const KubeList = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.object({
    resourceVersion: z.string().optional(),
    continue: z.string().optional(),
    remainingItemCount: z.number().int().optional(),
  }),
  // Items are checked one by one after apiVersion/kind are filled in (lists may omit them).
  items: z.array(z.record(z.string(), z.unknown())).nullable(),
});
export type KubeList = z.infer<typeof KubeList>;

/** What callers pass to create/replace. apiVersion and kind are filled in from the registry. */
export const KubeObjectInput = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    metadata: z
      .object({
        name: z.string().optional(),
        namespace: z.string().optional(),
        resourceVersion: z.string().optional(),
        labels: z.record(z.string(), z.string()).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .loose(),
    spec: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();
export type KubeObjectInput = z.input<typeof KubeObjectInput>;

/** The `Status` body Kubernetes sends with every failure (and with some successes). */
export const K8sStatus = z.object({
  kind: z.literal("Status"),
  status: z.string().optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  code: z.number().int().optional(),
  details: z
    .object({
      name: z.string().optional(),
      group: z.string().optional(),
      kind: z.string().optional(),
      uid: z.string().optional(),
      causes: z
        .array(z.object({ reason: z.string().optional(), message: z.string().optional(), field: z.string().optional() }))
        .optional(),
      retryAfterSeconds: z.number().int().optional(),
    })
    .optional(),
});
export type K8sStatus = z.infer<typeof K8sStatus>;

export const K8sVersion = z.object({
  major: z.string(),
  minor: z.string(),
  gitVersion: z.string(),
  platform: z.string().optional(),
});
export type K8sVersion = z.infer<typeof K8sVersion>;

export const APIResourceList = z.object({
  groupVersion: z.string(),
  resources: z.array(z.object({ name: z.string(), kind: z.string(), namespaced: z.boolean() })),
});
export type APIResourceList = z.infer<typeof APIResourceList>;

/** The parts of a CustomResourceDefinition the console reads: each version's OpenAPI schema. */
export const CustomResourceDefinition = z.object({
  spec: z.object({
    versions: z.array(
      z.object({
        name: z.string(),
        schema: z.object({ openAPIV3Schema: z.record(z.string(), z.unknown()).optional() }).optional(),
      }).loose(),
    ),
  }).loose(),
}).loose();
export type CustomResourceDefinition = z.infer<typeof CustomResourceDefinition>;
