import "server-only";
import { z } from "zod";
import { decide } from "@/lib/auth/rbac";
import { AppError, isAppError } from "@/lib/errors";
import type { NacosServiceInstance } from "@/lib/nacos/client";
import { defineOperation } from "@/lib/ops/define-operation";
import { invalidate } from "@/lib/registry/cache";
import { diffExpectation, unconfirmedMessage, waitUntilShown, withInstanceLocks } from "@/lib/registry/instance-change";
import { type Zone, allZones, clientOf, namespaceIn, resolveSite, scopeOf, userMessageOf, writableEverywhere } from "@/lib/registry/site-zones";
import { GroupName, NamespaceId, ServiceNameField, SiteName } from "@/lib/registry/zone-fields";
import type { DisableEverywhereResult, InstanceState, ZoneDisableOutcome, ZoneInstanceDiff } from "@/lib/registry/zone-views";

/** One instance of the IP as the operator saw it in one zone (disable everywhere). */
const ExpectedZoneInstance = z
  .object({
    zone: z.string().min(1).max(128),
    port: z.number().int().min(1).max(65_535),
    clusterName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default("DEFAULT"),
    enabled: z.boolean(),
    weight: z.number().min(0).max(10_000).optional(),
  })
  .strict();

export const DisableEverywhereInput = z
  .object({
    site: SiteName,
    /** As in the merged view: omitted → each zone's own first namespace. */
    namespace: NamespaceId.optional(),
    group: GroupName.default("DEFAULT_GROUP"),
    serviceName: ServiceNameField,
    ip: z.union([z.ipv4(), z.ipv6()], "must be an IP address"),
    /** Omitted: every port of the IP. */
    port: z.number().int().min(1).max(65_535).optional(),
    /**
     * Required (issue #12): every instance of the IP (and port) the operator saw, zone by zone,
     * with the enabled flag (and optionally the weight) they saw. A zone whose instances differ
     * from this under the lock — another flag or weight, an instance gone, or one not listed
     * here — is not touched and is reported `conflict` with its current values and a diff.
     */
    expected: z.array(ExpectedZoneInstance).max(1_000),
  })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.expected.forEach((e, i) => {
      const id = `${e.zone}/${e.port}/${e.clusterName}`;
      if (seen.has(id)) ctx.addIssue({ code: "custom", path: ["expected", i], message: "lists this zone, port and cluster twice" });
      seen.add(id);
      if (v.port !== undefined && e.port !== v.port) ctx.addIssue({ code: "custom", path: ["expected", i, "port"], message: "is not the port being disabled" });
    });
  });

export type DisableEverywhereInput = z.infer<typeof DisableEverywhereInput>;

const stateOf = (i: NacosServiceInstance): InstanceState => ({ ip: i.ip, port: i.port, clusterName: i.clusterName, weight: i.weight, enabled: i.enabled });

/**
 * Disables an IP (one port, or all its ports) of a service in every zone of a site. Who may:
 * service.instance.write in every zone of the site; refused before any change otherwise (a
 * zone the actor cannot see counts as not writable). Side effects: Nacos instance updates, zone
 * by zone in zone-name order, each sent once, each zone under the per-instance locks of
 * lib/registry/instance-change.ts: a zone that is not as the operator saw it (`expected`) is
 * reported `conflict` and not touched, and a zone's writes are confirmed by reading them back.
 * Audited with every zone's before (read under the lock) and after (read back), as `succeeded`,
 * `unknown` (some zone not shown in time), `partial` (some zones changed, others not; the
 * result lists them), `conflict` (409, nothing sent anywhere) or `failed`.
 */
export const disableEverywhere = defineOperation({
  action: "service.instance.disable_everywhere",
  permission: "service.instance.write",
  hideWhenUnreadable: "service.read",
  input: DisableEverywhereInput,
  async target(input, ctx) {
    const { visible } = await resolveSite(ctx.actor, input.site);
    // The scope checked is the first zone the actor may not write, so a refusal is audited as
    // `denied` against that zone; when every visible zone is writable, the first zone.
    const pick = visible.find((z) => !decide(ctx.actor.grants, "service.instance.write", scopeOf(z, namespaceIn(z, input.namespace)))) ?? visible[0]!;
    return {
      kind: "instance",
      name: `${input.group}@@${input.serviceName}/${input.ip}:${input.port ?? "*"}`,
      environment: { name: pick.row.name, labels: pick.row.labels },
      namespace: namespaceIn(pick, input.namespace) || "public",
    };
  },
  async run(input, ctx) {
    const all = await allZones(input.site);
    if (!all.length) throw new AppError("NOT_FOUND", `site ${input.site} has no zones`);
    if (!writableEverywhere(ctx.actor, all, input.namespace)) {
      throw new AppError("FORBIDDEN", `${ctx.actor.username} lacks service.instance.write in some zone of site ${input.site}`, {
        userMessage: `You may not change instances in every zone of site ${input.site}; nothing was changed.`,
      });
    }
    const matches = (i: NacosServiceInstance) => i.ip === input.ip && (input.port === undefined || i.port === input.port);
    // Read every zone first: an IP registered nowhere is refused before any write.
    const reads = await Promise.all(
      all.map(async (z) => {
        const namespace = namespaceIn(z, input.namespace);
        try {
          const list = await clientOf(z).listInstances({ namespace, group: input.group, serviceName: input.serviceName });
          return { z, namespace, found: list.filter(matches), error: undefined as unknown };
        } catch (e) {
          if (isAppError(e) && e.code === "NOT_FOUND") return { z, namespace, found: [] as NacosServiceInstance[], error: undefined as unknown };
          return { z, namespace, found: [] as NacosServiceInstance[], error: e as unknown };
        }
      }),
    );
    if (reads.every((r) => !r.error && r.found.length === 0)) {
      throw new AppError("NOT_FOUND", `${input.ip} is not an instance of ${input.group}/${input.serviceName} in any zone of ${input.site}`, {
        userMessage: `${input.ip}${input.port ? `:${input.port}` : ""} is not registered for ${input.serviceName} in any zone of site ${input.site}.`,
      });
    }

    const outcomes: ZoneDisableOutcome[] = [];
    let firstError: unknown;
    for (const r of reads) {
      const base = { zone: r.z.zone, environment: r.z.row.name, namespace: r.namespace };
      if (r.error) {
        firstError ??= r.error;
        outcomes.push({ ...base, status: "failed", ok: false, error: userMessageOf(r.error), matched: r.found.length, changed: 0, before: [], after: [] });
        continue;
      }
      const seen = input.expected.filter((e) => e.zone === r.z.zone);
      // Lock what the first read found and what the operator saw; anything else found under the lock is a conflict.
      const refs = [...r.found.map((i) => ({ port: i.port, clusterName: i.clusterName })), ...seen].map((i) => ({
        environment: r.z.row.name,
        namespace: r.namespace,
        group: input.group,
        serviceName: input.serviceName,
        clusterName: i.clusterName,
        ip: input.ip,
        port: i.port,
      }));
      if (!refs.length) {
        outcomes.push({ ...base, status: "succeeded", ok: true, matched: 0, changed: 0, before: [], after: [] });
        continue;
      }
      try {
        const o = await withInstanceLocks(refs, () => disableInZone(r.z, r.namespace, input, seen));
        if (o.status === "failed") firstError ??= o.cause;
        outcomes.push({ ...base, ...o.outcome });
      } catch (e) {
        firstError ??= e;
        outcomes.push({ ...base, status: "failed", ok: false, error: userMessageOf(e), matched: r.found.length, changed: 0, before: r.found.map(stateOf), after: r.found.map(stateOf) });
      }
    }

    const conflicts = outcomes.filter((o) => o.status === "conflict");
    const touched = outcomes.some((o) => o.changed > 0);
    // Nothing done anywhere the IP is known to be registered: a plain failure, not a partial one.
    if (!touched && !conflicts.length && outcomes.some((o) => o.status === "failed") && outcomes.every((o) => o.status === "failed" || o.matched === 0)) throw firstError;
    // Nothing sent anywhere and some zone was not as the operator saw it: 409 with every zone's state.
    if (!touched && conflicts.length) {
      throw new AppError("CONFLICT", `disable ${input.ip} in site ${input.site}: ${conflicts.map((c) => c.zone).join(", ")} differ from the expectation`, {
        userMessage: `${input.ip} changed in ${conflicts.map((c) => `zone ${c.zone} (${c.environment})`).join(", ")} since you loaded it; nothing was changed. Review the current values and try again.`,
        details: {
          details: {
            current: Object.fromEntries(outcomes.map((o) => [o.zone, o.current ?? o.before])),
            diff: conflicts.flatMap((c) => (c.diff ?? []).map((d) => ({ zone: c.zone, ...d }))),
            zones: outcomes,
          },
        },
      });
    }
    const outcome = outcomes.every((o) => o.status === "succeeded") ? "succeeded" : outcomes.every((o) => o.status === "succeeded" || o.status === "unknown") ? "unknown" : "partial";
    const result: DisableEverywhereResult = { site: input.site, partial: outcome === "partial", outcome, zones: outcomes };
    const perZone = (pick: "before" | "after") => outcomes.map((o) => ({ zone: o.zone, environment: o.environment, namespace: o.namespace, instances: o[pick] }));
    return {
      result,
      before: perZone("before"),
      after: perZone("after"),
      outcome,
      detail: {
        site: input.site,
        zones: outcomes.map((o) => ({
          zone: o.zone,
          environment: o.environment,
          namespace: o.namespace,
          status: o.status,
          ok: o.ok,
          matched: o.matched,
          changed: o.changed,
          ...(o.error ? { error: o.error } : {}),
          ...(o.diff ? { diff: o.diff } : {}),
        })),
      },
    };
  },
});

const instanceId = (i: { ip: string; port: number; clusterName: string }) => `${i.ip}:${i.port}/${i.clusterName}`;

type ZoneWork = { status: ZoneDisableOutcome["status"]; cause?: unknown; outcome: Omit<ZoneDisableOutcome, "zone" | "environment" | "namespace"> };

/**
 * One zone of "disable everywhere", run holding the locks of its instances of the IP: read,
 * compare with what the operator saw (any difference → `conflict`, nothing written), disable
 * each enabled instance once (weight sent as read, metadata untouched), then wait until Nacos
 * shows every instance disabled (`unknown` when it does not in time).
 */
async function disableInZone(z: Zone, namespace: string, input: DisableEverywhereInput, seen: DisableEverywhereInput["expected"]): Promise<ZoneWork> {
  const client = clientOf(z);
  const key = { namespace, group: input.group, serviceName: input.serviceName };
  const matches = (i: NacosServiceInstance) => i.ip === input.ip && (input.port === undefined || i.port === input.port);
  const read = async () => {
    try {
      // In port order, so before and after line up whatever order Nacos lists them in.
      return (await client.listInstances(key)).filter(matches).sort((x, y) => x.port - y.port || x.clusterName.localeCompare(y.clusterName));
    } catch (e) {
      if (isAppError(e) && e.code === "NOT_FOUND") return [];
      throw e;
    }
  };
  const found = await read();
  const before = found.map(stateOf);
  const diff: ZoneInstanceDiff[] = [];
  for (const inst of found) {
    const e = seen.find((s) => s.port === inst.port && s.clusterName === inst.clusterName);
    if (!e) diff.push({ instance: instanceId(inst), field: "instance", expected: null, current: stateOf(inst) });
    else for (const d of diffExpectation({ enabled: e.enabled, weight: e.weight }, inst)) diff.push({ instance: instanceId(inst), field: d.field as "enabled" | "weight", expected: d.expected, current: d.current });
  }
  for (const e of seen) {
    if (!found.some((i) => i.port === e.port && i.clusterName === e.clusterName)) {
      diff.push({ instance: instanceId({ ip: input.ip, ...e }), field: "instance", expected: { enabled: e.enabled, ...(e.weight !== undefined ? { weight: e.weight } : {}) }, current: null });
    }
  }
  if (diff.length) {
    return {
      status: "conflict",
      outcome: {
        status: "conflict",
        ok: false,
        error: `${input.ip} in Nacos of environment ${z.row.name} is not as you saw it (${diff.map((d) => `${d.instance} ${d.field}`).join(", ")}); nothing was changed in this zone.`,
        matched: found.length,
        changed: 0,
        before,
        after: before,
        current: before,
        diff,
      },
    };
  }
  const sent: NacosServiceInstance[] = [];
  let error: unknown;
  try {
    for (const inst of found) {
      if (!inst.enabled) continue;
      try {
        await client.updateInstance({ ...key, ip: inst.ip, port: inst.port, clusterName: inst.clusterName, weight: inst.weight, enabled: false });
      } catch (e) {
        // A write that timed out may still land (the read-back tells); any other error stops the zone. Never retried.
        if (!(isAppError(e) && e.code === "UPSTREAM_TIMEOUT")) {
          error = e;
          break;
        }
      }
      sent.push(inst);
    }
    if (!sent.length && !error) return { status: "succeeded", outcome: { status: "succeeded", ok: true, matched: found.length, changed: 0, before, after: before } };
    const shown = (list: NacosServiceInstance[]) => sent.every((s) => list.some((i) => i.port === s.port && i.clusterName === s.clusterName && !i.enabled && i.weight === s.weight));
    const back = await waitUntilShown(read, shown);
    const after = (back.last ?? found).map(stateOf);
    if (error) return { status: "failed", cause: error, outcome: { status: "failed", ok: false, error: userMessageOf(error), matched: found.length, changed: sent.length, before, after } };
    if (back.confirmed) return { status: "succeeded", outcome: { status: "succeeded", ok: true, matched: found.length, changed: sent.length, before, after } };
    return { status: "unknown", outcome: { status: "unknown", ok: false, error: unconfirmedMessage(`${input.ip}`, z.row.name), matched: found.length, changed: sent.length, before, after } };
  } finally {
    if (sent.length) {
      invalidate(`svc:${z.row.name}:`);
      invalidate(`snap:${z.row.name}:`);
      invalidate(`inst:${z.row.name}:${namespace}:${input.group}:${input.serviceName}`);
    }
  }
}
