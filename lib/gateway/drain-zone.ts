import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { changeRouteTraffic, routeTarget, RouteRef, ruleWeights, withWeights, type TrafficResult } from "@/lib/gateway/route-traffic";
import { drainWeights, TrafficError } from "@/lib/gateway/model/traffic";
import { defineOperation } from "@/lib/ops/define-operation";

export const DrainZoneInput = z.object({ ...RouteRef, zone: z.string().min(1).max(63) }).strict();

/**
 * Drains one zone of an HTTPRoute: in every site backend of the route that has the zone, the
 * zone's weight moves to the other zones (in proportion to their weights) and the weights before
 * are kept in the route's traffic state for the restore. Who may: gateway.route.write in the
 * environment and namespace (404 when the route is not readable). One guarded write, one
 * revision; audited with the weights before and after.
 */
export const drainZone = defineOperation({
  action: "gateway.route.write",
  permission: "gateway.route.write",
  hideWhenUnreadable: "gateway.route.read",
  input: DrainZoneInput,
  target: routeTarget,
  run: (input, ctx) =>
    changeRouteTraffic(input, ctx, (live, state) => {
      const targets = state.siteBackends.filter((sb) => Object.hasOwn(sb.zones, input.zone));
      if (!targets.length) throw new AppError("VALIDATION", `zone ${input.zone} is not a backend zone of the route`, { fields: [{ field: "zone", message: `no site backend of this route has zone ${input.zone}` }], userMessage: `No backend of this route is in zone ${input.zone}.` });
      let spec = live.spec ?? {};
      const weights: TrafficResult["weights"] = [];
      const drained = [...state.drained];
      const at = new Date().toISOString();
      for (const sb of targets) {
        if (drained.some((d) => d.rule === sb.rule && d.site === sb.site && d.service === sb.service && d.zone === input.zone)) {
          throw new AppError("VALIDATION", `zone ${input.zone} already drained`, { fields: [{ field: "zone", message: "already drained" }], userMessage: `Zone ${input.zone} is already drained in this route; restore it first.` });
        }
        const hosts = Object.values(sb.zones);
        const before = ruleWeights(spec, sb.rule, hosts);
        const byZone = Object.fromEntries(Object.entries(sb.zones).map(([z, h]) => [z, before[h]!]));
        let after: Record<string, number>;
        try {
          after = drainWeights(byZone, input.zone);
        } catch (e) {
          if (e instanceof TrafficError) throw new AppError("VALIDATION", e.message, { fields: [{ field: "zone", message: e.message }], userMessage: `Cannot drain zone ${input.zone}: ${e.message}.` });
          throw e;
        }
        const afterByHost = Object.fromEntries(Object.entries(sb.zones).map(([z, h]) => [h, after[z]!]));
        spec = withWeights(spec, sb.rule, afterByHost);
        weights.push({ rule: sb.rule, before, after: afterByHost });
        drained.push({ rule: sb.rule, site: sb.site, service: sb.service, zone: input.zone, before: byZone, after, at });
      }
      return { spec, state: { ...state, drained }, weights, detail: { zone: input.zone, step: "drain" } };
    }),
});
