/**
 * Accounts: local (break-glass) accounts are created, disabled and reset by admins; LDAP
 * accounts appear at first sign-in and can be disabled here too. Every change is audited.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { hashPassword, passwordProblem } from "@/lib/auth/password";
import { decide } from "@/lib/auth/rbac";
import { revokeUserSessions, revokeUserTokens } from "@/lib/auth/sessions";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

const Password = z.string().superRefine((v, c) => {
  const p = passwordProblem(v);
  if (p) c.addIssue({ code: "custom", message: p });
});

export const CreateLocalUserInput = z
  .object({
    username: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9._-]{1,63}$/, "must be 2–64 lowercase letters, digits, . _ -"),
    displayName: z.string().trim().min(1, "required").max(128),
    password: Password,
  })
  .strict();

/** Creates a local break-glass account (no role until a binding grants one). Admins only. */
export const createLocalUser = defineOperation({
  action: "access.user.create",
  permission: "access.admin",
  input: CreateLocalUserInput,
  transactional: true,
  target: (i) => ({ kind: "user", name: i.username }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    const [exists] = await tx.select({ id: users.id }).from(users).where(and(eq(users.source, "local"), eq(users.username, input.username))).limit(1);
    if (exists) throw new AppError("CONFLICT", "username taken", { fields: [{ field: "username", message: "already exists" }], userMessage: "A local account with this username already exists." });
    const row = { id: randomUUID(), username: input.username, displayName: input.displayName, source: "local" as const, passwordHash: await hashPassword(input.password) };
    await tx.insert(users).values(row);
    const view = { id: row.id, username: row.username, displayName: row.displayName, source: row.source };
    return { result: view, after: view };
  },
});

export const SetUserDisabledInput = z.object({ id: z.uuid("must be a user id"), disabled: z.boolean() }).strict();

/** Disables (ending every session and token use) or re-enables an account. Admins only. */
export const setUserDisabled = defineOperation({
  action: "access.user.disable",
  permission: "access.admin",
  input: SetUserDisabledInput,
  transactional: true,
  target: (i) => ({ kind: "user", name: i.id }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    if (input.id === ctx.actor.id && input.disabled) {
      throw new AppError("VALIDATION", "cannot disable yourself", { fields: [{ field: "id", message: "you cannot disable your own account" }] });
    }
    const [before] = await tx.select({ disabled: users.disabled, username: users.username }).from(users).where(eq(users.id, input.id));
    if (!before) throw new AppError("NOT_FOUND", `user ${input.id} not found`);
    await tx.update(users).set({ disabled: input.disabled, updatedAt: new Date() }).where(eq(users.id, input.id));
    // Disabling ends every credential: re-enabling later does not bring old tokens back.
    let tokensRevoked = 0;
    if (input.disabled) {
      await revokeUserSessions(tx, input.id, "disabled");
      tokensRevoked = await revokeUserTokens(tx, input.id);
    }
    return { result: { id: input.id, disabled: input.disabled, tokensRevoked }, before: { disabled: before.disabled }, after: { disabled: input.disabled, tokensRevoked } };
  },
});

export const ResetPasswordInput = z.object({ id: z.uuid("must be a user id"), password: Password }).strict();

/** Sets a new password on a local account and ends its sessions and API tokens. Admins only. */
export const resetLocalPassword = defineOperation({
  action: "access.user.password.reset",
  permission: "access.admin",
  input: ResetPasswordInput,
  transactional: true,
  target: (i) => ({ kind: "user", name: i.id }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    const [u] = await tx.select().from(users).where(eq(users.id, input.id));
    if (!u) throw new AppError("NOT_FOUND", `user ${input.id} not found`);
    if (u.source !== "local") throw new AppError("VALIDATION", "ldap account", { fields: [{ field: "id", message: "LDAP passwords are managed in the directory" }] });
    const now = new Date();
    await tx.update(users).set({ passwordHash: await hashPassword(input.password), passwordChangedAt: now, updatedAt: now }).where(eq(users.id, u.id));
    await revokeUserSessions(tx, u.id, "password_reset");
    const tokensRevoked = await revokeUserTokens(tx, u.id);
    return { result: { id: u.id, passwordChangedAt: now.toISOString(), tokensRevoked }, after: { passwordChangedAt: now.toISOString(), tokensRevoked } };
  },
});

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
