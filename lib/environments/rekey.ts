/**
 * Re-encrypting stored credentials under another master key (docs/security.md §38), in one
 * transaction over every environment, audited as `environment.credentials.rekey` by the
 * system actor: an intent first (fail closed), then the outcome with the same request id —
 * in the same transaction as the new ciphertexts when it succeeds. Neither key ever reaches
 * a row, a log line or the terminal.
 *
 *  - `rotateEncryptionKey`: `npm run keys -- rotate-encryption` (scripts/keys.ts). Every
 *    stored credential must open with the current key (or already with the new one);
 *    otherwise nothing changes.
 *  - `adoptLegacyEncryptedCredentials`: at start. Releases before issue #8 encrypted with
 *    the session secret when SWITCHYARD_ENCRYPTION_KEY was unset; what still opens with it
 *    is moved to the credential key, so upgrading loses no credential.
 */
import { randomUUID } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { environments } from "@/db/schema";
import { appendAuditEvent, appendAuditEventInTx, type AuditEntry } from "@/lib/audit/record";
import { SYSTEM_ACTOR } from "@/lib/auth/actor";
import { decryptSecrets, encryptSecrets } from "@/lib/environments/crypto";
import { appSecret, encryptionKey } from "@/lib/secret";

export interface RekeyReport {
  /** Environments whose credentials were re-encrypted, by name. */
  environments: string[];
  count: number;
  /** Already under the new key (a repeated rotation, or written since). */
  alreadyUnderNewKey: number;
  /** Opening with neither key; only ever non-empty in a lenient run. */
  unreadable: string[];
}

export class RekeyError extends Error {}

interface RekeyOptions {
  from: string;
  to: string;
  /** Where the old key came from, for the audit row and messages (never the key). */
  fromLabel: "SWITCHYARD_ENCRYPTION_KEY" | "session-secret";
  /** Refuse everything when a credential opens with neither key. */
  strict: boolean;
  actorName: string;
}

function opens(key: string, id: string, blob: string): Record<string, string> | null {
  try {
    return decryptSecrets(key, id, blob);
  } catch {
    return null;
  }
}

type Plan = { updates: Array<{ id: string; name: string; secrets: string }> } & Omit<RekeyReport, "count" | "environments">;

function plan(rows: Array<{ id: string; name: string; secrets: string | null }>, o: RekeyOptions): Plan {
  const out: Plan = { updates: [], alreadyUnderNewKey: 0, unreadable: [] };
  for (const row of rows) {
    if (!row.secrets) continue;
    if (opens(o.to, row.id, row.secrets)) {
      out.alreadyUnderNewKey++;
      continue;
    }
    const plain = opens(o.from, row.id, row.secrets);
    if (!plain) out.unreadable.push(row.name);
    else out.updates.push({ id: row.id, name: row.name, secrets: encryptSecrets(o.to, row.id, plain) });
  }
  return out;
}

async function rekey(db: Database, o: RekeyOptions): Promise<RekeyReport> {
  if (o.from === o.to) throw new RekeyError("the new key is the current key");
  const base: Omit<AuditEntry, "phase" | "outcome"> = {
    requestId: randomUUID(),
    action: "environment.credentials.rekey",
    actor: { id: SYSTEM_ACTOR.id, name: o.actorName, source: SYSTEM_ACTOR.source, roles: [] },
    targetKind: "environment",
  };
  await appendAuditEvent(db, { ...base, phase: "intent", detail: { from: o.fromLabel } });
  try {
    return await db.transaction(async (tx) => {
      // Row locks: an edit racing the rotation waits for it instead of being overwritten.
      const rows = await tx.select({ id: environments.id, name: environments.name, secrets: environments.secrets }).from(environments).orderBy(asc(environments.name)).for("update");
      const p = plan(rows, o);
      if (o.strict && p.unreadable.length > 0) {
        throw new RekeyError(`the credentials of ${p.unreadable.join(", ")} ${p.unreadable.length === 1 ? "does" : "do"} not open with ${o.fromLabel}; nothing was changed`);
      }
      for (const u of p.updates) await tx.update(environments).set({ secrets: u.secrets }).where(eq(environments.id, u.id));
      const report: RekeyReport = { environments: p.updates.map((u) => u.name), count: p.updates.length, alreadyUnderNewKey: p.alreadyUnderNewKey, unreadable: p.unreadable };
      await appendAuditEventInTx(tx, { ...base, phase: "outcome", outcome: "succeeded", detail: { ...report, from: o.fromLabel } });
      return report;
    });
  } catch (e) {
    const message = e instanceof RekeyError ? e.message : "re-encryption failed";
    await appendAuditEvent(db, { ...base, phase: "outcome", outcome: "failed", detail: { from: o.fromLabel, error: message } }).catch(() => undefined);
    throw e;
  }
}

/** `npm run keys -- rotate-encryption`: every credential from `currentKey` to `newKey`, or nothing. */
export function rotateEncryptionKey(db: Database, currentKey: string, newKey: string, actorName: string): Promise<RekeyReport> {
  return rekey(db, { from: currentKey, to: newKey, fromLabel: "SWITCHYARD_ENCRYPTION_KEY", strict: true, actorName });
}

/**
 * Start-up: credentials that open with the session secret but not with the credential key
 * (an older release's default) are re-encrypted under the credential key. Does nothing, and
 * writes no audit row, when there is nothing to move.
 */
export async function adoptLegacyEncryptedCredentials(db: Database): Promise<RekeyReport> {
  const o: RekeyOptions = { from: appSecret(), to: encryptionKey(), fromLabel: "session-secret", strict: false, actorName: SYSTEM_ACTOR.username };
  const rows = await db.select({ id: environments.id, name: environments.name, secrets: environments.secrets }).from(environments).orderBy(asc(environments.name));
  const p = plan(rows, o);
  if (p.updates.length === 0) return { environments: [], count: 0, alreadyUnderNewKey: p.alreadyUnderNewKey, unreadable: p.unreadable };
  return rekey(db, o);
}
