import { z } from "zod";

export const EnvironmentName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "must be 1–63 lowercase letters, digits or '-'");

const LabelKey = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "label keys are lowercase, up to 63 characters");
const LabelValue = z.string().regex(/^[A-Za-z0-9._-]{0,63}$/, "label values are letters, digits, . _ -, up to 63 characters");

const NacosNamespace = z.string().regex(/^[A-Za-z0-9_-]{0,128}$/, "must be a Nacos namespace id");

export const RegistryInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("nacos"),
    url: z.string().min(1, "required").max(512),
    username: z.string().max(128).optional(),
    password: z.string().max(512).optional(),
    accessToken: z.string().max(4096).optional(),
    namespaces: z.array(NacosNamespace).max(64).default([""]),
  }),
  z.object({
    kind: z.literal("zookeeper"),
    hosts: z.string().min(1, "required").max(1024),
    layout: z.enum(["dubbo", "spring-cloud"]),
    root: z.string().regex(/^\/[A-Za-z0-9._\/-]*$/, "must be an absolute znode path").default("/"),
  }),
]);

export const KubernetesInput = z.object({
  apiUrl: z.string().min(1, "required").max(512),
  caPem: z.string().max(65_536).optional(),
  auth: z.enum(["client-certificate", "bearer-token"]),
  clientCertPem: z.string().max(65_536).optional(),
  clientKeyPem: z.string().max(65_536).optional(),
  bearerToken: z.string().max(8_192).optional(),
});

export const EnvironmentInput = z
  .object({
    name: EnvironmentName,
    description: z.string().max(500).default(""),
    labels: z.record(LabelKey, LabelValue).refine((l) => Object.keys(l).length <= 20, "at most 20 labels").default({}),
    registry: RegistryInput.nullable().default(null),
    kubernetes: KubernetesInput.nullable().default(null),
    prometheusUrl: z.string().max(512).nullable().default(null),
  })
  .strict();
export type EnvironmentInput = z.infer<typeof EnvironmentInput>;

export const UpdateEnvironmentInput = EnvironmentInput.and(z.object({ expectedVersion: z.number().int().positive() }));
export type UpdateEnvironmentInput = z.infer<typeof UpdateEnvironmentInput>;
