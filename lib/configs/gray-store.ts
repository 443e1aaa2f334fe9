/**
 * The console's record of gray releases (config_gray_releases): at most one active per config.
 */
import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { configGrayReleases, type ConfigGrayReleaseRow } from "@/db/schema";
import type { DbLike } from "@/lib/database";
import type { ConfigRef } from "@/lib/configs/key-lock";
import type { GrayReleaseView } from "@/lib/configs/views";

/** "" and "public" are one namespace; rows store "". */
export function storedNamespace(namespace: string): string {
  return namespace === "public" ? "" : namespace;
}

export function toGrayView(r: ConfigGrayReleaseRow): GrayReleaseView {
  return {
    id: r.id,
    state: r.state,
    content: r.content,
    md5: r.md5,
    type: r.type,
    baseMd5: r.baseMd5,
    rule: r.rule,
    ips: r.ips,
    creator: r.creatorName,
    deadline: r.deadline?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    endedBy: r.endedBy,
  };
}

export async function activeGray(db: DbLike, ref: ConfigRef): Promise<ConfigGrayReleaseRow | null> {
  const [row] = await db
    .select()
    .from(configGrayReleases)
    .where(
      and(
        eq(configGrayReleases.environment, ref.environment),
        eq(configGrayReleases.namespace, storedNamespace(ref.namespace)),
        eq(configGrayReleases.group, ref.group),
        eq(configGrayReleases.dataId, ref.dataId),
        eq(configGrayReleases.state, "active"),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Active grays of a namespace (the "has a gray release" filter): few by nature. */
export async function activeGraysIn(db: DbLike, environment: string, namespace: string): Promise<ConfigGrayReleaseRow[]> {
  return db
    .select()
    .from(configGrayReleases)
    .where(and(eq(configGrayReleases.environment, environment), eq(configGrayReleases.namespace, storedNamespace(namespace)), eq(configGrayReleases.state, "active")));
}

/** Which of these configs have an active gray: keys `group/dataId`. */
export async function grayKeysAmong(db: DbLike, environment: string, namespace: string, dataIds: string[]): Promise<Set<string>> {
  if (dataIds.length === 0) return new Set();
  const rows = await db
    .select({ group: configGrayReleases.group, dataId: configGrayReleases.dataId })
    .from(configGrayReleases)
    .where(
      and(
        eq(configGrayReleases.environment, environment),
        eq(configGrayReleases.namespace, storedNamespace(namespace)),
        eq(configGrayReleases.state, "active"),
        inArray(configGrayReleases.dataId, [...new Set(dataIds)]),
      ),
    );
  return new Set(rows.map((r) => `${r.group}/${r.dataId}`));
}
