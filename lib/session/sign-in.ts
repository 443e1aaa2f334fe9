/**
 * One sign-in attempt: validate, throttle, check credentials against local accounts or LDAP,
 * open a server-side session, audit. Unknown user and wrong password answer alike (null);
 * a locked key answers RATE_LIMITED; LDAP down answers SERVICE_UNAVAILABLE (503).
 * The audit row is written before the session is handed out; if it cannot be, sign-in fails.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, or } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/database";
import type { Database, Tx } from "@/db/client";
import { users, type UserRow } from "@/db/schema";
import type { AuditActorFields } from "@/lib/audit/record";
import { auditActor, auditTrail } from "@/lib/audit/trail";
import { loadGrants } from "@/lib/auth/grants";
import { pseudonymizeUsername } from "@/lib/audit/pseudonym";
import { authenticateLdap, type LdapUser } from "@/lib/auth/ldap";
import { ldapConfig } from "@/lib/auth/ldap-config";
import { verifyLocalLogin } from "@/lib/auth/local";
import { createSession, revokeUserSessions, revokeUserTokens } from "@/lib/auth/sessions";
import { clearFailures, lockedFor, recordFailure, throttleKeys } from "@/lib/auth/throttle";
import { AppError } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http/client-info";
import { logger } from "@/lib/logger";

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
  // Empty, whitespace-only or NUL passwords never reach a verifier (docs/security.md §8).
  if (!username || password.trim() === "" || password.includes("\u0000") || username.includes("\u0000")) return null;

  const db = await getDb().catch((e: unknown) => {
    throw new AppError("SERVICE_UNAVAILABLE", "database unavailable at sign-in", { cause: e, details: { system: "database" } });
  });
  // A waiting client or (user, client) pair is refused before any password is checked, and
  // without an audit row: the lock that started the wait was audited once.
  const keys = throttleKeys(username, client.clientIp);
  const wait = await lockedFor(db, keys);
  if (wait > 0) {
    throw new AppError("RATE_LIMITED", `sign-in waiting ${wait}s for ${client.clientIp ?? "an unknown client"}`, {
      retryAfterSeconds: wait,
      userMessage: `Too many failed sign-ins. Try again in ${wait} s.`,
    });
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

  if (!user) {
    const locks = await recordFailure(db, keys);
    const actor = await failedActor(db, username, source);
    await audit(db, { requestId: randomUUID(), outcome: "denied", actor, detail: { reason: "bad_credentials", source }, client });
    for (const lock of locks) {
      await audit(db, {
        requestId: randomUUID(),
        outcome: "denied",
        actor,
        detail: { reason: "throttled", scope: lock.scope, failures: lock.failures, waitSeconds: lock.seconds, source },
        client,
      });
    }
    return null;
  }
  await clearFailures(db, username, client.clientIp);
  const grants = await loadGrants(db, user.id, user.ldapGroups);
  const session = await createSession(db, user.id, client);
  await audit(db, {
    requestId: randomUUID(),
    outcome: "succeeded",
    actor: auditActor({ ...toActorBase(user), grants }),
    detail: { source, groups: user.ldapGroups.length },
    client,
  });
  return { userId: user.id, sessionId: session.id, username: user.username, displayName: user.displayName, source: user.source };
}

/**
 * Who a failed attempt is recorded as: the account when the typed name is one we know, else
 * a keyed pseudonym — never the typed text, which is sometimes a password typed into the
 * wrong field (docs/security.md §21).
 */
async function failedActor(db: Database, username: string, source: "ldap" | "local") {
  const [known] = await db
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(and(eq(users.source, source), eq(users.username, username), eq(users.disabled, false)))
    .limit(1);
  if (known) return { id: known.id, name: known.username, source, roles: [] };
  const pseudonym = pseudonymizeUsername(username);
  return { id: pseudonym, name: pseudonym, source, roles: [] };
}

function toActorBase(user: UserRow) {
  return { id: user.id, username: user.username, displayName: user.displayName, source: user.source };
}

async function audit(
  db: Database,
  e: { requestId: string; outcome: "denied" | "succeeded"; actor: AuditActorFields; detail: unknown; client: ClientInfo },
): Promise<void> {
  // No sign-in without its row: a 503 when the audit log cannot be written.
  const trail = auditTrail(db, {
    requestId: e.requestId,
    action: "session.sign_in",
    actor: e.actor,
    targetKind: "session",
    targetName: e.actor.name,
    clientIp: e.client.clientIp,
    userAgent: e.client.userAgent,
  });
  await trail.recordedOutcome({ outcome: e.outcome, detail: e.detail }, { message: "audit log unavailable during sign-in" });
}

/**
 * LDAP users are keyed by entryUUID (docs/security.md §12):
 * - the same entryUUID under a new DN is the same user (a rename);
 * - a DN we know under a new entryUUID is a new person: the old account is retired
 *   (disabled, renamed aside, sessions and tokens revoked) and the newcomer inherits none of
 *   its user bindings or tokens;
 * - a row from before entryUUID keying (keyed by its DN) adopts the entryUUID once;
 * - a directory without entryUUID keys by DN, and the log says so.
 * Runs in one transaction so two replicas signing the same person in cannot split them.
 */
export async function upsertLdapUser(db: Database, found: LdapUser): Promise<UserRow> {
  const key = found.entryUUID?.toLowerCase();
  if (!key) logger.warn("LDAP entry has no entryUUID; keying this user by DN (renames and re-created DNs cannot be told apart)", { dn: found.dn });
  const externalId = key ?? found.dn;
  const now = new Date();
  const fresh = {
    username: found.username,
    displayName: found.displayName || found.username,
    ldapDn: found.dn,
    ldapGroups: found.groups,
    groupsRefreshedAt: now,
    groupsVerifiedAt: now,
    updatedAt: now,
  };
  return db.transaction(async (tx) => {
    let [current] = await tx.select().from(users).where(and(eq(users.source, "ldap"), eq(users.externalId, externalId))).limit(1);
    if (!current && key) {
      // Signed in before entryUUID keying: external_id still holds the DN. Adopt it once.
      const [legacy] = await tx
        .select()
        .from(users)
        .where(and(eq(users.source, "ldap"), eq(users.externalId, found.dn)))
        .limit(1);
      if (legacy && (legacy.ldapDn === null || legacy.ldapDn === legacy.externalId)) current = legacy;
    }
    // Whoever else holds this DN or login name is someone who left: retire them.
    const others = await tx
      .select()
      .from(users)
      .where(and(eq(users.source, "ldap"), or(eq(users.ldapDn, found.dn), eq(users.username, found.username), eq(users.externalId, found.dn))));
    for (const other of others) {
      if (current && other.id === current.id) continue;
      await retireLdapUser(tx, other, now);
    }
    if (current) {
      const [row] = await tx
        .update(users)
        .set({ ...fresh, externalId })
        .where(eq(users.id, current.id))
        .returning();
      return row!;
    }
    const [row] = await tx
      .insert(users)
      .values({ id: randomUUID(), source: "ldap", externalId, ...fresh })
      .returning();
    return row!;
  });
}

async function retireLdapUser(tx: Tx, user: UserRow, now: Date): Promise<void> {
  logger.warn("LDAP account retired: its DN or login name now belongs to another directory entry", { userId: user.id, dn: user.ldapDn });
  await tx
    .update(users)
    .set({
      disabled: true,
      username: `${user.username}~retired-${user.id.slice(0, 8)}`,
      externalId: `retired:${user.id}`,
      ldapDn: null,
      updatedAt: now,
    })
    .where(eq(users.id, user.id));
  await revokeUserSessions(tx, user.id, "ldap_identity_replaced");
  await revokeUserTokens(tx, user.id);
}
