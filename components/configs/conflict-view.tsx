"use client";

import { DiffView } from "@/components/editor/diff-view";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Banner } from "@/components/ui/banner";
import { Button } from "@/components/ui/button";
import type { ConfigConflict } from "@/lib/configs/views";

/**
 * The three versions of a stale edit (409): what the editor loaded (base), what Nacos holds now
 * (theirs) and the edit (mine) — their change and mine, each against the base. "Reload and
 * reapply" takes theirs as the new base and keeps my text, so the next publish shows, as its
 * diff, exactly what it would change in theirs; nothing is ever overwritten blindly.
 */
export function ConflictView({ conflict, onReapply, onDiscard }: { conflict: ConfigConflict; onReapply: () => void; onDiscard: () => void }) {
  const { t } = useI18n();
  const base = conflict.base ?? "";
  return (
    <section data-testid="conflict-view" className="space-y-3">
      <Banner tone="warning" role="alert">
        <p className="font-medium">{conflict.theirsMd5 ? t("configs.conflict.title") : t("configs.conflict.deleted")}</p>
        <p className="mt-1">{t("configs.conflict.body")}</p>
      </Banner>
      <div className="grid gap-4 lg:grid-cols-2">
        <div>
          <h3 className="mb-1 text-sm font-semibold">{t("configs.conflict.theirs")}</h3>
          {conflict.base === null ? (
            <pre data-testid="conflict-theirs" className="max-h-72 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 font-mono text-xs dark:border-slate-800 dark:bg-slate-950">
              {conflict.theirs ?? t("configs.conflict.none")}
            </pre>
          ) : (
            <DiffView before={base} after={conflict.theirs ?? ""} beforeLabel={t("configs.conflict.base")} afterLabel={t("configs.conflict.theirsShort")} testId="conflict-theirs" />
          )}
        </div>
        <div>
          <h3 className="mb-1 text-sm font-semibold">{t("configs.conflict.mine")}</h3>
          <DiffView before={conflict.base === null ? conflict.theirs ?? "" : base} after={conflict.mine} beforeLabel={conflict.base === null ? t("configs.conflict.theirsShort") : t("configs.conflict.base")} afterLabel={t("configs.conflict.mineShort")} testId="conflict-mine" />
        </div>
      </div>
      <div className="flex flex-wrap gap-2">
        {conflict.theirsMd5 && (
          <Button onClick={onReapply} data-testid="conflict-reapply">
            {t("configs.conflict.reapply")}
          </Button>
        )}
        <Button variant="secondary" onClick={onDiscard} data-testid="conflict-discard">
          {t("configs.conflict.discard")}
        </Button>
      </div>
    </section>
  );
}
