/**
 * Folds the validation sampler's rows (db/schema/overview.ts, overviewValidationSamples) into
 * what the overview shows: per environment, each sample as one snapshot — unknown when its marker
 * row (namespace "") has no counts, else the sum over the namespaces the reader may see — and
 * the snapshots binned by the chart's step, each bin showing the newest known snapshot in it.
 * Pure; shared by lib/overview/overview.ts and its unit test.
 */

export interface ValidationSampleRow {
  environmentId: string;
  namespace: string;
  /** ISO time of the sample (its minute, or its hour once downsampled). */
  bucket: string;
  errors: number | null;
  warnings: number | null;
}

export interface ValidationSnapshot {
  bucket: string;
  /** Null: this sample could not judge the environment (API down, over the time budget). */
  errors: number | null;
  warnings: number | null;
  /** Namespaces with an error or a warning, visible ones only, most errors first. */
  namespaces: Array<{ namespace: string; errors: number; warnings: number }>;
}

/** Bins start at this instant, as PostgreSQL's date_bin(…, TIMESTAMPTZ '2000-01-01Z') in overview.ts. */
const ORIGIN = Date.UTC(2000, 0, 1);

/** Per environment id, its samples (oldest first); a sample without a marker row is not a sample. */
export function snapshots(rows: readonly ValidationSampleRow[], visible: (environmentId: string, namespace: string) => boolean): Map<string, ValidationSnapshot[]> {
  const byEnv = new Map<string, Map<string, ValidationSampleRow[]>>();
  for (const r of rows) {
    const env = byEnv.get(r.environmentId) ?? new Map<string, ValidationSampleRow[]>();
    const at = new Date(r.bucket).toISOString();
    env.set(at, [...(env.get(at) ?? []), r]);
    byEnv.set(r.environmentId, env);
  }
  const out = new Map<string, ValidationSnapshot[]>();
  for (const [env, buckets] of byEnv) {
    const list: ValidationSnapshot[] = [];
    for (const [bucket, group] of [...buckets.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const marker = group.find((r) => r.namespace === "");
      if (!marker) continue;
      if (marker.errors === null || marker.warnings === null) {
        list.push({ bucket, errors: null, warnings: null, namespaces: [] });
        continue;
      }
      const namespaces = group
        .filter((r) => r.namespace !== "" && visible(env, r.namespace))
        .map((r) => ({ namespace: r.namespace, errors: r.errors ?? 0, warnings: r.warnings ?? 0 }))
        .sort((a, b) => b.errors - a.errors || b.warnings - a.warnings || a.namespace.localeCompare(b.namespace));
      list.push({ bucket, errors: namespaces.reduce((n, x) => n + x.errors, 0), warnings: namespaces.reduce((n, x) => n + x.warnings, 0), namespaces });
    }
    out.set(env, list);
  }
  return out;
}

/**
 * One point per bin of `stepSeconds` that holds a sample: the newest known snapshot's counts,
 * or null when every sample in the bin was unknown. Bins without samples are left out.
 */
export function binned(list: readonly ValidationSnapshot[], stepSeconds: number): Array<{ t: string; errors: number | null; warnings: number | null }> {
  const step = stepSeconds * 1000;
  const bins = new Map<number, ValidationSnapshot[]>();
  for (const s of list) {
    const t = Math.floor((Date.parse(s.bucket) - ORIGIN) / step) * step + ORIGIN;
    bins.set(t, [...(bins.get(t) ?? []), s]);
  }
  return [...bins.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, group]) => {
      const known = group.filter((s) => s.errors !== null).sort((a, b) => a.bucket.localeCompare(b.bucket));
      const last = known[known.length - 1];
      return { t: new Date(t).toISOString(), errors: last ? last.errors : null, warnings: last ? last.warnings : null };
    });
}
