import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { environments } from "@/db/schema";
import { getDb } from "@/lib/database";
import { byName, toView } from "@/lib/environments/environments";
import { EnvironmentName } from "@/lib/environments/schemas";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

export const DeleteEnvironmentInput = z.object({ name: EnvironmentName, expectedVersion: z.number().int().positive() }).strict();

/** DELETE /api/v1/environments/{name}?expectedVersion=N: the version the admin confirmed deleting. */
export const DeleteEnvironmentQuery = z.object({ expectedVersion: z.coerce.number("must be the environment's version").int().positive() });

/** Removes an environment and its stored credentials. Admins only; audited. */
export const deleteEnvironment = defineOperation({
  action: "environment.delete",
  permission: "environment.admin",
  input: DeleteEnvironmentInput,
  transactional: true,
  // The environment column of the audit row names it, like create and update (docs/security.md §20).
  async target(i) {
    const row = await byName(await getDb(), i.name);
    return { kind: "environment", name: i.name, environment: { name: i.name, labels: row?.labels ?? {} } };
  },
  async run(input, ctx) {
    const tx = ctx.tx!;
    const current = await byName(tx, input.name);
    if (!current) throw new AppError("NOT_FOUND", `environment ${input.name} not found`);
    if (current.version !== input.expectedVersion) throw new AppError("CONFLICT", "stale version", { details: { currentVersion: current.version } });
    await tx.delete(environments).where(eq(environments.id, current.id));
    return { result: { name: input.name }, before: toView(current) };
  },
});
