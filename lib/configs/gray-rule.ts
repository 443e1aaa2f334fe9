/**
 * Gray-release rules resolved to IPs (pure). An IP list is taken as given; a label selector
 * keeps the enabled instances of a registry service whose metadata has every key=value; a
 * percentage or count takes the first instances in an order fixed by hashing each IP with the
 * config's key — so the choice is stable: 10 % → 25 % keeps the first 10 %, and two configs do
 * not always pick the same canaries.
 */
import { createHash } from "node:crypto";
import type { GrayRule } from "@/db/schema/configs";

export interface RuleInstance {
  ip: string;
  enabled: boolean;
  metadata: Record<string, string>;
}

/** "a=b, c=d" → { a: "b", c: "d" }; null when a term is malformed or a key repeats. */
export function parseLabelSelector(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  const terms = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (terms.length === 0) return null;
  for (const term of terms) {
    const m = /^([^=\s]+)\s*=\s*(.*)$/.exec(term);
    if (!m || Object.hasOwn(out, m[1]!)) return null;
    out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** The stable order of a config's canary candidates. */
export function grayOrder(configKey: string, ips: string[]): string[] {
  const h = (ip: string) => createHash("sha256").update(`${configKey}\u0000${ip}`).digest("hex");
  return [...new Set(ips)].map((ip) => ({ ip, k: h(ip) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.ip.localeCompare(b.ip))).map((x) => x.ip);
}

/** How many of n candidates a percentage takes: rounded up, so any percentage above 0 takes one. */
export function percentageCount(n: number, percentage: number): number {
  if (percentage <= 0 || n === 0) return 0;
  return Math.min(n, Math.ceil((n * percentage) / 100 - 1e-9));
}

/**
 * The IPs a rule chooses. `instances`: the rule's service's instances (ignored for an IP list);
 * `configKey`: `namespace/group/dataId`, salting the order.
 */
export function resolveGrayRule(rule: GrayRule, instances: RuleInstance[], configKey: string): { ips: string[]; candidates: number } {
  if (rule.kind === "ips") return { ips: [...new Set(rule.ips)], candidates: 0 };
  const enabled = instances.filter((i) => i.enabled);
  if (rule.kind === "labels") {
    const chosen = enabled.filter((i) => Object.entries(rule.selector).every(([k, v]) => i.metadata[k] === v)).map((i) => i.ip);
    return { ips: [...new Set(chosen)].sort(), candidates: new Set(enabled.map((i) => i.ip)).size };
  }
  const order = grayOrder(
    configKey,
    enabled.map((i) => i.ip),
  );
  const take = rule.kind === "count" ? Math.min(order.length, rule.count) : percentageCount(order.length, rule.percentage);
  return { ips: order.slice(0, take), candidates: order.length };
}
