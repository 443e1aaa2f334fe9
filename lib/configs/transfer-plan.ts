/**
 * What an import or a clone will do to each config, decided before anything is written: create,
 * overwrite (CAS-guarded against the md5 read here), skip, or fail with the reason. Pure: the
 * caller reads the target's current state and writes afterwards.
 */
export type ConflictPolicy = "abort" | "skip" | "overwrite";
export const CONFLICT_POLICIES = ["abort", "skip", "overwrite"] as const;

/** The redaction marker (lib/redact.ts REDACTED); repeated here so this module stays pure. */
export const REDACTION_MARKER = "[redacted]";

export interface SourceItem {
  group: string;
  dataId: string;
  type: string;
  content: string;
  desc?: string | null;
}

/** An item refused before planning (bad path, too large, …). */
export interface RefusedItem {
  group: string | null;
  dataId: string | null;
  path: string;
  reason: string;
}

export interface CurrentState {
  md5: string;
  content: string;
  type: string | null;
}

export type PlanAction = "create" | "overwrite" | "skip" | "fail";

export interface PlanItem {
  path: string;
  group: string | null;
  dataId: string | null;
  type: string | null;
  action: PlanAction;
  /** Why it is skipped or fails. */
  reason?: string;
  /** The md5 the target holds now (null: it does not exist); an overwrite is CAS-guarded on it. */
  currentMd5: string | null;
  newMd5: string | null;
}

export interface Plan {
  policy: ConflictPolicy;
  items: PlanItem[];
  counts: { create: number; overwrite: number; skip: number; fail: number };
}

export const keyOf = (i: { group: string; dataId: string }) => `${i.group}/${i.dataId}`;

/**
 * The plan. `validate` answers a problem with an item's content (type, size) or null; `expected`
 * is what a confirmed preview showed per key (md5 or null for "absent"): a key whose state moved
 * since then fails `conflict` rather than being written over something nobody saw.
 */
export function computePlan(input: {
  policy: ConflictPolicy;
  items: SourceItem[];
  refused?: RefusedItem[];
  current: Map<string, CurrentState | null>;
  md5: (content: string) => string;
  validate: (item: SourceItem) => string | null;
  expected?: Record<string, string | null>;
}): Plan {
  const out: PlanItem[] = [];
  for (const r of input.refused ?? []) {
    out.push({ path: r.path, group: r.group, dataId: r.dataId, type: null, action: "fail", reason: r.reason, currentMd5: null, newMd5: null });
  }
  const seen = new Set<string>();
  for (const item of input.items) {
    const key = keyOf(item);
    const cur = input.current.get(key) ?? null;
    const base = { path: key, group: item.group, dataId: item.dataId, type: item.type, currentMd5: cur?.md5 ?? null, newMd5: input.md5(item.content) };
    const fail = (reason: string) => out.push({ ...base, action: "fail", reason });
    if (seen.has(key)) {
      fail("listed twice");
      continue;
    }
    seen.add(key);
    if (item.content.includes(REDACTION_MARKER)) {
      fail(`holds redacted values (${REDACTION_MARKER}); an export does not carry secrets — clone the config instead`);
      continue;
    }
    const invalid = input.validate(item);
    if (invalid) {
      fail(invalid);
      continue;
    }
    if (input.expected && key in input.expected && input.expected[key] !== (cur?.md5 ?? null)) {
      fail("conflict: the target changed since the preview");
      continue;
    }
    if (!cur) out.push({ ...base, action: "create" });
    else if (input.policy === "skip") out.push({ ...base, action: "skip", reason: "exists" });
    else if (input.policy === "abort") out.push({ ...base, action: "fail", reason: "exists" });
    else if (cur.md5 === base.newMd5 && (cur.type ?? item.type) === item.type) out.push({ ...base, action: "skip", reason: "unchanged" });
    else out.push({ ...base, action: "overwrite" });
  }
  const counts = { create: 0, overwrite: 0, skip: 0, fail: 0 };
  for (const i of out) counts[i.action] += 1;
  return { policy: input.policy, items: out, counts };
}

/** Under `abort`, the items that stop the whole import: invalid ones (422) and existing keys (409). */
export function abortBlockers(plan: Plan): { invalid: PlanItem[]; existing: PlanItem[] } {
  if (plan.policy !== "abort") return { invalid: [], existing: [] };
  const failed = plan.items.filter((i) => i.action === "fail");
  const clash = (i: PlanItem) => i.reason === "exists" || (i.reason ?? "").startsWith("conflict");
  return { invalid: failed.filter((i) => !clash(i)), existing: failed.filter(clash) };
}
