/**
 * The pure merge and compare behind the site view (lib/registry/zone-merge.ts): which
 * services a site has, each service's cell per zone, and instances aligned by ip:port with
 * the fields that differ between zones. The reads and scope around it are proved against
 * real Nacos zones in lib/registry/zones.integration.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { NacosService, NacosServiceInstance } from "@/lib/nacos/schemas";
import { align, instanceDifferences, serviceCells, serviceUnion } from "@/lib/registry/zone-merge";

const svc = (name: string, group = "DEFAULT_GROUP", instanceCount = 1, healthyInstanceCount = instanceCount): NacosService => ({ name, group, clusterCount: 1, instanceCount, healthyInstanceCount });

const inst = (ip: string, port: number, extra: Partial<NacosServiceInstance> = {}): NacosServiceInstance => ({
  ip,
  port,
  weight: 1,
  healthy: true,
  enabled: true,
  ephemeral: true,
  clusterName: "DEFAULT",
  serviceName: "orders",
  group: "DEFAULT_GROUP",
  metadata: {},
  ...extra,
});

describe("serviceUnion", () => {
  it("lists each service once across zones, by name then group", () => {
    const a = [svc("orders"), svc("billing", "PAY"), svc("billing")];
    const b = [svc("orders", "DEFAULT_GROUP", 3), svc("audit")];
    expect(serviceUnion([a, b])).toEqual([
      { name: "audit", group: "DEFAULT_GROUP" },
      { name: "billing", group: "DEFAULT_GROUP" },
      { name: "billing", group: "PAY" },
      { name: "orders", group: "DEFAULT_GROUP" },
    ]);
  });

  it("is empty for no zones or empty zones", () => {
    expect(serviceUnion([])).toEqual([]);
    expect(serviceUnion([[], []])).toEqual([]);
  });

  it("keeps a name that differs only by group as two services", () => {
    expect(serviceUnion([[svc("x", "A")], [svc("x", "B")]])).toEqual([
      { name: "x", group: "A" },
      { name: "x", group: "B" },
    ]);
  });
});

describe("serviceCells", () => {
  it("marks a zone that lacks the service as missing and a difference", () => {
    const { cells, reasons } = serviceCells([
      { zone: "a", service: svc("orders", "DEFAULT_GROUP", 3, 2) },
      { zone: "b", service: undefined },
    ]);
    expect(cells).toEqual({
      a: { state: "present", instanceCount: 3, healthyCount: 2, differs: false },
      b: { state: "missing", instanceCount: 0, healthyCount: 0, differs: true },
    });
    expect([...reasons]).toEqual(["missing"]);
  });

  it("reports a zone that did not answer as unavailable, not missing, and no difference", () => {
    const { cells, reasons } = serviceCells([
      { zone: "a", service: svc("orders") },
      { zone: "b", error: "Nacos of environment b did not answer" },
    ]);
    expect(cells.b).toEqual({ state: "unavailable", instanceCount: 0, healthyCount: 0, differs: false });
    expect(reasons.size).toBe(0);
  });

  it("an error wins over a service the zone listed", () => {
    const { cells } = serviceCells([{ zone: "a", error: "down", service: svc("orders") }]);
    expect(cells.a!.state).toBe("unavailable");
  });
});

describe("align", () => {
  it("lines instances up by ip:port, null where a zone has none, sorted by address then port", () => {
    const lists = new Map([
      ["a", [inst("10.0.0.10", 80), inst("10.0.0.2", 81), inst("10.0.0.2", 80)]],
      ["b", [inst("10.0.0.2", 80)]],
    ]);
    const rows = align(["a", "b"], lists);
    expect(rows.map((r) => r.key)).toEqual(["10.0.0.2:80", "10.0.0.2:81", "10.0.0.10:80"]);
    expect(rows[1]!.cells).toEqual({ a: lists.get("a")![1], b: null });
    expect(rows[0]!.differs).toEqual({ weight: false, metadata: false, enabled: false });
  });

  it("marks weight, enabled and metadata that differ between zones", () => {
    const rows = align(
      ["a", "b", "c"],
      new Map([
        ["a", [inst("10.0.0.1", 80, { weight: 1, metadata: { v: "1", zone: "a" } })]],
        ["b", [inst("10.0.0.1", 80, { weight: 2, metadata: { zone: "a", v: "1" } })]],
        ["c", [inst("10.0.0.1", 80, { weight: 1, enabled: false, metadata: { v: "1", zone: "a" } })]],
      ]),
    );
    // Metadata is compared by content, whatever the key order.
    expect(rows[0]!.differs).toEqual({ weight: true, metadata: false, enabled: true });
  });

  it("sees metadata that differs in a value or a key", () => {
    const rows = align(
      ["a", "b"],
      new Map([
        ["a", [inst("10.0.0.1", 80, { metadata: { v: "1" } }), inst("10.0.0.2", 80, { metadata: { v: "1" } })]],
        ["b", [inst("10.0.0.1", 80, { metadata: { v: "2" } }), inst("10.0.0.2", 80, { metadata: { v: "1", extra: "" } })]],
      ]),
    );
    expect(rows.map((r) => r.differs.metadata)).toEqual([true, true]);
  });

  it("keeps the first instance per ip:port and zone (another cluster on the same address)", () => {
    const first = inst("10.0.0.1", 80, { clusterName: "A", weight: 1 });
    const rows = align(["a"], new Map([["a", [first, inst("10.0.0.1", 80, { clusterName: "B", weight: 9 })]]]));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cells.a).toBe(first);
    expect(rows[0]!.differs.weight).toBe(false);
  });

  it("only reads the zones it is given, and an instance in one zone differs from nothing", () => {
    const rows = align(["a"], new Map([["a", [inst("10.0.0.1", 80)]], ["b", [inst("10.0.0.1", 80, { weight: 5 })]]]));
    expect(rows[0]!.cells).toEqual({ a: rows[0]!.cells.a });
    expect(rows[0]!.differs).toEqual({ weight: false, metadata: false, enabled: false });
  });
});

describe("instanceDifferences", () => {
  it("names the differing fields and every zone holding a differing instance", () => {
    const found = instanceDifferences(
      new Map([
        ["a", [inst("10.0.0.1", 80, { weight: 1 }), inst("10.0.0.9", 80)]],
        ["b", [inst("10.0.0.1", 80, { weight: 3 })]],
        ["c", [inst("10.0.0.9", 80)]],
      ]),
    );
    expect(found.reasons).toEqual(["weight"]);
    expect(found.zones.sort()).toEqual(["a", "b"]);
  });

  it("finds nothing when the zones agree, or hold different addresses", () => {
    expect(instanceDifferences(new Map([["a", [inst("10.0.0.1", 80)]], ["b", [inst("10.0.0.1", 80)]]]))).toEqual({ reasons: [], zones: [] });
    expect(instanceDifferences(new Map([["a", [inst("10.0.0.1", 80)]], ["b", [inst("10.0.0.2", 80, { weight: 7 })]]]))).toEqual({ reasons: [], zones: [] });
    expect(instanceDifferences(new Map())).toEqual({ reasons: [], zones: [] });
  });
});
