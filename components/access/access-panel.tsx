"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState, type FormEvent } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState, ErrorState, Spinner } from "@/components/ui/states";
import { ApiError, apiFetch } from "@/lib/api-client";
import type { TokenView } from "@/lib/access/tokens";

interface Binding {
  id: string;
  subjectKind: "user" | "group";
  subject: string;
  subjectName: string;
  role: string;
  environmentSelector: string;
  namespacePattern: string;
  createdBy: string;
}
interface UserView {
  id: string;
  username: string;
  displayName: string;
  source: string;
  disabled: boolean;
  groups: string[];
}
type Pending =
  | { kind: "add"; body: Omit<Binding, "id" | "subjectName" | "createdBy">; label: string }
  | { kind: "remove"; binding: Binding }
  | { kind: "disable"; user: UserView }
  | { kind: "reset"; user: UserView; password: string }
  | { kind: "createUser"; body: { username: string; displayName: string; password: string } };

const ROLES = ["admin", "operator", "developer", "auditor", "viewer"] as const;
const input = "mt-1 w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950";

function describe(b: { subjectKind: string; role: string; environmentSelector: string; namespacePattern: string }, name: string): string {
  return `${b.subjectKind} ${name} → ${b.role} [env ${b.environmentSelector}, ns ${b.namespacePattern}]`;
}

export function AccessPanel({ canAdmin }: { canAdmin: boolean }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const bindings = useQuery({ queryKey: ["access", "bindings"], queryFn: () => apiFetch<Binding[]>("/api/v1/access/bindings") });
  const users = useQuery({ queryKey: ["access", "users"], queryFn: () => apiFetch<UserView[]>("/api/v1/access/users") });
  const [pending, setPending] = useState<Pending | null>(null);
  const [subjectKind, setSubjectKind] = useState<"user" | "group">("group");
  const [filter, setFilter] = useState("");
  const [who, setWho] = useState("");

  const apply = useMutation({
    mutationFn: async (p: Pending) => {
      if (p.kind === "add") return apiFetch("/api/v1/access/bindings", { method: "POST", json: p.body });
      if (p.kind === "remove") return apiFetch(`/api/v1/access/bindings/${p.binding.id}`, { method: "DELETE" });
      if (p.kind === "disable") return apiFetch(`/api/v1/access/users/${p.user.id}`, { method: "PATCH", json: { disabled: !p.user.disabled } });
      if (p.kind === "reset") return apiFetch(`/api/v1/access/users/${p.user.id}/password`, { method: "POST", json: { password: p.password } });
      return apiFetch("/api/v1/access/users", { method: "POST", json: p.body });
    },
    onSuccess: () => {
      setPending(null);
      void qc.invalidateQueries({ queryKey: ["access"] });
    },
  });

  const visible = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (bindings.data ?? []).filter((b) => !f || `${b.subjectName} ${b.role} ${b.environmentSelector} ${b.namespacePattern}`.toLowerCase().includes(f));
  }, [bindings.data, filter]);

  function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body = {
      subjectKind,
      subject: String(f.get("subject") ?? "").trim(),
      role: String(f.get("role")),
      environmentSelector: String(f.get("environmentSelector") || "*").trim(),
      namespacePattern: String(f.get("namespacePattern") || "*").trim(),
    };
    const label = subjectKind === "user" ? (users.data?.find((u) => u.id === body.subject)?.username ?? body.subject) : body.subject;
    apply.reset();
    setPending({ kind: "add", body, label });
  }

  function onCreateUser(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    apply.reset();
    setPending({ kind: "createUser", body: { username: String(f.get("username") ?? ""), displayName: String(f.get("displayName") ?? ""), password: String(f.get("password") ?? "") } });
  }

  const dialog = (() => {
    if (!pending) return null;
    const common = { pending: apply.isPending, onConfirm: () => apply.mutate(pending), onCancel: () => setPending(null), error: apply.isError ? <ErrorState error={apply.error} /> : undefined };
    const fieldErrors = apply.error instanceof ApiError && apply.error.fields.length ? apply.error.fields.map((x) => `${x.field}: ${x.message}`).join("; ") : null;
    const errorNode = fieldErrors ? <p className="text-sm text-red-700">{fieldErrors}</p> : common.error;
    switch (pending.kind) {
      case "add":
        return <ConfirmDialog {...common} error={errorNode} title={t("access.confirmTitle")} before="" after={describe(pending.body, pending.label)} confirmLabel={t("access.confirmAdd")} />;
      case "remove":
        return <ConfirmDialog {...common} title={t("access.confirmTitle")} before={describe(pending.binding, pending.binding.subjectName)} after="" confirmLabel={t("access.confirmRemove")} danger />;
      case "disable":
        return (
          <ConfirmDialog
            {...common}
            title={t("access.confirmTitle")}
            before={`${pending.user.username}: ${pending.user.disabled ? "disabled" : "enabled"}`}
            after={`${pending.user.username}: ${pending.user.disabled ? "enabled" : "disabled (sessions ended, API tokens revoked)"}`}
            confirmLabel={pending.user.disabled ? t("access.enable") : t("access.disable")}
            danger={!pending.user.disabled}
          />
        );
      case "reset":
        return (
          <ConfirmDialog
            {...common}
            error={errorNode}
            title={t("access.confirmTitle")}
            before={`${pending.user.username}: current password, sessions open`}
            after={`${pending.user.username}: new password, every session ended, every API token revoked`}
            confirmLabel={t("access.resetPassword")}
            danger
          >
            <label className="block text-xs">
              {t("settings.newPassword")}
              <input
                type="password"
                autoComplete="new-password"
                className={input}
                value={pending.password}
                onChange={(e) => setPending({ ...pending, password: e.target.value })}
                data-testid="reset-password-input"
              />
            </label>
          </ConfirmDialog>
        );
      case "createUser":
        return <ConfirmDialog {...common} error={errorNode} title={t("access.confirmTitle")} before="" after={`local account ${pending.body.username} (${pending.body.displayName}), no role yet`} confirmLabel={t("access.newLocal")} />;
    }
  })();

  return (
    <div className="space-y-6">
      <Card title={t("access.bindings")} actions={<input aria-label={t("access.filter")} placeholder={t("access.filter")} value={filter} onChange={(e) => setFilter(e.target.value)} className="rounded-md border border-slate-300 px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950" />}>
        {bindings.isPending && <Spinner />}
        {bindings.isError && <ErrorState error={bindings.error} onRetry={() => void bindings.refetch()} />}
        {bindings.data && visible.length === 0 && <EmptyState />}
        {visible.length > 0 && (
          <table className="w-full text-left text-sm" data-testid="bindings-table">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1">{t("access.subject")}</th>
                <th>{t("access.role")}</th>
                <th>{t("access.scope")}</th>
                <th>{t("access.createdBy")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {visible.map((b) => (
                <tr key={b.id} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1.5">
                    <span className="mr-1 rounded bg-slate-100 px-1 text-xs dark:bg-slate-800">{b.subjectKind}</span>
                    <span className="break-all">{b.subjectName}</span>
                  </td>
                  <td>{b.role}</td>
                  <td className="text-xs">
                    env {b.environmentSelector} · ns {b.namespacePattern}
                  </td>
                  <td className="text-xs">{b.createdBy}</td>
                  <td className="text-right">
                    {canAdmin && (
                      <Button variant="ghost" onClick={() => (apply.reset(), setPending({ kind: "remove", binding: b }))}>
                        {t("access.delete")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canAdmin && (
          <form method="post" onSubmit={onAdd} className="mt-4 grid gap-3 border-t border-slate-100 pt-4 sm:grid-cols-6 dark:border-slate-800" aria-label={t("access.addBinding")}>
            <label className="text-xs">
              {t("access.subjectKind")}
              <select className={input} value={subjectKind} onChange={(e) => setSubjectKind(e.target.value as "user" | "group")} data-testid="binding-kind">
                <option value="group">{t("access.group")}</option>
                <option value="user">{t("access.user")}</option>
              </select>
            </label>
            <label className="text-xs sm:col-span-2">
              {t("access.subject")}
              {subjectKind === "user" ? (
                <select name="subject" className={input} required>
                  {(users.data ?? []).map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.username} ({u.source})
                    </option>
                  ))}
                </select>
              ) : (
                <input name="subject" required placeholder="cn=platform-ops,ou=groups,dc=example,dc=com" className={input} data-testid="binding-subject" />
              )}
            </label>
            <label className="text-xs">
              {t("access.role")}
              <select name="role" className={input} defaultValue="viewer" data-testid="binding-role">
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
            <label className="text-xs">
              {t("tokens.envSelector")}
              <input name="environmentSelector" placeholder="*" className={input} />
            </label>
            <label className="text-xs">
              {t("tokens.nsPattern")}
              <input name="namespacePattern" placeholder="*" className={input} />
            </label>
            <div className="sm:col-span-6">
              <Button type="submit" data-testid="binding-add">
                {t("access.addBinding")}
              </Button>
            </div>
          </form>
        )}
      </Card>

      <Card title={t("access.accounts")}>
        {users.isPending && <Spinner />}
        {users.isError && <ErrorState error={users.error} onRetry={() => void users.refetch()} />}
        {users.data && (
          <table className="w-full text-left text-sm" data-testid="users-table">
            <tbody>
              {users.data.map((u) => (
                <tr key={u.id} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="py-1.5">
                    {u.displayName} <span className="text-xs text-slate-500">({u.username})</span>
                  </td>
                  <td className="text-xs">{u.source}</td>
                  <td className="text-xs">{u.disabled ? t("access.disabled") : ""}</td>
                  <td className="text-right">
                    {canAdmin && u.source === "local" && (
                      <Button variant="ghost" onClick={() => (apply.reset(), setPending({ kind: "reset", user: u, password: "" }))}>
                        {t("access.resetPassword")}
                      </Button>
                    )}
                    {canAdmin && (
                      <Button variant="ghost" onClick={() => (apply.reset(), setPending({ kind: "disable", user: u }))}>
                        {u.disabled ? t("access.enable") : t("access.disable")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {canAdmin && (
          <form method="post" onSubmit={onCreateUser} className="mt-4 grid gap-3 border-t border-slate-100 pt-4 sm:grid-cols-4 dark:border-slate-800" aria-label={t("access.newLocal")}>
            <label className="text-xs">
              {t("login.username")}
              <input name="username" required className={input} autoComplete="off" />
            </label>
            <label className="text-xs">
              {t("access.displayName")}
              <input name="displayName" required className={input} autoComplete="off" />
            </label>
            <label className="text-xs">
              {t("login.password")}
              <input name="password" type="password" required className={input} autoComplete="new-password" />
            </label>
            <div className="flex items-end">
              <Button type="submit">{t("access.newLocal")}</Button>
            </div>
          </form>
        )}
      </Card>

      <Card title={t("access.who")}>
        <label className="text-xs">
          {t("access.pickUser")}
          <select className={`${input} max-w-sm`} value={who} onChange={(e) => setWho(e.target.value)} data-testid="who-user">
            <option value="">—</option>
            {(users.data ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.username} ({u.source})
              </option>
            ))}
          </select>
        </label>
        {who && <Effective userId={who} />}
        {who && <UserTokens userId={who} canAdmin={canAdmin} />}
      </Card>
      {dialog}
    </div>
  );
}

function Effective({ userId }: { userId: string }) {
  const { t } = useI18n();
  const q = useQuery({
    queryKey: ["access", "effective", userId],
    queryFn: () => apiFetch<{ permissions: Array<{ permission: string; grantedBy: Array<{ role: string; environmentSelector: string; namespacePattern: string; via: string }> }> }>(`/api/v1/access/users/${userId}/effective`),
  });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ErrorState error={q.error} />;
  if (q.data.permissions.length === 0) return <p className="mt-3 text-sm">{t("access.noPermissions")}</p>;
  return (
    <table className="mt-3 w-full text-left text-sm" data-testid="effective-table">
      <thead className="text-xs uppercase text-slate-500">
        <tr>
          <th className="py-1">{t("access.permission")}</th>
          <th>{t("access.grantedBy")}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.permissions.map((p) => (
          <tr key={p.permission} className="border-t border-slate-100 dark:border-slate-800">
            <td className="py-1 font-mono text-xs">{p.permission}</td>
            <td className="text-xs">{p.grantedBy.map((g) => `${g.role} [env ${g.environmentSelector}, ns ${g.namespacePattern}] via ${g.via}`).join("; ")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}


/** A user's API tokens; admins revoke any of them behind a confirmation. */
function UserTokens({ userId, canAdmin }: { userId: string; canAdmin: boolean }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ["access", "tokens", userId], queryFn: () => apiFetch<TokenView[]>(`/api/v1/access/users/${userId}/tokens`) });
  const [pending, setPending] = useState<TokenView | null>(null);
  const revoke = useMutation({
    mutationFn: (tok: TokenView) => apiFetch(`/api/v1/access/users/${userId}/tokens/${tok.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setPending(null);
      void qc.invalidateQueries({ queryKey: ["access", "tokens", userId] });
    },
  });
  return (
    <div className="mt-4">
      <h3 className="text-sm font-medium">{t("tokens.title")}</h3>
      {q.isPending && <Spinner />}
      {q.isError && <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && q.data.length === 0 && <p className="mt-2 text-sm text-slate-500">{t("tokens.empty")}</p>}
      {q.data && q.data.length > 0 && (
        <table className="mt-2 w-full text-left text-sm" data-testid="user-tokens-table">
          <tbody>
            {q.data.map((tok) => (
              <tr key={tok.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1">{tok.name}</td>
                <td className="text-xs">
                  env {tok.environmentSelector} · ns {tok.namespacePattern}
                  {tok.readOnly ? ` · ${t("tokens.readOnly")}` : ""}
                </td>
                <td className="text-xs">
                  {t("tokens.lastUsed")}: {tok.lastUsedAt ? new Date(tok.lastUsedAt).toLocaleString() : t("tokens.never")}
                </td>
                <td className="text-xs">{tok.revokedAt ? t("tokens.revoked") : tok.expired ? t("tokens.expired") : ""}</td>
                <td className="text-right">
                  {canAdmin && !tok.revokedAt && !tok.expired && (
                    <Button variant="ghost" onClick={() => (revoke.reset(), setPending(tok))}>
                      {t("tokens.revoke")}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pending && (
        <ConfirmDialog
          title={t("access.confirmTitle")}
          before={`token ${pending.name}: active`}
          after={`token ${pending.name}: revoked`}
          confirmLabel={t("tokens.revoke")}
          danger
          pending={revoke.isPending}
          error={revoke.isError ? <ErrorState error={revoke.error} /> : undefined}
          onConfirm={() => revoke.mutate(pending)}
          onCancel={() => setPending(null)}
        />
      )}
    </div>
  );
}
