import "server-only";
import { z } from "zod";
import { configCenterFor } from "@/lib/configs/access";
import { DataIdParam, GroupParam, NamespaceParam } from "@/lib/configs/configs";
import { keyOf } from "@/lib/configs/transfer-plan";
import { buildNacosZip, ZIP_LIMITS, type ZipConfigItem } from "@/lib/configs/zip-layout";
import { AppError } from "@/lib/errors";
import { defineOperation } from "@/lib/ops/define-operation";
import { redactContent } from "@/lib/redact";

const MAX_EXPORT = ZIP_LIMITS.maxEntries - 1;

export const ExportConfigsInput = z
  .object({
    environment: z.string().min(1),
    namespace: NamespaceParam,
    /** The selected configs; absent: the whole namespace. */
    items: z
      .array(z.object({ group: GroupParam, dataId: DataIdParam }).strict())
      .min(1)
      .max(MAX_EXPORT, `at most ${MAX_EXPORT} configs per export`)
      .optional(),
  })
  .strict();

/**
 * Exports configs as a zip in Nacos' own layout (`<group>/<dataId>` + `.metadata.yml`), so
 * Nacos' import reads it too. Values under secret-looking keys are redacted by the config's own
 * format (docs/security.md §47, §50): an export never carries a secret, and importing it back
 * refuses the redacted items. Who may: config.read in the environment and namespace. Audited
 * as one row naming the count and keys, never contents.
 */
export const exportConfigs = defineOperation({
  action: "config.export",
  permission: "config.read",
  hideWhenUnreadable: "config.read",
  input: ExportConfigsInput,
  async target(input, ctx) {
    const { row } = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.read");
    return { kind: "configs", name: input.items ? `${input.items.length} selected` : "whole namespace", environment: { name: row.name, labels: row.labels }, namespace: input.namespace || "public" };
  },
  async run(input, ctx) {
    const { row, client } = await configCenterFor(ctx.actor, input.environment, input.namespace, "config.read");
    let keys = input.items;
    if (!keys) {
      keys = [];
      for (let page = 1, pages = 1; page <= pages; page++) {
        const p = await client.listConfigs({ namespace: input.namespace, search: "blur", dataId: "", group: "", page, pageSize: 500 });
        pages = p.pages;
        keys.push(...p.items.map((i) => ({ group: i.group, dataId: i.dataId })));
        if (keys.length > MAX_EXPORT) {
          throw new AppError("VALIDATION", `namespace holds more than ${MAX_EXPORT} configs`, {
            fields: [{ field: "items", message: `the namespace holds more than ${MAX_EXPORT} configs: select the ones to export` }],
          });
        }
      }
    }
    const items: ZipConfigItem[] = [];
    const missing: string[] = [];
    let redactedItems = 0;
    let next = 0;
    const all = keys;
    const found = new Map<string, ZipConfigItem>();
    const worker = async () => {
      while (next < all.length) {
        const k = all[next++]!;
        const c = await client.getConfig({ namespace: input.namespace, ...k });
        if (!c) {
          missing.push(keyOf(k));
          continue;
        }
        const type = c.type ?? "text";
        const content = redactContent(c.content, type);
        if (content !== c.content) redactedItems += 1;
        found.set(keyOf(k), { group: k.group, dataId: k.dataId, type, content, desc: c.description });
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, all.length) }, worker));
    for (const k of all) {
      const i = found.get(keyOf(k));
      if (i) items.push(i);
    }
    const zip = buildNacosZip(items);
    const exported = items.map(keyOf);
    return {
      result: { zip, fileName: `nacos_config_export_${row.name}_${input.namespace || "public"}.zip`, count: items.length, missing, redactedItems },
      after: { count: items.length, keys: exported.slice(0, 1000), missing, redactedItems },
      detail: { count: items.length, redactedItems },
    };
  },
});
