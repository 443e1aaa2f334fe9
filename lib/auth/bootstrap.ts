/**
 * First start: when no account exists, create the local `admin` with a global admin binding.
 * The password comes from SWITCHYARD_ADMIN_PASSWORD, or is generated and printed once.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { roleBindings, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { logger } from "@/lib/logger";

export async function bootstrapFirstAdmin(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    // Two replicas starting together must not both create an admin.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    const existing = await tx.select({ id: users.id }).from(users).limit(1);
    if (existing.length > 0) return;

    const fromEnv = process.env.SWITCHYARD_ADMIN_PASSWORD;
    const password = fromEnv && fromEnv.length >= 12 ? fromEnv : randomBytes(18).toString("base64url");
    const id = randomUUID();
    await tx.insert(users).values({
      id,
      username: "admin",
      displayName: "Administrator",
      source: "local",
      passwordHash: await hashPassword(password),
    });
    await tx.insert(roleBindings).values({
      id: randomUUID(),
      subjectKind: "user",
      subject: id,
      role: "admin",
      environmentSelector: "*",
      namespacePattern: "*",
      createdBy: "system",
    });
    if (fromEnv) {
      logger.info("created the first account 'admin' with the password from SWITCHYARD_ADMIN_PASSWORD");
    } else {
      // Printed once, on purpose, outside the structured log: it is the only way to learn it.
      process.stdout.write(
        `\n  Switchyard created the first account.\n    username: admin\n    password: ${password}\n  Change it after signing in; it is not shown again.\n\n`,
      );
    }
  });
}

const BOOTSTRAP_LOCK = 0x5357_0001;
