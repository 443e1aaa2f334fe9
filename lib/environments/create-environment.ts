import "server-only";
import { randomUUID } from "node:crypto";
import { environments } from "@/db/schema";
import { prepare } from "@/lib/environments/connection-input";
import { encryptSecrets } from "@/lib/environments/crypto";
import { byName, masterKey, toView } from "@/lib/environments/environments";
import { EnvironmentInput } from "@/lib/environments/schemas";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

/** Registers an environment. Admins only; audited without any credential. */
export const createEnvironment = defineOperation({
  action: "environment.create",
  permission: "environment.admin",
  input: EnvironmentInput,
  transactional: true,
  target: (i) => ({ kind: "environment", name: i.name, environment: { name: i.name, labels: i.labels } }),
  async run(input, ctx) {
    const tx = ctx.tx!;
    if (await byName(tx, input.name)) throw new AppError("CONFLICT", "environment exists", { fields: [{ field: "name", message: "already exists" }], userMessage: `Environment ${input.name} already exists.` });
    const id = randomUUID();
    const p = await prepare(input, {});
    const [row] = await tx
      .insert(environments)
      .values({ id, name: input.name, description: input.description, labels: input.labels, registry: p.registry, kubernetes: p.kubernetes, prometheusUrl: p.prometheusUrl, secrets: Object.keys(p.secrets).length ? encryptSecrets(masterKey(), id, p.secrets) : null })
      .returning();
    const view = toView(row!);
    return { result: view, after: view, versionAfter: String(view.version) };
  },
});
