import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { Password } from "@/lib/access/password-input";
import { hashPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

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
