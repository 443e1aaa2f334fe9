import "server-only";
import { eq } from "drizzle-orm";
import { environments } from "@/db/schema";
import { prepare } from "@/lib/environments/connection-input";
import { decryptSecrets, encryptSecrets } from "@/lib/environments/crypto";
import { byName, masterKey, toView } from "@/lib/environments/environments";
import { UpdateEnvironmentInput } from "@/lib/environments/schemas";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

/** Changes an environment; `expectedVersion` guards against overwriting someone else's edit. */
export const updateEnvironment = defineOperation({
  action: "environment.update",
  permission: "environment.admin",
  input: UpdateEnvironmentInput,
  transactional: true,
  target: (i) => ({ kind: "environment", name: i.name, environment: { name: i.name, labels: i.labels } }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    const current = await byName(tx, input.name);
    if (!current) throw new AppError("NOT_FOUND", `environment ${input.name} not found`);
    if (current.version !== input.expectedVersion) {
      throw new AppError("CONFLICT", "stale version", { details: { currentVersion: current.version }, userMessage: "Someone changed this environment since you loaded it. Reload to see their change." });
    }
    const before = toView(current);
    const p = await prepare(input, decryptSecrets(masterKey(), current.id, current.secrets), current);
    const [row] = await tx
      .update(environments)
      .set({ description: input.description, labels: input.labels, registry: p.registry, kubernetes: p.kubernetes, prometheusUrl: p.prometheusUrl, secrets: Object.keys(p.secrets).length ? encryptSecrets(masterKey(), current.id, p.secrets) : null, version: current.version + 1, updatedAt: new Date() })
      .where(eq(environments.id, current.id))
      .returning();
    const after = toView(row!);
    return { result: after, before, after, versionBefore: String(before.version), versionAfter: String(after.version) };
  },
});
