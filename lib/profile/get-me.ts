import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/database";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { effectivePermissions } from "@/lib/auth/rbac";

export interface Me {
  id: string;
  username: string;
  displayName: string;
  source: string;
  locale: "en" | "zh-CN" | null;
  theme: "light" | "dark" | "system" | null;
  grants: Array<{ role: string; environmentSelector: string; namespacePattern: string; via: string }>;
  permissions: string[];
}

/** The signed-in user's own profile, roles and effective permissions. Never a secret. */
export async function getMe(actor: Actor): Promise<Me> {
  const db = await getDb();
  const [row] = await db.select({ locale: users.locale, theme: users.theme }).from(users).where(eq(users.id, actor.id));
  return {
    id: actor.id,
    username: actor.username,
    displayName: actor.displayName,
    source: actor.source,
    locale: row?.locale ?? null,
    theme: row?.theme ?? null,
    grants: actor.grants.map(({ role, environmentSelector, namespacePattern, via }) => ({ role, environmentSelector, namespacePattern, via })),
    permissions: effectivePermissions(actor.grants),
  };
}
