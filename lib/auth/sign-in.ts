/**
 * One sign-in attempt: validate, throttle, check credentials against local accounts or LDAP,
 * open a server-side session, audit. Unknown user and wrong password answer alike (null);
 * a locked key answers RATE_LIMITED; LDAP down answers SERVICE_UNAVAILABLE (503).
 * The audit row is written before the session is handed out; if it cannot be, sign-in fails.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import type { Database } from "@/db/client";
import { users, type UserRow } from "@/db/schema";
import { appendAuditEvent } from "@/lib/audit/record";
import { auditRoles } from "@/lib/auth/actor";
import { loadGrants } from "@/lib/auth/grants";
import { authenticateLdap } from "@/lib/auth/ldap";
import { ldapConfig } from "@/lib/auth/ldap-config";
import { verifyLocalLogin } from "@/lib/auth/local";
import { createSession } from "@/lib/auth/sessions";
import { clearFailures, lockedFor, recordFailure, throttleKeys } from "@/lib/auth/throttle";
import { AppError } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http/client-info";

export const SignInInput = z.object({
  username: z.string().max(256),
  password: z.string().max(1024),
  source: z.enum(["ldap", "local"]).optional(),
});
export type SignInInput = z.infer<typeof SignInInput>;

export interface SignedIn {
  userId: string;
  sessionId: string;
  username: string;
  displayName: string;
  source: "local" | "ldap";
}

/** Which account sources this console offers, for the sign-in page. */
export function signInSources(): Array<"ldap" | "local"> {
  return ldapConfig() ? ["ldap", "local"] : ["local"];
}

export async function signIn(raw: unknown, client: ClientInfo): Promise<SignedIn | null> {
  const parsed = SignInInput.safeParse(raw);
  if (!parsed.success) return null;
  const username = parsed.data.username.trim();
  const { password } = parsed.data;
  const source = parsed.data.source ?? signInSources()[0]!;
  // Empty, whitespace-only or NUL passwords never reach a verifier (SECURITY.md 8).
  if (!username || password.trim() === "" || password.includes("\u0000") || username.includes("\u0000")) return null;

  const db = await getDb().catch((e: unknown) => {
    throw new AppError("SERVICE_UNAVAILABLE", "database unavailable at sign-in", { cause: e, details: { system: "database" } });
  });
  const keys = throttleKeys(username, client.clientIp);
  const wait = await lockedFor(db, keys);
  if (wait > 0) {
    throw new AppError("RATE_LIMITED", `sign-in locked for ${keys.join(", ")}`, { retryAfterSeconds: wait });
  }

  let user: UserRow | null = null;
  if (source === "local") {
    user = await verifyLocalLogin(db, username, password);
  } else {
    const config = ldapConfig();
    if (!config) return null;
    const found = await authenticateLdap(config, username, password);
    if (found) user = await upsertLdapUser(db, found);
  }

  const requestId = randomUUID();
  if (!user) {
    await recordFailure(db, keys);
    await audit(db, {
      requestId,
      outcome: "denied",
      actor: { id: `unknown:${username.slice(0, 128)}`, name: username.slice(0, 128), source, roles: [] },
      detail: { reason: "bad_credentials", source },
      client,
    });
    return null;
  }
  await clearFailures(db, username);
  const grants = await loadGrants(db, user.id, user.ldapGroups);
  const session = await createSession(db, user.id, client);
  await audit(db, {
    requestId,
    outcome: "succeeded",
    actor: { id: user.id, name: user.username, source: user.source, roles: auditRoles({ ...toActorBase(user), grants }) },
    detail: { source, groups: user.ldapGroups.length },
    client,
  });
  return { userId: user.id, sessionId: session.id, username: user.username, displayName: user.displayName, source: user.source };
}

function toActorBase(user: UserRow) {
  return { id: user.id, username: user.username, displayName: user.displayName, source: user.source };
}

async function audit(
  db: Database,
  e: { requestId: string; outcome: "denied" | "succeeded"; actor: { id: string; name: string; source: string; roles: unknown }; detail: unknown; client: ClientInfo },
): Promise<void> {
  try {
    await appendAuditEvent(db, {
      requestId: e.requestId,
      phase: "outcome",
      outcome: e.outcome,
      action: "session.sign_in",
      actor: e.actor,
      targetKind: "session",
      targetName: e.actor.name,
      detail: e.detail,
      clientIp: e.client.clientIp,
      userAgent: e.client.userAgent,
    });
  } catch (err) {
    throw new AppError("SERVICE_UNAVAILABLE", "audit log unavailable during sign-in", { cause: err, details: { system: "audit" } });
  }
}

/** LDAP users are keyed by DN (never by mail); name and groups follow the directory. */
export async function upsertLdapUser(db: Database, found: { dn: string; username: string; displayName: string; groups: string[] }): Promise<UserRow> {
  const now = new Date();
  const [existing] = await db.select().from(users).where(eq(users.externalId, found.dn)).limit(1);
  if (existing) {
    const [row] = await db
      .update(users)
      .set({ username: found.username, displayName: found.displayName || found.username, ldapGroups: found.groups, groupsRefreshedAt: now, updatedAt: now })
      .where(eq(users.id, existing.id))
      .returning();
    return row!;
  }
  const [row] = await db
    .insert(users)
    .values({
      id: randomUUID(),
      username: found.username,
      displayName: found.displayName || found.username,
      source: "ldap",
      externalId: found.dn,
      ldapGroups: found.groups,
      groupsRefreshedAt: now,
    })
    .returning();
  return row!;
}
