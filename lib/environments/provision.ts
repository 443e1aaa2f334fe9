/**
 * Environments provisioned from a YAML file at start (SWITCHYARD_ENVIRONMENTS_FILE), for
 * deployments that keep their targets in configuration management. Each entry is created or
 * updated through the same operations as the UI, as the system actor holding a one-off admin
 * grant, so every change is validated and audited like any other. Credentials can come from
 * files (`passwordFile`, `clientKeyFile`, …) so the YAML itself holds no secret.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { getDb } from "@/lib/database";
import { environments } from "@/db/schema";
import { SYSTEM_ACTOR, type Actor } from "@/lib/auth/actor";
import { createEnvironment } from "@/lib/environments/create-environment";
import { updateEnvironment } from "@/lib/environments/update-environment";
import { EnvironmentInput } from "@/lib/environments/schemas";
import { logger } from "@/lib/logger";
import { eq } from "drizzle-orm";

const FILE_FIELDS: Record<string, string> = {
  passwordFile: "password",
  accessTokenFile: "accessToken",
  caFile: "caPem",
  clientCertFile: "clientCertPem",
  clientKeyFile: "clientKeyPem",
  bearerTokenFile: "bearerToken",
};

/** Replaces `<field>File: path` with the file's content, relative to the YAML's folder. */
function inlineFiles(value: unknown, dir: string): unknown {
  if (Array.isArray(value)) return value.map((v) => inlineFiles(v, dir));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k in FILE_FIELDS && typeof v === "string") out[FILE_FIELDS[k]!] = fs.readFileSync(path.resolve(dir, v), "utf8").trim();
    else out[k] = inlineFiles(v, dir);
  }
  return out;
}

export const ProvisionFile = z.object({ environments: z.array(z.unknown()).max(500) });

const provisioner: Actor = {
  ...SYSTEM_ACTOR,
  username: "provisioner",
  grants: [{ role: "admin", environmentSelector: "*", namespacePattern: "*", via: "system:provisioning-file", bindingId: "provisioning" }],
};

/** Creates or updates every environment in the file; returns what it did per name. */
export async function provisionEnvironments(file: string): Promise<Array<{ name: string; result: "created" | "updated" }>> {
  const doc = ProvisionFile.parse(parse(fs.readFileSync(file, "utf8")));
  const dir = path.dirname(path.resolve(file));
  const db = await getDb();
  const done: Array<{ name: string; result: "created" | "updated" }> = [];
  for (const raw of doc.environments) {
    const input = EnvironmentInput.parse(inlineFiles(raw, dir));
    const meta = { requestId: randomUUID(), clientIp: null, userAgent: `provisioning:${path.basename(file)}` };
    const [existing] = await db.select({ version: environments.version }).from(environments).where(eq(environments.name, input.name)).limit(1);
    if (existing) {
      await updateEnvironment.execute(provisioner, { ...input, expectedVersion: existing.version }, meta);
      done.push({ name: input.name, result: "updated" });
    } else {
      await createEnvironment.execute(provisioner, input, meta);
      done.push({ name: input.name, result: "created" });
    }
  }
  logger.info("environments provisioned from file", { file, count: done.length });
  return done;
}
