"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { LazyCodeEditor } from "@/components/editor/code-editor";
import { asLanguage } from "@/components/configs/config-editor";
import { DiffConfirm } from "@/components/configs/diff-confirm";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { ErrorState } from "@/components/ui/states";
import { useCreateConfig } from "@/lib/configs/hooks";
import { CONFIG_TYPES, configPagePath } from "@/lib/configs/keys";
import { validateContent } from "@/lib/formats/validate";

const NAME = /^[A-Za-z0-9_.:-]{1,256}$/;

/** A new config: dataId, group, type and content (validated as typed), confirmed with its diff from nothing. */
export function NewConfig({ environment, namespace }: { environment: string; namespace: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const [dataId, setDataId] = useState("");
  const [group, setGroup] = useState("DEFAULT_GROUP");
  const [type, setType] = useState("yaml");
  const [content, setContent] = useState("");
  const [confirming, setConfirming] = useState(false);
  const create = useCreateConfig(environment);
  const problems = useMemo(() => validateContent(type, content), [type, content]);
  const errors = problems.filter((p) => p.severity === "error");
  const valid = NAME.test(dataId) && NAME.test(group) && content !== "" && errors.length === 0;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-xs">
          {t("configs.dataId")}
          <Input className="ml-2 w-64" value={dataId} onChange={(e) => setDataId(e.target.value)} aria-invalid={dataId !== "" && !NAME.test(dataId)} data-testid="new-dataid" />
        </label>
        <label className="text-xs">
          {t("configs.group")}
          <Input className="ml-2 w-48" value={group} onChange={(e) => setGroup(e.target.value)} aria-invalid={!NAME.test(group)} data-testid="new-group" />
        </label>
        <label className="text-xs">
          {t("configs.type")}
          <Select className="ml-2" value={type} onChange={(e) => setType(e.target.value)} data-testid="new-type">
            {CONFIG_TYPES.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </Select>
        </label>
      </div>
      {((dataId !== "" && !NAME.test(dataId)) || !NAME.test(group)) && <p className="text-xs text-red-700 dark:text-red-300">{t("configs.nameInvalid")}</p>}
      <p className={`text-xs ${errors.length ? "text-red-700 dark:text-red-300" : "text-slate-500"}`} data-testid="config-problems" aria-live="polite">
        {errors.length ? t("configs.problems", { count: errors.length, line: errors[0]!.line, column: errors[0]!.column, message: errors[0]!.message }) : content === "" ? t("configs.contentRequired") : t("configs.valid", { type })}
      </p>
      <LazyCodeEditor value={content} onChange={setContent} language={asLanguage(type)} diagnostics={problems} ariaLabel={t("configs.newEditorLabel")} height="22rem" />
      <Button onClick={() => (create.reset(), setConfirming(true))} disabled={!valid} data-testid="new-create">
        {t("configs.create")}
      </Button>
      {confirming && (
        <DiffConfirm
          title={t("configs.confirmCreate", { dataId, environment })}
          before=""
          after={content}
          confirmLabel={t("configs.create")}
          pending={create.isPending}
          error={create.isError ? <ErrorState error={create.error} /> : undefined}
          onConfirm={() => create.mutate({ namespace, group, dataId, type, content }, { onSuccess: () => router.push(configPagePath(environment, namespace, group, dataId)) })}
          onCancel={() => setConfirming(false)}
        />
      )}
    </div>
  );
}
