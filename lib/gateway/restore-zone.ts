import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { changeRouteTraffic, routeTarget, RouteRef, ruleWeights, withWeights, type TrafficResult } from "@/lib/gateway/route-traffic";
import { restoreWeights } from "@/lib/gateway/model/traffic";
import { defineOperation } from "@/lib/ops/define-operation";

export const RestoreZoneInput = z.object({ ...RouteRef, zone: z.string().min(1).max(63) }).strict();

/**
 * Gives a drained zone its traffic back: exactly the weights before the drain when nothing else
 * changed them, otherwise the zone's old weight taken back from the other zones in proportion.
 * Who may: gateway.route.write in the environment and namespace. One guarded write, one revision;
 * audited with the weights before and after.
 */
export const restoreZone = defineOperation({
  action: "gateway.route.write",
  permission: "gateway.route.write",
  hideWhenUnreadable: "gateway.route.read",
  input: RestoreZoneInput,
  target: routeTarget,
  run: (input, ctx) =>
    changeRouteTraffic(input, ctx, (live, state) => {
      const records = state.drained.filter((d) => d.zone === input.zone);
      if (!records.length) throw new AppError("VALIDATION", `zone ${input.zone} is not drained`, { fields: [{ field: "zone", message: "not drained in this route" }], userMessage: `Zone ${input.zone} is not drained in this route.` });
      let spec = live.spec ?? {};
      const weights: TrafficResult["weights"] = [];
      for (const d of records) {
        const sb = state.siteBackends.find((s) => s.rule === d.rule && s.site === d.site && s.service === d.service);
        if (!sb) continue;
        const hosts = Object.values(sb.zones);
        const before = ruleWeights(spec, sb.rule, hosts);
        const byZone = Object.fromEntries(Object.entries(sb.zones).map(([z, h]) => [z, before[h]!]));
        const after = restoreWeights(byZone, d);
        const afterByHost = Object.fromEntries(Object.entries(sb.zones).map(([z, h]) => [h, after[z]!]));
        spec = withWeights(spec, sb.rule, afterByHost);
        weights.push({ rule: sb.rule, before, after: afterByHost });
      }
      return { spec, state: { ...state, drained: state.drained.filter((d) => d.zone !== input.zone) }, weights, detail: { zone: input.zone, step: "restore" } };
    }),
});
