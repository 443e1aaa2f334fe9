/**
 * The pure part of the merged site view: the union of the zones' services, each service's
 * cell per zone, and instances aligned by ip:port with the fields that differ between zones.
 * No I/O; unit-tested in zone-merge.test.ts.
 */
import type { NacosService, NacosServiceInstance } from "@/lib/nacos/client";
import type { AlignedInstanceRow, DifferenceReason, ZoneServiceCell } from "@/lib/registry/zone-views";

function canonicalMetadata(m: Record<string, string>): string {
  return JSON.stringify(Object.keys(m).sort().map((k) => [k, m[k]]));
}

/** Which fields differ among the zones that have the same ip:port. */
function compare(present: NacosServiceInstance[]): AlignedInstanceRow["differs"] {
  const distinct = (f: (i: NacosServiceInstance) => string) => new Set(present.map(f)).size > 1;
  return { weight: distinct((i) => String(i.weight)), metadata: distinct((i) => canonicalMetadata(i.metadata)), enabled: distinct((i) => String(i.enabled)) };
}

/** Aligns per-zone instance lists by ip:port (the first instance per ip:port and zone). */
export function align(zoneNames: string[], lists: Map<string, NacosServiceInstance[]>): AlignedInstanceRow[] {
  const rows = new Map<string, AlignedInstanceRow>();
  for (const zone of zoneNames) {
    for (const i of lists.get(zone) ?? []) {
      const key = `${i.ip}:${i.port}`;
      let row = rows.get(key);
      if (!row) {
        row = { key, ip: i.ip, port: i.port, differs: { weight: false, metadata: false, enabled: false }, cells: Object.fromEntries(zoneNames.map((n) => [n, null])) };
        rows.set(key, row);
      }
      row.cells[zone] ??= i;
    }
  }
  for (const row of rows.values()) row.differs = compare(Object.values(row.cells).filter((c): c is NacosServiceInstance => c !== null));
  return [...rows.values()].sort((a, b) => a.ip.localeCompare(b.ip, "en", { numeric: true }) || a.port - b.port);
}

/** The union of the zones' service lists: each service once, by name then group. */
export function serviceUnion(lists: NacosService[][]): Array<{ name: string; group: string }> {
  const union = new Map<string, { name: string; group: string }>();
  for (const list of lists) for (const s of list) union.set(`${s.group}@@${s.name}`, { name: s.name, group: s.group });
  return [...union.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/**
 * One service's cell in each zone: `unavailable` where the zone's Nacos did not answer,
 * `missing` (a difference) where the zone lacks the service, else its instance counts.
 */
export function serviceCells(zones: Array<{ zone: string; error?: string; service?: NacosService }>): { cells: Record<string, ZoneServiceCell>; reasons: Set<DifferenceReason> } {
  const cells: Record<string, ZoneServiceCell> = {};
  const reasons = new Set<DifferenceReason>();
  for (const { zone, error, service: s } of zones) {
    if (error) cells[zone] = { state: "unavailable", instanceCount: 0, healthyCount: 0, differs: false };
    else if (!s) {
      cells[zone] = { state: "missing", instanceCount: 0, healthyCount: 0, differs: true };
      reasons.add("missing");
    } else cells[zone] = { state: "present", instanceCount: s.instanceCount, healthyCount: s.healthyInstanceCount, differs: false };
  }
  return { cells, reasons };
}

/**
 * Which fields differ between zones for the same ip:port, and the zones that hold such a
 * differing instance (keyed by zone name, as `align` takes them).
 */
export function instanceDifferences(instances: Map<string, NacosServiceInstance[]>): { reasons: Array<keyof AlignedInstanceRow["differs"]>; zones: string[] } {
  const reasons = new Set<keyof AlignedInstanceRow["differs"]>();
  const zones = new Set<string>();
  for (const row of align([...instances.keys()], instances)) {
    const differing = (Object.keys(row.differs) as Array<keyof AlignedInstanceRow["differs"]>).filter((k) => row.differs[k]);
    if (!differing.length) continue;
    for (const k of differing) reasons.add(k);
    for (const [zone, inst] of Object.entries(row.cells)) if (inst) zones.add(zone);
  }
  return { reasons: [...reasons], zones: [...zones] };
}
