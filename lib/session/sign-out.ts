import "server-only";
import { decode } from "next-auth/jwt";
import { getDb } from "@/lib/database";
import type { RequestMeta } from "@/lib/audit/record";
import { auditActor, auditTrail } from "@/lib/audit/trail";
import type { Actor } from "@/lib/auth/actor";
import { revokeSession } from "@/lib/auth/sessions";
import { appSecret } from "@/lib/secret";

/** Ends the session named by the cookie (server-side revocation, docs/security.md §4). */
export async function signOut(cookieValue: string | undefined, actor: Actor | null, meta: RequestMeta): Promise<void> {
  if (!cookieValue) return;
  const payload = (await decode({ token: cookieValue, secret: appSecret() }).catch(() => null)) as { sid?: unknown } | null;
  if (typeof payload?.sid !== "string") return;
  const db = await getDb();
  await revokeSession(db, payload.sid, "sign_out");
  if (actor) {
    const trail = auditTrail(db, {
      requestId: meta.requestId,
      action: "session.sign_out",
      actor: auditActor(actor),
      targetKind: "session",
      targetName: actor.username,
      clientIp: meta.clientIp,
      userAgent: meta.userAgent,
    });
    await trail.recordedOutcome({ outcome: "succeeded" });
  }
}
