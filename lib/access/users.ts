/**
 * Accounts: local (break-glass) accounts are created, disabled and reset by admins; LDAP
 * accounts appear at first sign-in and can be disabled here too. Every change is audited
 * (create-local-user.ts, set-user-disabled.ts, reset-local-password.ts); this file reads.
 */
import "server-only";
import { asc } from "drizzle-orm";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { decide } from "@/lib/auth/rbac";
import { getDb } from "@/lib/database";
import { AppError } from "@/lib/errors";

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  source: string;
  disabled: boolean;
  groups: string[];
  createdAt: string;
}

export async function listUsers(actor: Actor): Promise<UserView[]> {
  if (!decide(actor.grants, "access.read")) throw new AppError("FORBIDDEN", `${actor.username} lacks access.read`);
  const rows = await (await getDb()).select().from(users).orderBy(asc(users.username));
  return rows.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, source: u.source, disabled: u.disabled, groups: u.ldapGroups, createdAt: u.createdAt.toISOString() }));
}
