import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { configCenterFor } from "@/lib/configs/access";
import { NamespaceParam } from "@/lib/configs/configs";
import { applyPlan, assertAbortable, namespaceTarget, planTransfer, previewOf, readCurrent, transferOutcome, type TransferPreview } from "@/lib/configs/transfer";
import { CONFLICT_POLICIES, keyOf, type RefusedItem, type SourceItem } from "@/lib/configs/transfer-plan";
import { parseNacosZip, ZIP_LIMITS, ZipLayoutError, type ParsedZip } from "@/lib/configs/zip-layout";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";

const ExpectedMd5s = z.record(z.string().max(520), z.string().regex(/^[0-9a-f]{32}$/).nullable());

export const ImportConfigsInput = z
  .object({
    environment: z.string().min(1),
    namespace: NamespaceParam,
    policy: z.enum(CONFLICT_POLICIES),
    /** The zip, base64. */
    zip: z
      .string()
      .min(1, "choose a zip file")
      .max(Math.ceil((ZIP_LIMITS.maxZipBytes * 4) / 3) + 4, `the zip must be at most ${ZIP_LIMITS.maxZipBytes} bytes`)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64"),
    /** What the confirmed preview showed per key (md5, or null: absent): a key that moved since fails `conflict`. */
    expected: ExpectedMd5s.optional(),
  })
  .strict();

export const ImportPreviewInput = ImportConfigsInput.omit({ expected: true });

/** The zip's configs, or 400 naming `zip` when the zip as a whole is unusable. */
function readZip(base64: string): ParsedZip {
  try {
    return parseNacosZip(new Uint8Array(Buffer.from(base64, "base64")));
  } catch (e) {
    if (e instanceof ZipLayoutError) {
      throw new AppError("VALIDATION", `zip: ${e.message}`, { fields: [{ field: "zip", message: e.message }], userMessage: `The zip cannot be imported: ${e.message}. Nothing was written.` });
    }
    throw e;
  }
}

function sourcesOf(parsed: ParsedZip): { items: SourceItem[]; refused: RefusedItem[]; sources: Map<string, SourceItem> } {
  const items: SourceItem[] = parsed.items.map((i) => ({ group: i.group, dataId: i.dataId, type: i.type, content: i.content, desc: i.desc }));
  return { items, refused: parsed.problems, sources: new Map(items.map((i) => [keyOf(i), i])) };
}

/**
 * What importing the zip would do, item by item (create / overwrite with its diff / skip / fail
 * with the reason), and the md5s to send back with the confirmed import. Writes nothing. Who
 * may: config.read in the environment and namespace.
 */
export async function previewImport(actor: Actor, environment: string, input: z.output<typeof ImportPreviewInput>): Promise<TransferPreview> {
  const { row, client } = await configCenterFor(actor, environment, input.namespace, "config.read");
  const { items, refused, sources } = sourcesOf(readZip(input.zip));
  const current = await readCurrent(client, input.namespace, items);
  const plan = planTransfer({ policy: input.policy, items, refused, current });
  return previewOf(row.name, input.namespace, plan, current, sources);
}

/**
 * Imports a zip in Nacos' layout into a namespace with a conflict policy. Every item is checked
 * first (path `<group>/<dataId>`, size and zip-bomb limits, type validation with line and
 * column, no redaction marker: an export is not a way to move secrets, docs/security.md §50).
 * `abort`: any invalid item (422) or existing key (409) and nothing is written; `skip`: existing
 * keys are left; `overwrite`: existing keys are published CAS-guarded against the md5 read while
 * planning (or shown in the preview), never blindly. Each write goes through createConfig /
 * updateConfig (per-key lock, own audit rows); this row records the counts. Who may:
 * config.publish in scope (tier=prod: operator).
 */
export const importConfigs = defineOperation({
  action: "config.import",
  permission: "config.publish",
  hideWhenUnreadable: "config.read",
  input: ImportConfigsInput,
  target: (input, ctx) => namespaceTarget(input.environment, input.namespace, ctx, "config.import", "import"),
  async run(input, ctx) {
    const { row, client } = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.publish");
    const { items, refused, sources } = sourcesOf(readZip(input.zip));
    const current = await readCurrent(client, input.namespace, items);
    const plan = planTransfer({ policy: input.policy, items, refused, current, expected: input.expected });
    assertAbortable(plan, row.name);
    const result = await applyPlan(ctx.actor, ctx, { environment: row.name, namespace: input.namespace }, plan, sources);
    return transferOutcome(result);
  },
});
