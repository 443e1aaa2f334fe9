/**
 * One sign-in attempt: validate, check credentials, open a server-side session, audit.
 * The audit row is written before the session is handed out; if it cannot be, sign-in fails.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getDb } from "@/db";
import { appendAuditEvent } from "@/lib/audit/record";
import { auditRoles } from "@/lib/auth/actor";
import { loadGrants } from "@/lib/auth/grants";
import { verifyLocalLogin } from "@/lib/auth/local";
import { createSession } from "@/lib/auth/sessions";
import { AppError } from "@/lib/errors";
import type { ClientInfo } from "@/lib/http/client-info";

export const SignInInput = z.object({
  username: z.string().trim().min(1).max(256),
  password: z.string().min(1).max(1024),
});
export type SignInInput = z.infer<typeof SignInInput>;

export interface SignedIn {
  userId: string;
  sessionId: string;
  username: string;
  displayName: string;
}

/** Returns the new session, or null for bad credentials (one answer for every cause). */
export async function signIn(raw: unknown, client: ClientInfo): Promise<SignedIn | null> {
  const parsed = SignInInput.safeParse(raw);
  if (!parsed.success) return null;
  const { username, password } = parsed.data;
  // Empty, whitespace-only or NUL passwords never reach a verifier (SECURITY.md 8).
  if (password.trim() === "" || password.includes("\u0000") || username.includes("\u0000")) return null;

  const db = await getDb();
  const user = await verifyLocalLogin(db, username, password);
  const requestId = randomUUID();
  if (!user) {
    await appendAuditEvent(db, {
      requestId,
      phase: "outcome",
      outcome: "denied",
      action: "session.sign_in",
      actor: { id: `unknown:${username.slice(0, 128)}`, name: username.slice(0, 128), source: "local", roles: [] },
      targetKind: "session",
      detail: { reason: "bad_credentials" },
      ...client,
    }).catch((e: unknown) => {
      throw new AppError("SERVICE_UNAVAILABLE", "audit log unavailable during sign-in", { cause: e });
    });
    return null;
  }
  const grants = await loadGrants(db, user.id);
  const session = await createSession(db, user.id, client);
  try {
    await appendAuditEvent(db, {
      requestId,
      phase: "outcome",
      outcome: "succeeded",
      action: "session.sign_in",
      actor: { id: user.id, name: user.username, source: user.source, roles: auditRoles({ ...user, grants } as never) },
      targetKind: "session",
      targetName: user.username,
      ...client,
    });
  } catch (e) {
    throw new AppError("SERVICE_UNAVAILABLE", "audit log unavailable during sign-in", { cause: e });
  }
  return { userId: user.id, sessionId: session.id, username: user.username, displayName: user.displayName };
}
