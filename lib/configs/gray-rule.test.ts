import { describe, expect, it } from "vitest";
import { grayOrder, parseLabelSelector, percentageCount, resolveGrayRule, type RuleInstance } from "@/lib/configs/gray-rule";

const fleet = (n: number, meta: (i: number) => Record<string, string> = () => ({})): RuleInstance[] =>
  Array.from({ length: n }, (_, i) => ({ ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, enabled: true, metadata: meta(i) }));

describe("gray rules", () => {
  it("an IP list is taken as given, without duplicates", () => {
    expect(resolveGrayRule({ kind: "ips", ips: ["10.0.0.2", "10.0.0.1", "10.0.0.2"] }, [], "k")).toEqual({ ips: ["10.0.0.2", "10.0.0.1"], candidates: 0 });
  });

  it("a label selector keeps enabled instances whose metadata has every pair", () => {
    const inst = fleet(6, (i) => ({ version: i % 2 ? "v2" : "v1", zone: i < 3 ? "a" : "b" }));
    inst[5]!.enabled = false;
    const r = resolveGrayRule({ kind: "labels", service: "s", serviceGroup: "G", selector: { version: "v2" } }, inst, "k");
    expect(r.ips).toEqual(["10.0.0.2", "10.0.0.4"]);
    expect(r.candidates).toBe(5);
    expect(resolveGrayRule({ kind: "labels", service: "s", serviceGroup: "G", selector: { version: "v2", zone: "a" } }, inst, "k").ips).toEqual(["10.0.0.2"]);
  });

  it("a wider percentage keeps every instance a narrower one chose (stable by hash)", () => {
    const inst = fleet(200);
    let previous: string[] = [];
    for (const pct of [1, 5, 10, 25, 50, 99, 100]) {
      const { ips } = resolveGrayRule({ kind: "percentage", service: "s", serviceGroup: "G", percentage: pct }, inst, "ns/G/app.yaml");
      expect(ips.length).toBe(percentageCount(200, pct));
      expect(ips.slice(0, previous.length)).toEqual(previous);
      previous = ips;
    }
    // Independent of the order the registry lists instances in.
    const shuffled = [...inst].reverse();
    expect(resolveGrayRule({ kind: "percentage", service: "s", serviceGroup: "G", percentage: 10 }, shuffled, "ns/G/app.yaml").ips).toEqual(
      resolveGrayRule({ kind: "percentage", service: "s", serviceGroup: "G", percentage: 10 }, inst, "ns/G/app.yaml").ips,
    );
  });

  it("a count takes that many in the same order; other configs order differently", () => {
    const inst = fleet(50);
    const three = resolveGrayRule({ kind: "count", service: "s", serviceGroup: "G", count: 3 }, inst, "a").ips;
    expect(three).toEqual(grayOrder("a", inst.map((i) => i.ip)).slice(0, 3));
    expect(resolveGrayRule({ kind: "count", service: "s", serviceGroup: "G", count: 500 }, inst, "a").ips).toHaveLength(50);
    expect(grayOrder("b", inst.map((i) => i.ip))).not.toEqual(grayOrder("a", inst.map((i) => i.ip)));
  });

  it("percentages round up: any share above 0 takes one instance", () => {
    expect(percentageCount(3, 1)).toBe(1);
    expect(percentageCount(10, 10)).toBe(1);
    expect(percentageCount(10, 25)).toBe(3);
    expect(percentageCount(10, 0)).toBe(0);
    expect(percentageCount(0, 50)).toBe(0);
  });

  it("parses label selectors and refuses malformed ones", () => {
    expect(parseLabelSelector("version=v2, zone = a")).toEqual({ version: "v2", zone: "a" });
    expect(parseLabelSelector("version")).toBeNull();
    expect(parseLabelSelector("a=1,a=2")).toBeNull();
    expect(parseLabelSelector("")).toBeNull();
  });
});
