import "server-only";
import { z } from "zod";
import { resolveEnvironmentRow } from "@/lib/environments/environments";
import { AppError } from "@/lib/errors";
import { GATEWAY } from "@/lib/gateway/objects";
import { DEFAULT_HIGRESS_NAMESPACE, MCP_BRIDGE_NAME, mergeRegistries, redactRegistry, registryForZone, removeRegistry } from "@/lib/gateway/model/registries";
import { siteZones } from "@/lib/gateway/sites";
import { apiVersionOf } from "@/lib/k8s/resources";
import { editablePart, objectDiff, type EditableObject } from "@/lib/kube-objects";
import { defineOperation } from "@/lib/ops/define-operation";

export const UpdateRegistriesInput = z
  .object({
    environment: z.string().min(1).max(63),
    namespace: z.string().min(1).max(63).default(DEFAULT_HIGRESS_NAMESPACE),
    /** Zones of the environment's site whose registries the gateway should see (added or refreshed). */
    add: z.array(z.string().min(1).max(63)).max(32).default([]),
    /** Registry names to take out of the McpBridge. */
    remove: z.array(z.string().min(1).max(63)).max(32).default([]),
    /** The McpBridge's resourceVersion the operator saw; null when they expect to create it. */
    resourceVersion: z.string().min(1).max(64).nullable(),
  })
  .strict()
  .refine((v) => v.add.length + v.remove.length > 0, { message: "add or remove at least one registry", path: ["add"] });

/**
 * Manages the Higress McpBridge registries so the gateway sees each zone's Nacos or ZooKeeper:
 * adds (or refreshes) the registry of each named zone of the environment's site, removes named
 * registries, and keeps every other registry as it is. No credential is ever written into the
 * bridge (docs/security.md §43). Who may: gateway.route.write in the environment and the
 * bridge's namespace. One guarded write (resourceVersion, dry run) with a revision.
 */
export const updateRegistries = defineOperation({
  action: "gateway.route.write",
  permission: "gateway.route.write",
  hideWhenUnreadable: "gateway.route.read",
  input: UpdateRegistriesInput,
  async target(input, ctx) {
    const row = await resolveEnvironmentRow(ctx.actor, input.environment, "environment.read");
    return { kind: "McpBridge", name: MCP_BRIDGE_NAME, environment: { name: row.name, labels: row.labels }, namespace: input.namespace };
  },
  async run(input, ctx) {
    const rs = await GATEWAY.resolve(ctx.actor, input.environment, input.namespace, "gateway.route.write");
    const site = rs.row.labels.site;
    const zones = input.add.length ? (site ? await siteZones(ctx.actor, site) : []) : [];
    const desiredRegs = input.add.map((name) => {
      const z = zones.find((x) => x.zone === name);
      if (!z) throw new AppError("VALIDATION", `zone ${name} not in site ${site ?? "(none)"}`, { fields: [{ field: "add", message: `${name} is not a zone of site ${site ?? "(environment has no site label)"}` }], userMessage: `Zone ${name} is not a zone of this environment's site.` });
      return registryForZone(z.source);
    });
    const live = await rs.client.get("McpBridge", input.namespace, MCP_BRIDGE_NAME);
    const base: EditableObject = live ? editablePart(live)! : { apiVersion: apiVersionOf("McpBridge"), kind: "McpBridge", metadata: { name: MCP_BRIDGE_NAME, namespace: input.namespace }, spec: {} };
    const existing = Array.isArray(base.spec?.registries) ? (base.spec.registries as Array<Record<string, unknown>>) : [];
    let registries = mergeRegistries(existing, desiredRegs);
    for (const name of input.remove) registries = removeRegistry(registries, name);
    const desired: EditableObject = { ...base, spec: { ...(base.spec ?? {}), registries } };
    const r = await GATEWAY.writeOne(rs, { kind: "McpBridge", namespace: input.namespace, name: MCP_BRIDGE_NAME }, desired, input.resourceVersion, ctx, "apply");
    const shown = (o: EditableObject | null) => (o ? { ...o, spec: { ...(o.spec ?? {}), registries: (Array.isArray(o.spec?.registries) ? (o.spec.registries as Array<Record<string, unknown>>) : []).map(redactRegistry) } } : null);
    return {
      result: { resourceVersion: r.written?.metadata.resourceVersion ?? null, revision: r.revision, unchanged: r.unchanged, registries: registries.map(redactRegistry), diff: objectDiff(shown(live ? editablePart(live) : null), shown(desired)) },
      before: shown(live ? editablePart(live) : null),
      after: shown(editablePart(r.written)),
      versionBefore: live?.metadata.resourceVersion ?? null,
      versionAfter: r.written?.metadata.resourceVersion ?? null,
      detail: { added: desiredRegs.map((d) => d.name), removed: input.remove, revision: r.revision },
    };
  },
});
