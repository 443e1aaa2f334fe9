import "server-only";
import { z } from "zod";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError, isAppError, UpstreamError } from "@/lib/errors";
import type { NacosServiceInstance } from "@/lib/nacos/schemas";
import { defineOperation } from "@/lib/ops/define-operation";
import { invalidate } from "@/lib/registry/cache";
import { applyMetadataEdits, CONFIRM_WAIT_MS, diffExpectation, showsWrite, unconfirmedMessage, waitUntilShown, withInstanceLocks } from "@/lib/registry/instance-change";
import { registryFor } from "@/lib/registry/nacos-scope";

const InstanceWeight = z.number().min(0).max(10_000);

/** Metadata keys to set; null removes the key. */
const MetadataEdits = z.record(z.string().min(1).max(256), z.string().max(1024).nullable());

export const UpdateInstanceOpInput = z
  .object({
    environment: z.string().min(1),
    namespace: z.string().regex(/^[A-Za-z0-9_-]{0,128}$/).default(""),
    group: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).default("DEFAULT_GROUP"),
    serviceName: z.string().regex(/^[A-Za-z0-9_.:@-]{1,256}$/, "must be a service name"),
    ip: z.union([z.ipv4(), z.ipv6()], "must be an IP address"),
    port: z.number().int().min(1).max(65_535),
    clusterName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default("DEFAULT"),
    weight: InstanceWeight.optional(),
    enabled: z.boolean().optional(),
    /** Only these keys are compared and written; the instance's other keys keep their current values. */
    metadata: MetadataEdits.optional(),
    /**
     * Required (issue #12): the values the operator saw — `weight` when changing the weight,
     * `enabled` when changing the flag, and `metadata` with exactly the edited keys (null = the
     * key was absent). Any other field given is compared too. A difference from what Nacos holds
     * now → 409 with the current values and a diff; nothing is written.
     */
    expected: z
      .object({ weight: InstanceWeight.optional(), enabled: z.boolean().optional(), metadata: MetadataEdits.optional() })
      .strict(),
  })
  .strict()
  .refine((v) => v.weight !== undefined || v.enabled !== undefined || (v.metadata !== undefined && Object.keys(v.metadata).length > 0), {
    message: "change weight, enabled or metadata",
    path: ["weight"],
  })
  .superRefine((v, ctx) => {
    const need = (field: "weight" | "enabled") => {
      if (v[field] !== undefined && v.expected[field] === undefined) ctx.addIssue({ code: "custom", path: ["expected", field], message: `give the ${field} you saw` });
    };
    need("weight");
    need("enabled");
    const edited = Object.keys(v.metadata ?? {});
    const seen = v.expected.metadata ?? {};
    for (const k of edited) {
      if (!Object.hasOwn(seen, k)) ctx.addIssue({ code: "custom", path: ["expected", "metadata", k], message: "give the value you saw (null when the key was absent)" });
    }
    for (const k of Object.keys(seen)) {
      if (!edited.includes(k)) ctx.addIssue({ code: "custom", path: ["expected", "metadata", k], message: "only the edited metadata keys are compared" });
    }
  });

export type UpdateInstanceOpInput = z.input<typeof UpdateInstanceOpInput>;

/** What an instance change answers (PATCH …/services/{group}/{service}/instance: 200 when `succeeded`, 202 when `unknown`). */
export interface InstanceChangeResult {
  /** `succeeded`: Nacos reads back the change. `unknown`: sent, but Nacos did not show it in time. */
  outcome: "succeeded" | "unknown";
  /** The instance as read under the lock, before the write. */
  before: NacosServiceInstance;
  /** The instance as Nacos read it back; for `unknown` the last read (null: none came back in time). */
  after: NacosServiceInstance | null;
  /** What was sent: weight and enabled always (Nacos resets an omitted one), the metadata edits when given. */
  written: { weight: number; enabled: boolean; metadata?: Record<string, string | null> };
  /** Nothing differed from what Nacos holds, so nothing was sent. */
  unchanged?: true;
  /** For `unknown`: what the operator should do. */
  message?: string;
}

/**
 * Changes one instance's weight, enabled flag or metadata in Nacos without losing a concurrent
 * change (lib/registry/instance-change.ts): under a per-instance lock held across replicas it
 * reads the instance, compares the operator's `expected` values (409 with the current values
 * and a diff when they differ), writes weight and enabled together (metadata: only the edited
 * keys change), and waits until Nacos shows the write. Who may: service.instance.write in the
 * environment and namespace; out-of-scope → 404. Audited with the instance read under the lock
 * (before) and read back (after), as `succeeded`, `conflict`, `unknown` (not shown in time) or
 * `failed`.
 */
export const updateInstance = defineOperation({
  action: "service.instance.update",
  permission: "service.instance.write",
  hideWhenUnreadable: "service.read",
  input: UpdateInstanceOpInput,
  async target(input, ctx) {
    const row = await resolveEnvironmentRow(ctx.actor, input.environment, "environment.read");
    return { kind: "instance", name: `${input.group}@@${input.serviceName}/${input.ip}:${input.port}`, environment: { name: row.name, labels: row.labels }, namespace: input.namespace || "public" };
  },
  async run(input, ctx) {
    const { row, client } = await registryFor(ctx.actor, input.environment, input.namespace, "service.instance.write");
    const key = { namespace: input.namespace, group: input.group, serviceName: input.serviceName, ip: input.ip, port: input.port, clusterName: input.clusterName };
    const label = `${input.ip}:${input.port}`;
    const result = await withInstanceLocks([{ environment: row.name, ...key }], async (): Promise<InstanceChangeResult> => {
      const before = await client.getInstance(key);
      if (!before) throw new AppError("NOT_FOUND", `instance ${label} not found`, { userMessage: `Instance ${label} of ${input.serviceName} is not registered in Nacos in environment ${row.name}.` });
      const diff = diffExpectation(input.expected, before);
      if (diff.length) {
        throw new UpstreamError("CONFLICT", "nacos", `instance ${label} of ${input.group}/${input.serviceName} differs from the expectation: ${diff.map((d) => d.field).join(", ")}`, {
          environment: row.name,
          userMessage: `Instance ${label} was changed since you loaded it (${diff.map((d) => d.field).join(", ")}); nothing was changed. Review the current values and try again.`,
          details: { details: { current: before, expected: input.expected, diff } },
        });
      }
      const written = { weight: input.weight ?? before.weight, enabled: input.enabled ?? before.enabled, ...(input.metadata ? { metadata: input.metadata } : {}) };
      const shows = (i: NacosServiceInstance | null) => i !== null && showsWrite(i, { weight: written.weight, enabled: written.enabled, metadataEdits: input.metadata });
      if (shows(before)) return { outcome: "succeeded", before, after: before, written, unchanged: true };
      try {
        try {
          await client.updateInstance({ ...key, weight: written.weight, enabled: written.enabled, ...(input.metadata ? { metadata: applyMetadataEdits(before.metadata, input.metadata) } : {}) });
        } catch (e) {
          // A write that timed out may still land: only the read-back can tell.
          if (!(isAppError(e) && e.code === "UPSTREAM_TIMEOUT")) throw e;
        }
        const seen = await waitUntilShown(() => client.getInstance(key), shows);
        if (seen.confirmed) return { outcome: "succeeded", before, after: seen.last ?? null, written };
        return { outcome: "unknown", before, after: seen.last ?? null, written, message: unconfirmedMessage(`instance ${label}`, row.name) };
      } finally {
        invalidate(`svc:${input.environment}:`);
        invalidate(`snap:${input.environment}:`);
        invalidate(`inst:${input.environment}:${input.namespace}:${input.group}:${input.serviceName}`);
      }
    });
    return {
      result,
      before: result.before,
      after: result.after,
      outcome: result.outcome,
      detail: {
        written: result.written,
        ...(result.unchanged ? { unchanged: true } : {}),
        ...(result.outcome === "unknown" ? { confirmed: false, waitedMs: CONFIRM_WAIT_MS, message: result.message } : { confirmed: true }),
      },
    };
  },
});
