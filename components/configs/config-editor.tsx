"use client";

import { useMemo, useState } from "react";
import { LazyCodeEditor, type EditorLanguage } from "@/components/editor/code-editor";
import { DiffView } from "@/components/editor/diff-view";
import { ConflictView } from "@/components/configs/conflict-view";
import { DiffConfirm } from "@/components/configs/diff-confirm";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { ErrorState } from "@/components/ui/states";
import { ApiError } from "@/lib/api-client";
import { useUpdateConfig } from "@/lib/configs/hooks";
import { CONFIG_TYPES } from "@/lib/configs/keys";
import type { ConfigConflict, ConfigDetailView } from "@/lib/configs/views";
import { validateContent } from "@/lib/formats/validate";

export function asLanguage(type: string | null | undefined): EditorLanguage {
  return (CONFIG_TYPES as readonly string[]).includes(type ?? "") ? (type as EditorLanguage) : "text";
}

/**
 * The formal content in the editor: validated by its type as it is typed (problems in the
 * gutter, Publish disabled while any is an error), published only after confirming the diff
 * against the version it was loaded from, with that version's md5 as casMd5. A stale edit shows
 * the three-way conflict view. While a gray release is active the editor says so and shows it.
 */
export function ConfigEditor({
  detail,
  canPublish,
  onStartGray,
}: {
  detail: ConfigDetailView & { formal: NonNullable<ConfigDetailView["formal"]> };
  canPublish: boolean;
  onStartGray?: (draft: { content: string; type: string }) => void;
}) {
  const { t } = useI18n();
  // What the editor was loaded from: the base of the next publish (its md5 is the casMd5).
  const [base, setBase] = useState({ content: detail.formal.content, md5: detail.formal.md5 });
  const [draft, setDraft] = useState(detail.formal.content);
  const [type, setType] = useState(detail.formal.type ?? "text");
  const [confirming, setConfirming] = useState(false);
  const [conflict, setConflict] = useState<ConfigConflict | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const update = useUpdateConfig(detail.environment, detail.namespace, detail.group, detail.dataId);
  const problems = useMemo(() => validateContent(type, draft), [type, draft]);
  const errors = problems.filter((p) => p.severity === "error");
  const changed = draft !== base.content || type !== (detail.formal.type ?? "text");
  const newerOnServer = detail.formal.md5 !== base.md5;

  function publish() {
    setDone(null);
    update.mutate(
      { type, content: draft, casMd5: base.md5, baseContent: base.content },
      {
        onSuccess: (r) => {
          setConfirming(false);
          setBase({ content: draft, md5: r.md5 });
          setDone(r.confirmed ? t("configs.published", { md5: r.md5.slice(0, 12) }) : t("configs.publishedUnconfirmed"));
        },
        onError: (e) => {
          const c = e instanceof ApiError && e.status === 409 ? ((e.body.conflict as ConfigConflict | undefined) ?? null) : null;
          if (c) {
            setConfirming(false);
            setConflict(c);
          }
        },
      },
    );
  }

  return (
    <div className="space-y-3">
      {detail.gray && (
        <Banner tone="warning" data-testid="gray-active-warning">
          <p className="font-medium">{t("configs.gray.activeWarning", { count: detail.gray.ips.length })}</p>
          <details className="mt-1">
            <summary className="cursor-pointer text-xs underline">{t("configs.gray.showBoth")}</summary>
            <div className="mt-2">
              <DiffView before={detail.formal.content} after={detail.gray.content} beforeLabel={t("configs.formal")} afterLabel={t("configs.gray.content")} />
            </div>
          </details>
        </Banner>
      )}
      {newerOnServer && !conflict && (
        <Banner tone="info" data-testid="newer-on-server">
          {t("configs.newerOnServer")}{" "}
          <button type="button" className="underline" onClick={() => (setBase({ content: detail.formal.content, md5: detail.formal.md5 }), setDraft(detail.formal.content))}>
            {t("configs.reload")}
          </button>
        </Banner>
      )}
      {conflict ? (
        <ConflictView
          conflict={conflict}
          onReapply={() => {
            setBase({ content: conflict.theirs ?? "", md5: conflict.theirsMd5! });
            setDraft(conflict.mine);
            setConflict(null);
            setConfirming(true);
          }}
          onDiscard={() => {
            setBase({ content: conflict.theirs ?? "", md5: conflict.theirsMd5 ?? base.md5 });
            setDraft(conflict.theirs ?? "");
            setConflict(null);
          }}
        />
      ) : (
        <>
          <div className="flex flex-wrap items-center gap-3">
            <label className="text-xs">
              {t("configs.type")}
              <Select className="ml-2" value={type} onChange={(e) => setType(e.target.value)} disabled={!canPublish} data-testid="config-type">
                {CONFIG_TYPES.map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </Select>
            </label>
            <span className="font-mono text-xs text-slate-500" data-testid="config-md5">
              md5 {base.md5}
            </span>
            <span className={`text-xs ${errors.length ? "text-red-700 dark:text-red-300" : "text-slate-500"}`} data-testid="config-problems" aria-live="polite">
              {errors.length ? t("configs.problems", { count: errors.length, line: errors[0]!.line, column: errors[0]!.column, message: errors[0]!.message }) : problems.length ? t("configs.warnings", { count: problems.length }) : t("configs.valid", { type })}
            </span>
          </div>
          <LazyCodeEditor value={draft} onChange={canPublish ? setDraft : undefined} language={asLanguage(type)} diagnostics={problems} readOnly={!canPublish} ariaLabel={t("configs.editorLabel", { dataId: detail.dataId })} height="26rem" />
          {canPublish && (
            <div className="flex flex-wrap gap-2">
              <Button onClick={() => (setDone(null), update.reset(), setConfirming(true))} disabled={!changed || errors.length > 0} data-testid="config-publish">
                {t("configs.publish")}
              </Button>
              <Button variant="secondary" onClick={() => (setDraft(base.content), setType(detail.formal.type ?? "text"))} disabled={!changed}>
                {t("configs.revert")}
              </Button>
              {onStartGray && (
                <Button variant="secondary" onClick={() => onStartGray({ content: draft, type })} disabled={!changed || errors.length > 0 || detail.gray !== null} data-testid="config-start-gray">
                  {t("configs.gray.startFromDraft")}
                </Button>
              )}
            </div>
          )}
          {done && (
            <Banner tone="success" role="status" data-testid="config-published">
              {done}
            </Banner>
          )}
        </>
      )}
      {confirming && (
        <DiffConfirm
          title={t("configs.confirmPublish", { dataId: detail.dataId, environment: detail.environment })}
          before={base.content}
          after={draft}
          beforeLabel={t("configs.published.label")}
          afterLabel={t("configs.draft")}
          confirmLabel={t("configs.publish")}
          pending={update.isPending}
          danger={detail.prod}
          error={update.isError && !(update.error instanceof ApiError && update.error.status === 409 && update.error.body.conflict) ? <ErrorState error={update.error} /> : undefined}
          onConfirm={publish}
          onCancel={() => setConfirming(false)}
        >
          {detail.prod && <p className="text-red-700 dark:text-red-300">{t("configs.prodWarning")}</p>}
          {type !== (detail.formal.type ?? "text") && <p>{t("configs.typeChange", { from: detail.formal.type ?? "text", to: type })}</p>}
        </DiffConfirm>
      )}
    </div>
  );
}
