import "server-only";
import { decode } from "next-auth/jwt";
import { getDb } from "@/db";
import { appendAuditEvent } from "@/lib/audit/record";
import { auditRoles, type Actor } from "@/lib/auth/actor";
import { revokeSession } from "@/lib/auth/sessions";
import type { RequestMeta } from "@/lib/ops/define-operation";
import { appSecret } from "@/lib/secret";

/** Ends the session named by the cookie (server-side revocation, docs/security.md §4). */
export async function signOut(cookieValue: string | undefined, actor: Actor | null, meta: RequestMeta): Promise<void> {
  if (!cookieValue) return;
  const payload = (await decode({ token: cookieValue, secret: appSecret() }).catch(() => null)) as { sid?: unknown } | null;
  if (typeof payload?.sid !== "string") return;
  const db = await getDb();
  await revokeSession(db, payload.sid, "sign_out");
  if (actor) {
    await appendAuditEvent(db, {
      requestId: meta.requestId,
      phase: "outcome",
      outcome: "succeeded",
      action: "session.sign_out",
      actor: { id: actor.id, name: actor.username, source: actor.source, roles: auditRoles(actor) },
      targetKind: "session",
      targetName: actor.username,
      clientIp: meta.clientIp,
      userAgent: meta.userAgent,
    });
  }
}
