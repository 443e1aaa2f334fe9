"use client";

import { useState, type FormEvent } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Banner } from "@/components/ui/banner";
import { Input } from "@/components/ui/input";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ErrorState, QueryStates } from "@/components/ui/states";
import { TableHead } from "@/components/ui/table";
import { ApiError } from "@/lib/api-client";
import { useCreateMyToken, useMyTokens, useRevokeMyToken } from "@/lib/access/hooks";
import type { TokenView } from "@/lib/access/tokens";


export function TokensPanel() {
  const { t } = useI18n();
  const list = useMyTokens();
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<TokenView | null>(null);
  const create = useCreateMyToken();
  const revoke = useRevokeMyToken();
  const fieldError = (f: string) => (create.error instanceof ApiError ? create.error.fields.find((x) => x.field === f)?.message : undefined);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setSecret(null);
    create.mutate({
      name: String(f.get("name") ?? ""),
      expiresInDays: Number(f.get("expiresInDays") ?? 30),
      environmentSelector: String(f.get("environmentSelector") || "*"),
      namespacePattern: String(f.get("namespacePattern") || "*"),
      readOnly: f.get("readOnly") === "on",
    }, { onSuccess: (r) => setSecret(r.token) });
  }

  return (
    <div className="space-y-4">
      <p className="text-xs text-slate-500">{t("tokens.hint")}</p>
      <form method="post" onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[repeat(4,minmax(0,1fr))_auto]" aria-label={t("tokens.create")}>
        <label className="text-xs">
          {t("tokens.name")}
          <Input name="name" required maxLength={100} className="mt-1 w-full" data-testid="token-name" aria-invalid={Boolean(fieldError("name"))} />
          {fieldError("name") && <span className="text-red-700">{fieldError("name")}</span>}
        </label>
        <label className="text-xs">
          {t("tokens.expires")}
          <Input name="expiresInDays" type="number" min={1} max={365} defaultValue={30} className="mt-1 w-full" />
        </label>
        <label className="text-xs">
          {t("tokens.envSelector")}
          <Input name="environmentSelector" placeholder="*" className="mt-1 w-full" />
          {fieldError("environmentSelector") && <span className="text-red-700">{fieldError("environmentSelector")}</span>}
        </label>
        <label className="text-xs">
          {t("tokens.nsPattern")}
          <Input name="namespacePattern" placeholder="*" className="mt-1 w-full" />
          {fieldError("namespacePattern") && <span className="text-red-700">{fieldError("namespacePattern")}</span>}
        </label>
        <div className="flex items-end gap-3">
          <label className="flex items-center gap-1 whitespace-nowrap pb-2 text-xs">
            <input name="readOnly" type="checkbox" /> {t("tokens.readOnly")}
          </label>
          <Button type="submit" disabled={create.isPending} data-testid="token-create">
            {t("tokens.create")}
          </Button>
        </div>
      </form>
      {create.isError && !fieldError("name") && <ErrorState error={create.error} />}
      {secret && (
        <Banner tone="warning" role="status">
          <p className="font-medium">{t("tokens.created")}</p>
          <code data-testid="token-secret" className="mt-1 block break-all font-mono text-xs select-all">
            {secret}
          </code>
        </Banner>
      )}
      <QueryStates query={list} isEmpty={(d) => d.length === 0} empty={t("tokens.empty")}>
        {(tokens) => (
          <table className="w-full text-left text-sm" data-testid="tokens-table">
            <TableHead columns={[t("tokens.name"), t("access.scope"), t("tokens.expires"), t("tokens.lastUsed"), null]} />
            <tbody>
              {tokens.map((tk) => {
                const expired = tk.expired;
                return (
                  <tr key={tk.id} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="py-1.5">
                      {tk.name} <code className="text-xs text-slate-500">{tk.id}</code>
                    </td>
                    <td className="text-xs">
                      env {tk.environmentSelector} · ns {tk.namespacePattern}
                      {tk.readOnly ? ` · ${t("tokens.readOnly")}` : ""}
                    </td>
                    <td className="text-xs">{tk.expiresAt.slice(0, 10)}</td>
                    <td className="text-xs">{tk.lastUsedAt ? new Date(tk.lastUsedAt).toLocaleString() : t("tokens.never")}</td>
                    <td className="text-right">
                      {tk.revokedAt ? (
                        <span className="text-xs text-slate-500">{t("tokens.revoked")}</span>
                      ) : expired ? (
                        <span className="text-xs text-slate-500">{t("tokens.expired")}</span>
                      ) : (
                        <Button variant="ghost" onClick={() => setRevoking(tk)} data-testid={`revoke-${tk.name}`}>
                          {t("tokens.revoke")}
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </QueryStates>
      {revoking && (
        <ConfirmDialog
          title={t("tokens.confirmRevoke", { name: revoking.name })}
          before={`token ${revoking.id} (${revoking.name}): active`}
          after={`token ${revoking.id} (${revoking.name}): revoked`}
          confirmLabel={t("tokens.revoke")}
          danger
          pending={revoke.isPending}
          error={revoke.isError ? <ErrorState error={revoke.error} /> : undefined}
          onConfirm={() => revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}
          onCancel={() => setRevoking(null)}
        />
      )}
    </div>
  );
}
